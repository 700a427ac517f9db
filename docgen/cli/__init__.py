"""Command line: every module in this package registers its commands on the root group when imported.

The root group (`base.LazyGroup`) imports a command's module when that command is run, and every module
when the commands are listed; `import docgen.cli` imports none of them.

cli → intake → (forms, rules, cases, letters) → util: commands parse options, call the
library, and map DocgenError to exit codes (in base.run).
"""

from __future__ import annotations

from docgen.cli.base import main as group
from docgen.cli.base import run


def main() -> None:
    """Console entry point."""
    run()


__all__ = ["group", "main"]
