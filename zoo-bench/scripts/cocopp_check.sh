#!/bin/sh
# Runs a small BBOB suite with zoo-bench (zoo-bench/tests/data/bbob-small.toml) and checks
# that cocopp reads the COCO data zoo-bench writes (DIR/coco/<algo>/): cocopp must exit 0,
# read every data set and write its figures, for each algorithm alone and for the
# comparison of both. Uses (and makes, once) target/bbob-venv with cocopp, as
# zoo-bbob/scripts/cocopp_check.sh does. Output in target/zoo-bench-cocopp/.
# Usage: zoo-bench/scripts/cocopp_check.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv="$root/target/bbob-venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -c "import cocopp" 2>/dev/null || "$venv/bin/pip" install --quiet cocopp six
cd "$root"
# The integration test does the whole check (and is skipped without the venv).
exec cargo test -p zoo-bench -j 2 --test cocopp -- --nocapture
