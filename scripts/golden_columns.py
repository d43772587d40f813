"""Keeps what a seed fixes of an example's output: every line, with the table columns that
measure time (seconds, µs, ns, overhead) and the lines of timings, speed ratios and memory
removed. Used by scripts/golden."""

import re
import sys

TIME = re.compile(r"(\bs\b|s/run|µs|ns/|seconds|time|overhead|\bms\b)")


def main(path):
    header = None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.startswith("|"):
            header = None
            # Timings and memory outside tables: `time:` lines, speed ratios, peak memory.
            if not (line.lstrip().startswith("time:") or "×" in line or "memory" in line):
                print(line)
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if header is None:
            header = cells
        print(" | ".join(c for h, c in zip(header, cells) if not TIME.search(h)))


if __name__ == "__main__":
    main(sys.argv[1])
