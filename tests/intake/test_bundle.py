"""Unpacking emails, zips and folders: names are display names only, caps trip with the right code."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from docgen.config import Limits
from docgen.errors import ExtractionError, ReasonCode
from docgen.read.bundle import members, unpack
from docgen.read.names import is_ignored, safe_name

from .hostile import simple_pdf, traversal_eml


def _inside(paths: list[Path], workdir: Path) -> bool:
    return all(p.resolve().parent == workdir.resolve() for p in paths)


def test_eml_attachment_names_never_become_paths(tmp_path: Path) -> None:
    source = tmp_path / "mail.eml"
    source.write_bytes(traversal_eml())
    workdir = tmp_path / "work"
    paths = unpack(source, workdir, Limits())
    assert _inside(paths, workdir)
    assert not (tmp_path / "etc").exists() and not Path("/abs/x.pdf").exists()
    shown = [m.display_name for m in members(workdir)]
    assert shown == ["email-body.txt", "passwd.pdf", "x.pdf", "x (2).pdf", "x (3).pdf"]
    assert members(workdir)[0].body and "Please find attached" in paths[0].read_text(encoding="utf-8")
    assert oct(workdir.stat().st_mode & 0o777) == "0o700"
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in paths)


def test_encoded_and_hostile_attachment_names_are_made_safe(tmp_path: Path) -> None:
    msg = EmailMessage()
    msg["From"] = "a@example.org"
    msg["Subject"] = "invented"
    msg.set_content("body")
    pdf = simple_pdf()
    names = ["=?utf-8?b?csOpZsOpcnJhbC5wZGY=?=", "evil\u202efdp.exe", "nul\x00name.pdf", "a" * 300 + ".pdf",
             "same.pdf", "same.pdf"]
    for n, name in enumerate(names):
        msg.add_attachment(pdf + str(n).encode(), maintype="application", subtype="pdf", filename=name)
    msg.add_attachment(pdf, maintype="application", subtype="pdf")
    last = list(msg.iter_attachments())[-1]
    del last["Content-Disposition"]
    last["Content-Disposition"] = "attachment; filename*=utf-8''..%2F..%2Fetc%2Fpasswd"
    source = tmp_path / "m.eml"
    source.write_bytes(msg.as_bytes())
    paths = unpack(source, tmp_path / "w", Limits())
    shown = [m.display_name for m in members(tmp_path / "w")][1:]
    assert shown[0] == "référral.pdf"
    assert "\u202e" not in shown[1] and "\x00" not in shown[2]
    assert len(shown[3]) <= 120 and shown[3].endswith(".pdf")
    assert shown[4:6] == ["same.pdf", "same (2).pdf"]
    assert shown[6] == "passwd"
    assert _inside(paths, tmp_path / "w")


def test_too_many_attachments_is_too_large(tmp_path: Path) -> None:
    msg = EmailMessage()
    msg["From"] = "a@example.org"
    msg.set_content("body")
    for n in range(5):
        msg.add_attachment(b"x", maintype="application", subtype="octet-stream", filename=f"{n}.bin")
    source = tmp_path / "m.eml"
    source.write_bytes(msg.as_bytes())
    with pytest.raises(ExtractionError) as err:
        unpack(source, tmp_path / "w", Limits(max_attachments=3))
    assert err.value.code is ReasonCode.TOO_LARGE


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("name", ["../evil.pdf", "/abs.pdf", "C:/x.pdf", "a/../../b.pdf", "..\\..\\w.pdf"])
def test_zip_member_leaving_its_folder_is_unsafe_name(tmp_path: Path, name: str) -> None:
    source = tmp_path / "b.zip"
    source.write_bytes(_zip({"ok.pdf": simple_pdf(), name: simple_pdf()}))
    with pytest.raises(ExtractionError) as err:
        unpack(source, tmp_path / "w", Limits())
    assert err.value.code is ReasonCode.UNSAFE_NAME
    assert not (tmp_path / "evil.pdf").exists()


def test_zip_bomb_is_too_large_before_inflating(tmp_path: Path) -> None:
    source = tmp_path / "b.zip"
    source.write_bytes(_zip({"bomb.pdf": b"\0" * (50 * 1024 * 1024)}))
    with pytest.raises(ExtractionError) as err:
        unpack(source, tmp_path / "w", Limits(max_unzipped_mb=200, max_zip_ratio=100))
    assert err.value.code is ReasonCode.TOO_LARGE


def test_zip_and_nested_email_are_unpacked_with_parents(tmp_path: Path) -> None:
    inner = traversal_eml()
    source = tmp_path / "b.zip"
    source.write_bytes(_zip({"forms/referral.pdf": simple_pdf(), "mail.eml": inner, "__MACOSX/._x": b"",
                             "~$lock.docx": b"x"}))
    paths = unpack(source, tmp_path / "w", Limits())
    listed = members(tmp_path / "w")
    assert [m.display_name for m in listed][:3] == ["referral.pdf", "mail.eml", "email-body.txt"]
    assert listed[2].parent == listed[1].path.name and listed[0].parent is None
    assert len(paths) == 7


def test_msg_that_is_not_outlook_is_damaged(tmp_path: Path) -> None:
    source = tmp_path / "x.msg"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    with pytest.raises(ExtractionError) as err:
        unpack(source, tmp_path / "w", Limits())
    assert err.value.code is ReasonCode.DAMAGED


def test_folder_bundle_with_a_link_is_not_a_regular_file(tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(simple_pdf())
    (folder / "Thumbs.db").write_bytes(b"x")
    paths = unpack(folder, tmp_path / "w1", Limits())
    assert [m.display_name for m in members(tmp_path / "w1")] == ["a.pdf"] and len(paths) == 1
    (folder / "p.pdf").symlink_to("/etc/passwd")
    with pytest.raises(ExtractionError) as err:
        unpack(folder, tmp_path / "w2", Limits())
    assert err.value.code is ReasonCode.NOT_A_REGULAR_FILE


@pytest.mark.parametrize("name", ["~$x.docx", "x.pdf.filepart", "x.tmp", "x.part", "x.crdownload",
                                  ".~lock.x.docx#", ".hidden", "._x.pdf", "Thumbs.db", "desktop.ini",
                                  ".DS_Store"])
def test_temporary_and_hidden_names_are_ignored(name: str) -> None:
    assert is_ignored(name)


@pytest.mark.parametrize(("raw", "safe"), [("../../etc/passwd", "passwd"), ("C:\\x.pdf", "x.pdf"),
                                           ("a\x00b.pdf", "ab.pdf"), ("..", "attachment"),
                                           ("r\u202efdp.exe", "rfdp.exe"), ("ok name.pdf", "ok name.pdf")])
def test_safe_name(raw: str, safe: str) -> None:
    assert safe_name(raw) == safe
    assert not is_ignored("referral.pdf")


def test_deeply_nested_multiparts_and_huge_headers_trip_caps(tmp_path: Path) -> None:
    inner = "Content-Type: text/plain\n\nhello\n"
    for n in range(30):
        inner = (f'Content-Type: multipart/mixed; boundary="b{n}"\n\n--b{n}\n{inner}\n--b{n}--\n')
    source = tmp_path / "deep.eml"
    source.write_text("From: a@example.org\nSubject: x\nMIME-Version: 1.0\n" + inner, encoding="ascii")
    with pytest.raises(ExtractionError) as err:
        unpack(source, tmp_path / "w1", Limits())
    assert err.value.code is ReasonCode.TOO_LARGE
    huge = tmp_path / "huge.eml"
    huge.write_bytes(b"From: a@example.org\nX-Long: " + b"A" * 2_000_000 + b"\n\nbody\n")
    with pytest.raises(ExtractionError) as err:
        unpack(huge, tmp_path / "w2", Limits())
    assert err.value.code is ReasonCode.TOO_LARGE
