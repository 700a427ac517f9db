"""A scan is archived byte for byte with its searchable PDF/A beside it (SPEC §16, §9).

The scans are laid out by poppler (pdftoppm) from a sample referral, not by docgen: a phone photo turned
90° (a JPEG declaring 72 dpi) and a scanner's image-only PDF. `docgen process` reads them by OCR; the
archive must keep each original unchanged and a PDF/A whose invisible text a PDF reader (poppler's
pdftotext) finds, listed in the manifest as produced from the original.
"""

from __future__ import annotations

import json
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pikepdf

from tests.read.scans import jpeg, noisy, render, scanned_pdf

from .conftest import Run, sha, submission


def test_scans_are_archived_with_a_searchable_pdfa_beside_them(ihome: Path, run: Run, tmp_path: Path) -> None:
    paper = tmp_path / "paper"
    paper.mkdir()
    referral = next(f for f in submission(paper) if f.name.startswith("referral"))
    pages = tmp_path / "pages"
    pages.mkdir()
    first = render(referral, pages, dpi=200)[0]
    inbox = ihome / "inbox"
    (inbox / "referral-photo.jpg").write_bytes(jpeg(first.rotate(90, expand=True), quality=70))
    scanned_pdf([noisy(first, seed=2)], inbox / "referral-scan.pdf", dpi=200)
    originals = {p.name: sha(p) for p in inbox.iterdir()}
    # the same scans again, attached to an email (made by Python's email package) as a school sends them
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "office@school.example", "mns@council.example", "Referral (scans)"
    mail.set_content("Please find the signed referral attached, scanned.")
    scan2 = scanned_pdf([noisy(first, seed=5)], tmp_path / "scan.pdf", dpi=200).read_bytes()
    mail.add_attachment(scan2, maintype="application", subtype="pdf", filename="Signed referral.pdf")
    photo2 = jpeg(noisy(first, seed=6), quality=75, dpi=72)
    mail.add_attachment(photo2, maintype="image", subtype="jpeg", filename="IMG_0007.JPG")
    (inbox / "referral-by-email.eml").write_bytes(mail.as_bytes())
    attached = {"Signed referral.pdf": sha_of(scan2), "IMG_0007.JPG": sha_of(photo2)}

    result = run("process", "--json", timeout=240)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert sorted([*originals, "referral-by-email.eml"]) == sorted(e["file"] for e in report["processed"]), report

    for name, digest in {**originals, **attached}.items():
        copies = [p for p in (ihome / "archive").rglob(name) if p.is_file()]
        assert len(copies) == 1 and sha(copies[0]) == digest, name  # the original, byte for byte
        folder = copies[0].parent
        pdfa = folder / f"{name}.searchable.pdf"
        assert pdfa.is_file(), sorted(p.name for p in folder.iterdir())
        with pikepdf.open(pdfa) as pdf:
            assert pdf.open_metadata().pdfa_status.upper().startswith("2")
            assert len(pdf.pages) == 1
        text = subprocess.run(["pdftotext", str(pdfa), "-"], capture_output=True, text=True, check=True,
                              timeout=60).stdout
        assert "Referral" in text and "surname" in text, text[:300]
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        entry = next(f for f in manifest["files"] if f["path"] == pdfa.name)
        assert entry["role"] == "produced" and entry["from"] == digest and entry["sha256"] == sha(pdfa)


def sha_of(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
