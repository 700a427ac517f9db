"""The root group imports a command's module when that command runs (SPEC §12 start-up), never losing one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import docgen.cli
from docgen.cli.base import _REGISTERS, main

CLI_FOLDER = Path(docgen.cli.__file__).parent

_LOADED = """
import json, sys
from docgen.cli import main
sys.argv = ["docgen", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("docgen.cli."))), file=sys.stderr)
"""


def _loaded_cli_modules(*args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", _LOADED, *args], capture_output=True, text=True, timeout=60,
                          check=False)
    last: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return last


def test_each_command_is_found_in_the_module_that_registers_it() -> None:
    main.import_all()  # type: ignore[attr-defined]
    assert len(main.commands) >= 25
    for name, cmd in main.commands.items():
        module = (cmd.callback.__module__ if cmd.callback is not None else "").rsplit(".", 1)[-1]
        text = (CLI_FOLDER / f"{module}.py").read_text(encoding="utf-8")
        assert name in _REGISTERS.findall(text), f"`docgen {name}` is not found by reading {module}.py"


def test_running_process_imports_its_own_module_only() -> None:
    loaded = _loaded_cli_modules("process", "--help")
    assert "docgen.cli.intake" in loaded
    assert not {"docgen.cli.desk", "docgen.cli.merge", "docgen.cli.records", "docgen.cli.cases"} & set(loaded)


def test_help_lists_every_command_module() -> None:
    loaded = _loaded_cli_modules("--help")
    modules = {f"docgen.cli.{p.stem}" for p in CLI_FOLDER.glob("*.py") if p.stem != "__init__"}
    assert modules <= set(loaded)
    out = CliRunner().invoke(main, ["--help"]).output
    for name in main.commands:
        assert f"\n  {name} " in out


def test_an_unknown_command_is_still_refused_by_name() -> None:
    result = CliRunner().invoke(main, ["proces"])
    assert result.exit_code == 2
    assert "No such command 'proces'" in result.output
