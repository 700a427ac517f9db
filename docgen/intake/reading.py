"""What runs inside an isolated worker: read one inbox item or one bundle member (plain data back)."""

from __future__ import annotations

from pathlib import Path

from docgen.config import Limits
from docgen.documents import Extraction


def read_item(path: str, workdir: str, limits: Limits) -> tuple[str, Extraction | list[str]]:
    """Sniff an inbox item: a bundle (email, zip, folder) is unpacked, a document extracted."""
    from docgen.extract import extract
    from docgen.intake.bundle import unpack
    from docgen.sniff import FileType, sniff

    source = Path(path)
    if source.is_dir() and not source.is_symlink():
        return "bundle", [p.name for p in unpack(source, Path(workdir), limits)]
    if sniff(source, limits) in (FileType.EML, FileType.MSG, FileType.ZIP):
        return "bundle", [p.name for p in unpack(source, Path(workdir), limits)]
    return "document", extract(source, limits)


def read_member(path: str, limits: Limits) -> Extraction:
    """Extract one unpacked member of a bundle."""
    from docgen.extract import extract

    return extract(Path(path), limits)
