#!/usr/bin/env bash
# Create .venv if needed, install docgen, then run `docgen demo` in a fresh demo-home/ folder.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
exec .venv/bin/docgen --home demo-home demo "$@"
