"""Functions that misbehave inside an isolated worker, for the pool tests."""

from __future__ import annotations

import os
import time


def echo(value: str) -> str:
    return value


def pid() -> int:
    return os.getpid()


def sleep_forever() -> None:
    while True:
        time.sleep(1)


def eat_memory() -> int:
    hog = [bytearray(50 * 1024 * 1024) for _ in range(100)]
    return len(hog)


def die() -> None:
    os._exit(3)


def boom() -> None:
    raise KeyError("secret pupil name must not appear")


def scratch_then_hang() -> None:
    """Like OCR killed mid-page: a page image in a temp folder, then the deadline passes."""
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="docgen-ocr-"))
    (folder / "page-1.png").write_bytes(b"\x89PNG a child's page")
    while True:
        time.sleep(1)


def loaded(names: list[str]) -> list[str]:
    """Which of these modules the worker has imported before it ran anything of its own."""
    import sys

    return [n for n in names if n in sys.modules]


def touch(folder: str, name: str) -> str:
    """Leave a mark that this task ran."""
    from pathlib import Path

    (Path(folder) / name).write_text("ran", encoding="utf-8")
    return name


def allocate(megabytes: int) -> int:
    """Touch `megabytes` of new memory, as reading a large but honest file does."""
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)
