"""Runs ZOOpt 0.4.2's own test files on zoo_opt, the import lines being the only change.

    git clone https://github.com/polixir/ZOOpt /path/to/ZOOpt
    python bench/zoopt_tests.py /path/to/ZOOpt [--lib zoopt]

Test files that import only ZOOpt's public API are copied to a temporary directory, every
``zoopt`` import is renamed to ``zoo_opt`` (``--lib zoopt`` keeps ZOOpt, to see which of
its tests ZOOpt itself passes), and pytest runs them. Files that import ZOOpt's internal
algorithm modules (``zoopt.algos...``) are listed and left out.
"""

import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

IMPORT = re.compile(r"^(\s*)(from|import)\s+zoopt\b", re.MULTILINE)
INTERNAL = re.compile(r"^\s*(from|import)\s+zoopt\.algos\b", re.MULTILINE)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("zoopt_checkout", type=pathlib.Path)
    ap.add_argument("--lib", default="zoo_opt", choices=["zoo_opt", "zoopt"])
    args = ap.parse_args()
    tests = args.zoopt_checkout / "test"
    if not tests.is_dir():
        sys.exit("no test/ directory in %s" % args.zoopt_checkout)
    with tempfile.TemporaryDirectory() as work:
        root = pathlib.Path(work) / "test"
        shutil.copytree(tests, root)
        public, internal = [], []
        for path in sorted(root.rglob("test_*.py")):
            text = path.read_text()
            (internal if INTERNAL.search(text) else public).append(path)
        for path in root.rglob("*.py"):
            if args.lib == "zoo_opt":
                path.write_text(IMPORT.sub(r"\1\2 zoo_opt", path.read_text()))
        print("public-API test files (%d): %s" % (len(public), ", ".join(p.name for p in public)))
        print("left out, importing zoopt.algos (%d): %s" % (len(internal), ", ".join(p.name for p in internal)))
        # Each file runs from its own directory: they import helpers next to them.
        status = 0
        for path in public:
            done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", path.name],
                                  cwd=path.parent, capture_output=True, text=True)
            lines = done.stdout.strip().splitlines()
            print("%-45s %s" % (path.name, lines[-1] if lines else done.stderr.strip()[-200:]))
            for line in lines:
                if line.startswith("FAILED"):
                    print("    " + line)
            status = status or done.returncode
    sys.exit(status)


if __name__ == "__main__":
    main()
