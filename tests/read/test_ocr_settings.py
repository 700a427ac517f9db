"""`[ocr]` in docgen.toml: min_confidence and searchable_pdf, typo-checked (SPEC §16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.config import load_settings
from docgen.errors import ConfigError


def test_defaults_and_a_setting(tmp_path: Path) -> None:
    assert load_settings(tmp_path).ocr.min_confidence == 80
    (tmp_path / "docgen.toml").write_text("[ocr]\nmin_confidence = 90\nsearchable_pdf = \"off\"\n", encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings.ocr.min_confidence == 90 and settings.ocr.searchable_pdf == "off"


@pytest.mark.parametrize("text", ["[ocr]\nmin_confidense = 90\n", "[ocr]\nmin_confidence = 150\n",
                                  "[ocr]\nmin_confidence = \"high\"\n", "[ocr]\nsearchable_pdf = \"yes\"\n"])
def test_a_mistyped_or_impossible_setting_is_refused_with_its_name(tmp_path: Path, text: str) -> None:
    (tmp_path / "docgen.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[ocr\]"):
        load_settings(tmp_path)
