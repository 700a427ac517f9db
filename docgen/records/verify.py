"""Verify the archive (SPEC §9): every file's SHA-256 against its manifest; missing and unlisted files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from docgen.cases import archive
from docgen.errors import CaseError

# ---- verify ---------------------------------------------------------------------------------------------------


class ProblemCode(StrEnum):
    """What is wrong with an archived file."""

    CHANGED = "changed"  # its bytes no longer match the manifest's SHA-256
    MISSING = "missing"  # listed in the manifest but not in the folder
    UNLISTED = "unlisted"  # in the folder but not in the manifest
    NO_MANIFEST = "no-manifest"  # the folder has no (readable) manifest.json


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the archive."""

    case: str
    path: str
    problem: ProblemCode
    expected: str | None = None
    actual: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"case": self.case, "path": self.path, "problem": self.problem.value, "expected": self.expected,
                "actual": self.actual}

    def describe(self) -> str:
        where = f"archive/{self.case}/{self.path}" if self.path else f"archive/{self.case}/"
        return {
            ProblemCode.CHANGED: f"{where}: changed since it was archived (SHA-256 {self.actual}, "
                                 f"manifest says {self.expected})",
            ProblemCode.MISSING: f"{where}: listed in the manifest but missing",
            ProblemCode.UNLISTED: f"{where}: not listed in the manifest",
            ProblemCode.NO_MANIFEST: f"{where}: the manifest is missing or unreadable"
                                     + (f" ({self.actual})" if self.actual else ""),
        }[self.problem]


@dataclass
class Verification:
    """The result of checking archive folders against their manifests."""

    cases: list[str] = field(default_factory=list)
    files: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "cases": self.cases, "files": self.files,
                "problems": [p.to_json() for p in self.problems]}


def _is_temporary(name: str) -> bool:
    """A write interrupted by a crash leaves `.<name>.tmp` (archive._write_atomic); not a record."""
    return name.startswith(".") and name.endswith(".tmp")


def load_manifest(folder: Path) -> dict[str, Any]:
    data: Any = json.loads((folder / archive.MANIFEST).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise ValueError("it has no list of files")
    return data


def verify_folder(folder: Path) -> tuple[int, list[Problem]]:
    """Check one archive folder: (files checked, problems)."""
    case = folder.name
    try:
        manifest = load_manifest(folder)
    except FileNotFoundError:
        return 0, [Problem(case, archive.MANIFEST, ProblemCode.NO_MANIFEST)]
    except (OSError, ValueError) as exc:
        return 0, [Problem(case, archive.MANIFEST, ProblemCode.NO_MANIFEST, actual=type(exc).__name__)]
    problems: list[Problem] = []
    listed: set[str] = set()
    checked = 0
    for entry in manifest["files"]:
        path = str(entry.get("path", ""))
        expected = str(entry.get("sha256", ""))
        listed.add(path)
        target = folder / path
        if Path(path).name != path or not path or not target.is_file() or target.is_symlink():
            problems.append(Problem(case, path, ProblemCode.MISSING, expected=expected))
            continue
        checked += 1
        actual = archive.sha256_of(target)
        if actual != expected:
            problems.append(Problem(case, path, ProblemCode.CHANGED, expected=expected, actual=actual))
    for child in sorted(folder.iterdir()):
        if child.name == archive.MANIFEST or child.name in listed or _is_temporary(child.name):
            continue
        problems.append(Problem(case, child.name, ProblemCode.UNLISTED))
    return checked, problems


def verify(archive_root: Path, case: str | None = None, *, registered: Iterable[str] = ()) -> Verification:
    """Check one case's archive folder, or every folder (and that each registered case has one)."""
    result = Verification()
    if case is not None:
        folders = [archive_root / case]
        if not folders[0].is_dir():
            raise CaseError(f"there is no archive folder for {case}; `docgen cases` lists the register")
    else:
        folders = sorted(p for p in archive_root.iterdir() if p.is_dir()) if archive_root.is_dir() else []
        present = {p.name for p in folders}
        for ref in registered:
            if ref not in present:
                result.cases.append(ref)
                result.problems.append(Problem(ref, "", ProblemCode.NO_MANIFEST, actual="no archive folder"))
    for folder in folders:
        checked, problems = verify_folder(folder)
        result.cases.append(folder.name)
        result.files += checked
        result.problems.extend(problems)
    return result
