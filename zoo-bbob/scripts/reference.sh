#!/bin/sh
# Regenerates zoo-bbob/tests/data/cocoex_reference.csv from cocoex.
# Makes (once) a virtual environment in target/bbob-venv and installs coco-experiment into it.
# Usage: zoo-bbob/scripts/reference.sh [output.csv [instances dimensions]]
#   e.g. zoo-bbob/scripts/reference.sh zoo-bbob/tests/data/cocoex_reference_later.csv 16,20,25,30,45,80 2,5,10,20
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv="$root/target/bbob-venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -c "import cocoex" 2>/dev/null || "$venv/bin/pip" install --quiet coco-experiment
exec "$venv/bin/python" "$here/reference.py" "$@"
