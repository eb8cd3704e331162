# Sourced by scripts/test and scripts/bench: a virtualenv in .venv with
# ferroauth built in release mode and the test/bench dependencies installed.
set -euo pipefail
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# shellcheck disable=SC1091
source .venv/bin/activate
python -m pip install --quiet --upgrade pip
python -m pip install --quiet -r requirements-test.txt
python -m pip install --quiet -e . 
