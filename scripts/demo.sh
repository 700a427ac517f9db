#!/usr/bin/env bash
# Create .venv if needed, install docgen, then run `docgen demo` in a fresh demo-home/ folder.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
# compiled once, as a wheel install does: an editable install (and PYTHONDONTWRITEBYTECODE) would
# otherwise compile docgen's modules from source at every command's start
.venv/bin/python -m compileall -q docgen >/dev/null
exec .venv/bin/docgen --home demo-home demo "$@"
