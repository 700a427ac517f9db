#!/usr/bin/env bash
# Create .venv if needed, install docgen with its test tools, then run ruff, mypy and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
# compiled once, as a wheel install does: an editable install (and PYTHONDONTWRITEBYTECODE) would
# otherwise compile docgen's modules from source at every command's start
.venv/bin/python -m compileall -q docgen >/dev/null
.venv/bin/ruff check docgen tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
