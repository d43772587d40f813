#!/usr/bin/env python3
"""Runs cocopp on a folder written by zoo_bbob::coco and checks that it succeeds.

Usage: cocopp_check.py DATA_FOLDER OUTPUT_FOLDER
Exits non-zero when cocopp raises, reads no data set, or writes no figures.
"""
import glob
import os
import sys
import warnings

import matplotlib

matplotlib.use("Agg")
import cocopp  # noqa: E402


def main(data, out):
    warnings.simplefilter("ignore")
    cocopp.genericsettings.isConv = False
    datasets = cocopp.load(data)
    if len(datasets) == 0:
        sys.exit(f"cocopp read no data set from {data}")
    print(f"cocopp {cocopp.__version__} read {len(datasets)} data sets from {data}")
    for ds in datasets:
        if ds.evals.shape[0] == 0 or ds.maxevals.size == 0:
            sys.exit(f"empty data set: {ds}")
    cocopp.main(["-o", out, "--no-interactive", data])
    figures = [p for ext in ("svg", "png", "pdf")
               for p in glob.glob(os.path.join(out, "**", f"*.{ext}"), recursive=True)]
    html = glob.glob(os.path.join(out, "**", "*.html"), recursive=True)
    if not figures:
        sys.exit(f"cocopp wrote no figures under {out}")
    names = {os.path.basename(p) for p in figures}
    missing = [f for f in sorted({ds.funcId for ds in datasets})
               if not any(n.startswith(f"ppfigdim_f{f:03d}.") for n in names)]
    if missing:
        sys.exit(f"cocopp wrote no scaling figure (ppfigdim) for functions {missing}")
    print(f"cocopp wrote {len(figures)} figures and {len(html)} html pages under {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
