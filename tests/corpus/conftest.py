"""The independent corpus, built once per test session and shared by every test that reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus.build import build


@pytest.fixture(scope="session")
def corpus_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("independent-corpus"))
