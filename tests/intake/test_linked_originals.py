"""`docgen process`: a folder's files are archived by links to the unpacker's own copies; a loose inbox file,
whose work name is a link to the sender's file, is always copied (issue 21)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from docgen import files

from .conftest import Run, archived_hashes, sha, submission


def test_a_folders_files_are_archived_and_a_loose_inbox_file_never_linked(ihome: Path, run: Run,
                                                                         tmp_path: Path) -> None:
    folder = ihome / "inbox" / "from school"
    folder.mkdir()
    in_folder = submission(folder, seed=3)
    loose = submission(ihome / "inbox", scenario="incomplete", seed=11)
    kept = tmp_path / "kept"  # a second name for each sent file: its inode is never freed and reused
    kept.mkdir()
    for n, f in enumerate([*in_folder, *loose]):
        os.link(f, kept / f"{n}-{f.name}")
    inodes = {f.stat().st_ino for f in kept.iterdir()}
    hashes = {sha(f) for f in [*in_folder, *loose]}
    result = run("process", "--json")
    assert result.returncode == 0, result.stderr
    assert {e["file"] for e in json.loads(result.stdout)["processed"]} == {"from school", *(f.name for f in loose)}
    assert sorted(archived_hashes(ihome)) == sorted(hashes)  # each original once
    for path in (ihome / "archive").rglob("*"):
        if path.is_file():
            st = path.stat()
            assert st.st_nlink == 1 and st.st_ino not in inodes  # no work copy left linked, no sender's file
            assert not path.name.endswith(files.PARTIAL)
    assert {f.stat().st_nlink for f in kept.iterdir()} == {1}  # the inbox names went, nothing links them
