"""Strict rendering: values are data, undefined values and broken templates fail loudly."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from docx import Document

from docgen.errors import RenderError
from docgen.files import write_atomic
from docgen.letters.render import CompiledTemplate, clean_value, document_text, resolve


def make_template(folder: Path, body: list[str], *, header: str = "Ref {{ case_ref }}",
                  name: str = "sample.docx", loop_table: bool = False) -> Path:
    """A small Word template: header, body paragraphs, optionally a `{%tr for %}` table, footer."""
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = header
    doc.sections[0].footer.paragraphs[0].text = "Footer {{ case_ref }}"
    for line in body:
        doc.add_paragraph(line)
    if loop_table:
        table = doc.add_table(rows=4, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Week", "Dates"
        table.cell(1, 0).text = "{%tr for w in weeks %}"
        table.cell(2, 0).text, table.cell(2, 1).text = "{{ w.number }}", "{{ w.dates }}"
        table.cell(3, 0).text = "{%tr endfor %}"
    path = folder / name
    doc.save(str(path))
    return path


HOSTILE = [
    "Tom & Jerry",
    "100<100",
    "<b>bold</b>",
    "{{ 7*7 }}",
    "{% include '/etc/passwd' %}",
    "</w:t></w:r><w:r><w:t>X",
    "{_{ x }_}",
    "O'Brien \"quoted\"",
    "]]> <!-- -->",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_value_appears_literally_in_body_header_and_table(tmp_path: Path, value: str) -> None:
    template = CompiledTemplate.load(make_template(tmp_path, ["Pupil: {{ name }}"], loop_table=True))
    data = template.render({"case_ref": value, "name": value, "weeks": [{"number": value, "dates": "d"}]})
    text = document_text(data)
    assert f"Pupil: {value}" in text
    assert f"Ref {value}" in text
    assert f"Footer {value}" in text
    assert f"{value} | d" in text
    assert "49" not in text  # nothing evaluated
    # no injected runs: the paragraph holds exactly the one run it was written with
    body = Document(io.BytesIO(data)).paragraphs
    assert len(body[0].runs) == 1


def test_vertical_tab_becomes_line_break_in_body_and_header(tmp_path: Path) -> None:
    template = CompiledTemplate.load(make_template(tmp_path, ["Address: {{ address }}"]))
    data = template.render({"case_ref": "MN\x0b2026", "address": "1 High St\x0bNorwich"})
    doc = Document(io.BytesIO(data))
    assert doc.paragraphs[0].text == "Address: 1 High St\nNorwich"
    assert doc.sections[0].header.paragraphs[0].text == "Ref MN\n2026"
    assert "<w:br/>" in zipfile.ZipFile(io.BytesIO(data)).read("word/header1.xml").decode()


@pytest.mark.parametrize("control", ["\x07", "\x0c", "\x00", "\x1b", "\ufffe", "\u202e", "\u2067"])
def test_control_characters_are_stripped_without_new_paragraphs_or_page_breaks(tmp_path: Path,
                                                                              control: str) -> None:
    template = CompiledTemplate.load(make_template(tmp_path, ["One {{ v }} two", "Last"]))
    data = template.render({"case_ref": f"A{control}B", "v": f"left{control}right"})
    doc = Document(io.BytesIO(data))
    assert [p.text for p in doc.paragraphs] == ["One leftright two", "Last"]
    assert doc.sections[0].header.paragraphs[0].text == "Ref AB"
    assert 'w:type="page"' not in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()


def test_clean_value_works_through_nested_data() -> None:
    cleaned = clean_value({"a": ["x\x0by", ("p\x07q",)], "b": {"c": "r\r\ns\x00"}, "n": 3, "png": b"\x00\x01"})
    assert cleaned == {"a": ["x\ny", ["pq"]], "b": {"c": "r\ns"}, "n": 3, "png": b"\x00\x01"}


def test_undefined_variable_is_a_render_error_naming_template_and_value(tmp_path: Path) -> None:
    template = CompiledTemplate.load(make_template(tmp_path, ["Dear {{ parent.name }}"], name="letter.docx"))
    with pytest.raises(RenderError) as caught:
        template.render({"case_ref": "MN-2026-0001", "parent": {}})
    assert "letter.docx" in caught.value.message
    assert "'name'" in caught.value.message
    with pytest.raises(RenderError, match="'parent'"):
        template.render({"case_ref": "MN-2026-0001"})


def test_unknown_variable_in_header_is_a_render_error(tmp_path: Path) -> None:
    template = CompiledTemplate.load(make_template(tmp_path, ["Body"], header="{{ shoe_size }}"))
    with pytest.raises(RenderError, match=r"header1.*shoe_size"):
        template.render({"case_ref": "x"})


def test_broken_template_names_the_template_and_line(tmp_path: Path) -> None:
    path = make_template(tmp_path, ["Fine", "{% if pupil %}never closed", "Still fine"], name="broken.docx")
    with pytest.raises(RenderError) as caught:
        CompiledTemplate.load(path)
    message = caught.value.message
    assert "broken.docx" in message
    assert "line" in message


def test_unclosed_variable_tag_is_a_render_error(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="bad.docx"):
        CompiledTemplate.load(make_template(tmp_path, ["Dear {{ name"], name="bad.docx"))


def test_not_a_docx_is_a_render_error(tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    path.write_bytes(b"not a zip")
    with pytest.raises(RenderError, match="letter.docx"):
        CompiledTemplate.load(path)


def test_variables_include_loops_and_attributes(tmp_path: Path) -> None:
    path = make_template(tmp_path, ["{{ pupil.name }} {% for r in reasons %}{{ r.text }}{{ loop.index }}"
                                    "{% endfor %}{% set local = 1 %}{{ local }}"], loop_table=True)
    variables = CompiledTemplate.load(path).variables()
    assert {"case_ref", "pupil.name", "reasons", "reasons[].text", "weeks", "weeks[].number",
            "weeks[].dates"} <= variables
    assert not any(v.startswith(("loop", "local", "w.", "r.")) for v in variables)


def test_resolve_checks_paths_through_lists() -> None:
    context = {"a": {"b": "x"}, "rows": [{"c": 1}, {"c": 2}], "empty": []}
    assert resolve(context, "a.b")
    assert resolve(context, "rows[].c")
    assert not resolve(context, "a.z")
    assert not resolve(context, "rows[].d")
    assert not resolve(context, "empty[].c")


def test_template_is_read_once_and_renders_after_the_file_is_gone(tmp_path: Path) -> None:
    path = make_template(tmp_path, ["Hello {{ name }}"])
    template = CompiledTemplate.load(path)
    path.unlink()
    texts = [document_text(template.render({"case_ref": "R", "name": n})) for n in ("Ann", "Bo")]
    assert "Hello Ann" in texts[0]
    assert "Hello Bo" in texts[1]


def test_render_is_deterministic(tmp_path: Path) -> None:
    template = CompiledTemplate.load(make_template(tmp_path, ["Hello {{ name }}"]))
    assert template.render({"case_ref": "R", "name": "Ann"}) == template.render({"case_ref": "R", "name": "Ann"})


def test_write_atomic_is_owner_only_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "letter.docx"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["letter.docx"]


def test_markup_values_are_escaped_like_any_text(tmp_path: Path) -> None:
    from markupsafe import Markup

    template = CompiledTemplate.load(make_template(tmp_path, ["Name: {{ name }}"]))
    data = template.render({"case_ref": "R", "name": Markup("</w:t></w:r><w:r><w:t>X")})
    assert "Name: </w:t></w:r><w:r><w:t>X" in document_text(data)


def test_a_letter_is_proved_to_open_before_it_is_written(tmp_path: Path) -> None:
    """The first letter of a template is opened whole by python-docx; every letter's zip is CRC-checked."""
    good = CompiledTemplate.load(make_template(tmp_path, ["Hello {{ name }}"]))
    data = good.render({"case_ref": "R", "name": "Ann"})
    good.verify(data, "letter.docx")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("word/document.xml")
    body_at = info.header_offset + 30 + len(info.filename) + len(info.extra) + 4
    broken = bytearray(data)
    broken[body_at] ^= 0xFF  # one flipped byte inside the rendered body: its CRC no longer matches
    with pytest.raises(RenderError, match="letter.docx was rendered but does not open"):
        good.verify(bytes(broken), "letter.docx")

    path = make_template(tmp_path, ["Hello {{ name }}"], name="dangling.docx")
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    rels = members["word/_rels/document.xml.rels"].decode()
    members["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdGone" Target="media/gone.png" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/image"/></Relationships>')).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    dangling = CompiledTemplate.load(path)  # its parts compile; the package points at a part it lacks
    with pytest.raises(RenderError, match="does not open as a Word document"):
        dangling.verify(dangling.render({"case_ref": "R", "name": "Ann"}), "letter.docx")


def test_a_damaged_unchanging_part_is_caught_in_any_letter(tmp_path: Path) -> None:
    """Members a letter shares byte for byte with the template's static zip are CRC-checked once; a letter whose
    bytes there differ (one flipped inside styles.xml) is checked member by member and refused."""
    good = CompiledTemplate.load(make_template(tmp_path, ["Hello {{ name }}"]))
    for name in ("Ann", "Bea"):
        good.verify(good.render({"case_ref": "R", "name": name}), "letter.docx")  # the second: shared part skipped
    data = good.render({"case_ref": "R", "name": "Cy"})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("word/styles.xml")
    assert info.header_offset < good._static_end  # an unchanging member, in the shared prefix
    at = info.header_offset + 30 + len(info.filename) + len(info.extra) + 4
    broken = bytearray(data)
    broken[at] ^= 0xFF
    with pytest.raises(RenderError, match="does not open as a Word document"):
        good.verify(bytes(broken), "letter.docx")
