"""Command line: every module in this package registers its commands on the root group.

cli → intake → (forms, rules, cases, letters) → util: commands parse options, call the
library, and map DocgenError to exit codes (in base.run).
"""

from __future__ import annotations

import importlib
import pkgutil

from docgen.cli.base import main as group
from docgen.cli.base import run

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")


def main() -> None:
    """Console entry point."""
    run()


__all__ = ["group", "main"]
