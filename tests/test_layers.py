"""The house's layering, measured on the code (issue 16, docs/ARCHITECTURE.md "Floors").

Every import inside `docgen/` (at module level, inside functions, under TYPE_CHECKING: all of them)
points to the same floor or a lower one, and no modules and no rooms import each other in a circle.
A new top-level module or package must be given a floor below, on purpose.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "docgen"

# room → floor (higher floors may import lower ones and their own, never the other way)
FLOORS: dict[str, int] = {
    # faces
    "docgen.cli": 8,
    "docgen.web": 8,
    "docgen.samples": 8,
    # records management: reads the register, the archive, the quarantine
    "docgen.records": 7,
    # intake: sources → pipeline → isolate → journal, quarantine; hands documents to cases
    "docgen.intake": 6,
    # the case register: linking, judging, decisions, archive, letters planned once
    "docgen.cases": 5,
    # policy checks and letters
    "docgen.rules": 4,
    "docgen.letters": 4,
    # reading: one file → an Extraction
    "docgen.read": 3,
    "docgen.attendance": 2,
    # ground: the data dictionary and the shared foundations
    "docgen.timeline": 2,
    "docgen.home": 2,  # the home folder: set up or not, who may reach which part
    "docgen.settings_sample": 2,
    "docgen.accounts": 2,  # the desk's accounts (SPEC §14)
    "docgen.kinds": 1,
    "docgen.forms": 1,
    "docgen.calendar": 1,
    "docgen.dates": 1,
    "docgen.config": 1,
    "docgen.mailauth": 1,
    "docgen.db": 1,
    "docgen.files": 1,
    "docgen.tables": 1,  # the one CSV/XLSX reader (attendance, extraction, mail-merge)
    "docgen.marker": 1,  # docgen's mark on what it produces
    "docgen.errors": 0,
    "docgen": 0,  # the package's face (__init__.py)
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module: str, known: set[str]) -> set[str]:
    """The docgen modules `path` imports (a `from pkg import mod` counts as importing pkg.mod)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "docgen")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "docgen":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    return {name for name in found if name != module}


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(files)
    return {module: {m for m in _imports(path, module, known) if m in known} for module, path in files.items()}


def room(module: str) -> str:
    """The room a module belongs to: its package under docgen/, or the top-level module itself."""
    parts = module.split(".")
    return ".".join(parts[:2])


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _room_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    rooms: dict[str, set[str]] = {}
    for module, targets in graph.items():
        rooms.setdefault(room(module), set()).update(room(t) for t in targets if room(t) != room(module))
    return rooms


def _describe(pairs: Iterable[tuple[str, str]]) -> str:
    return "\n".join(f"  {a} -> {b}" for a, b in sorted(pairs))


def test_the_layering_is_read_from_the_real_code() -> None:
    graph = _graph()
    assert len(graph) > 80 and "docgen.read.extract" in graph
    assert "docgen.read.sniff" in graph["docgen.read.extract"]
    assert "docgen.rules.check" in graph["docgen.cli.check"]


def test_every_room_has_a_floor() -> None:
    unplaced = sorted({room(m) for m in _graph()} - set(FLOORS))
    assert not unplaced, f"give these a floor in tests/test_layers.py and docs/ARCHITECTURE.md: {unplaced}"


def test_no_import_runs_up_a_floor() -> None:
    graph = _graph()
    upward = [(m, t) for m, targets in graph.items() for t in targets
              if FLOORS.get(room(t), 0) > FLOORS.get(room(m), 0)]
    assert not upward, "imports from a lower floor to a higher one:\n" + _describe(upward)


def test_no_circle_between_modules() -> None:
    assert _cycles(_graph()) == []


def test_no_circle_between_rooms() -> None:
    assert _cycles(_room_graph(_graph())) == []


def test_a_circle_and_an_upward_import_would_be_seen() -> None:
    """The checks find what they look for (on a made-up graph, not on docgen)."""
    graph = {"docgen.read.a": {"docgen.cases.b"}, "docgen.cases.b": {"docgen.read.a"}, "docgen.kinds": set()}
    assert _cycles(graph) == [["docgen.cases.b", "docgen.read.a"]]
    assert _cycles(_room_graph(graph)) == [["docgen.cases", "docgen.read"]]
