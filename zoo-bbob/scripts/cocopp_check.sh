#!/bin/sh
# Writes a small random-search experiment with the coco_demo example and runs cocopp on it.
# Uses (and makes, once) the virtual environment target/bbob-venv, installing cocopp into it.
# Usage: zoo-bbob/scripts/cocopp_check.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv="$root/target/bbob-venv"
data="$root/target/bbob-coco-demo/zoo-random"
out="$root/target/bbob-coco-demo/ppdata"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -c "import cocopp" 2>/dev/null || "$venv/bin/pip" install --quiet cocopp six
cd "$root"
cargo run --quiet -p zoo-bbob -j 2 --example coco_demo -- "$data" > /dev/null
rm -rf "$out"
exec "$venv/bin/python" "$here/cocopp_check.py" "$data" "$out"
