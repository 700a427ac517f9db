"""The desk's actions over real HTTP: corrections, decisions, letters, originals, page images, sorting,
merges, exports — each checked against the register the CLI reads, and each bad input refused."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile

import numpy
from docx import Document
from PIL import Image

from tests.web.conftest import COORDINATOR, OFFICER, Server, csrf_of, docgen

REFERRAL_PDF = "MN-2026-0002"  # incomplete: parent/carer telephone blank, no evidence


def _case(server: Server, ref: str) -> dict:  # type: ignore[type-arg]
    data: dict = json.loads(docgen(server.home, "case", ref, "--json").stdout)  # type: ignore[type-arg]
    return data


def _doc(case: dict, suffix: str) -> dict:  # type: ignore[type-arg]
    return next(d for d in case["documents"] if d["file"].endswith(suffix))


def test_originals_come_back_byte_for_byte(desk: Server) -> None:
    client = desk.sign_in(OFFICER)
    case = _case(desk, "MN-2026-0001")
    for doc in case["documents"]:
        response = client.get(f"/cases/MN-2026-0001/documents/{doc['sha256']}")
        assert response.status_code == 200
        assert hashlib.sha256(response.content).hexdigest() == doc["sha256"]
        assert response.content == (desk.home / doc["archive"]).read_bytes()
        disposition = response.headers["content-disposition"]
        if doc["file"].endswith(".pdf"):
            assert response.headers["content-type"] == "application/pdf" and disposition.startswith("inline")
        else:
            assert disposition.startswith("attachment")
    other = _doc(_case(desk, "MN-2026-0002"), ".pdf")["sha256"]
    assert client.get(f"/cases/MN-2026-0001/documents/{other}").status_code == 404  # not this case's
    assert client.get(f"/cases/MN-2026-0001/documents/{'0' * 64}").status_code == 404


def test_page_images_show_where_values_were_read(desk: Server) -> None:
    client = desk.sign_in(OFFICER)
    sha = _doc(_case(desk, REFERRAL_PDF), "referral-form.pdf")["sha256"]
    response = client.get(f"/cases/{REFERRAL_PDF}/documents/{sha}/pages/1.png")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert image.width > 600
    blue = int((numpy.asarray(image) == (29, 112, 184)).all(axis=2).sum())
    assert blue > 2000  # the boxes (and their labels) drawn around the values read
    assert client.get(f"/cases/{REFERRAL_PDF}/documents/{sha}/pages/99.png").status_code == 404
    assert client.get(f"/cases/{REFERRAL_PDF}/documents/{sha}/pages/0.png").status_code == 404


def test_a_correction_clears_its_finding_and_letters_follow_once(desk: Server) -> None:
    client = desk.sign_in(OFFICER)
    before = _case(desk, REFERRAL_PDF)
    assert any("telephone" in f["message"] for f in before["findings"])
    sha = _doc(before, "referral-form.pdf")["sha256"]
    page = client.get(f"/cases/{REFERRAL_PDF}")
    form = {"document": sha, "key": "parent_phone", "value": "01603 555 123", "note": "rang the school",
            "csrf_token": csrf_of(page.text)}
    response = client.post(f"/cases/{REFERRAL_PDF}/fields", data=form)
    assert response.status_code == 303
    after = _case(desk, REFERRAL_PDF)
    assert not any("telephone" in f["message"] for f in after["findings"])
    assert any(f["rule"] == "R-DOCS-EVIDENCE" for f in after["findings"])  # the other gap remains
    assert after["corrections"][-1] | {"at": None} == {
        "document": sha, "key": "parent_phone", "original": None, "value": "01603555123", "note": "rang the school",
        "who": OFFICER[0], "at": None, "on": "2026-01-12"}
    requests = [x for x in after["letters"] if x["document"] == "request-for-information"]
    assert len(requests) == len([x for x in before["letters"] if x["document"] == "request-for-information"]) + 1
    shown = client.get(f"/cases/{REFERRAL_PDF}")
    assert "first read as “Not given”" in shown.text and "rang the school" in shown.text
    again = client.post(f"/cases/{REFERRAL_PDF}/fields", data=form)
    assert again.status_code == 400 and "nothing was changed" in again.text
    assert _case(desk, REFERRAL_PDF)["letters"] == after["letters"]


def test_bad_corrections_change_nothing(desk: Server) -> None:
    client = desk.sign_in(OFFICER)
    before = _case(desk, REFERRAL_PDF)
    sha = _doc(before, "referral-form.pdf")["sha256"]
    token = csrf_of(client.get(f"/cases/{REFERRAL_PDF}").text)
    cases = [({"document": sha, "key": "pupil_shoe_size", "value": "5"}, 400, "not a field"),
             ({"document": sha, "key": "pupil_dob", "value": "31/02/2015"}, 400, "cannot be"),
             ({"document": "f" * 64, "key": "pupil_dob", "value": "01/02/2015"}, 400, "has no document"),
             ({"document": sha, "key": "", "value": "x"}, 400, "Choose the document")]
    for data, status, words in cases:
        response = client.post(f"/cases/{REFERRAL_PDF}/fields", data={**data, "csrf_token": token})
        assert response.status_code == status, data
        assert words in response.text, data
    assert client.post("/cases/MN-2026-0999/fields", data={"document": sha, "key": "pupil_dob", "value": "1/2/2015",
                                                           "csrf_token": token}).status_code == 404
    after = _case(desk, REFERRAL_PDF)
    assert after["corrections"] == before["corrections"] and after["letters"] == before["letters"]


def test_a_decision_records_the_desk_user_and_writes_its_letter(desk: Server) -> None:
    client = desk.sign_in(COORDINATOR)
    token = csrf_of(client.get("/cases/MN-2026-0004").text)
    refused = client.post("/cases/MN-2026-0004/decision", data={"decision": "accept", "reason": "",
                                                                "csrf_token": token})
    assert refused.status_code == 400 and "Enter the reason" in refused.text
    response = client.post("/cases/MN-2026-0004/decision",
                           data={"decision": "accept", "reason": "GP evidence confirmed by phone", "csrf_token": token})
    assert response.status_code == 303
    case = _case(desk, "MN-2026-0004")
    assert case["state"] == "accepted"
    assert case["decisions"][-1]["who"] == COORDINATOR[0]
    letter = next(x for x in case["letters"] if x["document"] == "acceptance-letter")
    stem = letter["path"].rsplit("/", 1)[-1].removesuffix(".docx")
    download = client.get(f"/cases/MN-2026-0004/letters/{stem}")
    assert download.status_code == 200
    assert download.content == (desk.home / letter["path"]).read_bytes()
    assert zipfile.ZipFile(io.BytesIO(download.content)).namelist()  # a real Word document
    again = client.post("/cases/MN-2026-0004/decision",
                        data={"decision": "accept", "reason": "twice", "csrf_token": token})
    assert again.status_code == 409  # an accepted case cannot be accepted again; nothing changed
    assert len(_case(desk, "MN-2026-0004")["decisions"]) == len(case["decisions"])
    assert client.get("/cases/MN-2026-0004/letters/no-such-letter").status_code == 404


def test_schedule_refuses_an_invalid_date_then_schedules(desk: Server) -> None:
    client = desk.sign_in(COORDINATOR)
    token = csrf_of(client.get("/cases/MN-2026-0001").text)
    bad = client.post("/cases/MN-2026-0001/schedule", data={"meeting": "32/13/2026", "start": "26/01/2026",
                                                            "csrf_token": token})
    assert bad.status_code == 400 and "not a date" in bad.text
    assert _case(desk, "MN-2026-0001")["state"] == "accepted"
    good = client.post("/cases/MN-2026-0001/schedule", data={"meeting": "19/01/2026", "start": "26/01/2026",
                                                             "csrf_token": token})
    assert good.status_code == 303
    case = _case(desk, "MN-2026-0001")
    assert case["state"] == "planning" and case["timeline"]["start"] == "2026-01-26"
    assert {"timeline", "planning-record"} <= {x["document"] for x in case["letters"] if x["on"] == "2026-01-12"}


def test_an_unmatched_document_is_opened_as_a_case(desk: Server) -> None:
    client = desk.sign_in(OFFICER)
    page = client.get("/documents")
    assert "consent-wilf.docx" in page.text
    sha = re.search(r'action="/documents/([0-9a-f]{64})/open"', page.text)
    assert sha is not None
    token = csrf_of(page.text)
    wrong = client.post(f"/documents/{sha.group(1)}/attach", data={"case": "MN-2026-0003", "csrf_token": token})
    assert wrong.status_code == 400 and "not_accepted" in wrong.text  # a closed case takes nothing
    assert client.post(f"/documents/{'a' * 64}/open", data={"csrf_token": token}).status_code == 404
    opened = client.post(f"/documents/{sha.group(1)}/open", data={"csrf_token": token})
    assert opened.status_code == 303
    ref = opened.headers["location"].split("/cases/")[1].split("?")[0]
    case = _case(desk, ref)
    assert case["pupil_name"] == "Wilf Ashdown-Pryce"
    assert case["decisions"][-1]["who"] == OFFICER[0]
    assert "consent-wilf.docx" not in client.get("/documents").text


def test_merge_refuses_what_is_not_a_list_and_merges_a_csv(desk: Server) -> None:
    client = desk.sign_in(OFFICER)
    page = client.get("/merge")
    token = csrf_of(page.text)
    template = re.search(r'<option value="([^"]+\.docx)"', page.text)
    assert template is not None
    pdf = (desk.home / "archive" / "MN-2026-0002" / "referral-form.pdf").read_bytes()
    refused = client.post("/merge", data={"template": template.group(1), "source": "upload", "csrf_token": token},
                          files={"data": ("list.csv", pdf, "text/csv")})
    assert refused.status_code == 415 and "not a CSV or Excel" in refused.text
    empty = client.post("/merge", data={"template": template.group(1), "source": "upload", "csrf_token": token})
    assert empty.status_code == 400
    doc = Document()
    doc.add_paragraph("Dear parent or carer of {{ pupil_name }},")
    doc.add_paragraph("Your child's school, {{ school }}, has an appointment on {{ day }}.")
    buffer = io.BytesIO()
    doc.save(buffer)
    rows = "pupil_name,school,day\nAda Brightwater,Fenland <Primary>,3 February 2026\nBo Kettle,Wymondham High,4 February 2026\n"
    merged = client.post("/merge", data={"source": "upload", "csrf_token": token},
                         files={"data": ("list.csv", rows.encode(), "text/csv"),
                                "template_file": ("invite.docx", buffer.getvalue(), "application/octet-stream")})
    assert merged.status_code == 200, merged.text[:300]
    bundle = zipfile.ZipFile(io.BytesIO(merged.content))
    letters = [n for n in bundle.namelist() if n.endswith(".docx") and n != "all-letters.docx"]
    assert len(letters) == 2
    text = zipfile.ZipFile(io.BytesIO(bundle.read(letters[0]))).read("word/document.xml").decode()
    assert "Ada Brightwater" in text and "Fenland &lt;Primary&gt;" in text


def test_the_export_is_the_archive_bundle(desk: Server) -> None:
    client = desk.sign_in(OFFICER)
    response = client.get("/cases/MN-2026-0003/export")
    assert response.status_code == 200 and response.headers["content-disposition"].startswith("attachment")
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    assert any(n.endswith("manifest.json") for n in bundle.namelist())


def test_quarantine_retry_puts_the_file_back(desk: Server) -> None:
    quarantined = desk.home / "quarantine" / "broken.pdf"
    quarantined.write_bytes(b"%PDF-1.7\n garbage")
    (desk.home / "quarantine" / "broken.pdf.reason.txt").write_text("damaged: the PDF is damaged\n")
    client = desk.sign_in(OFFICER)
    page = client.get("/quarantine")
    assert "broken.pdf" in page.text
    token = csrf_of(page.text)
    assert client.post("/quarantine/nothing-here.pdf/retry", data={"csrf_token": token}).status_code == 404
    assert client.post("/quarantine/broken.pdf/retry", data={"csrf_token": token}).status_code == 303
    assert (desk.home / "inbox" / "broken.pdf").exists() and not quarantined.exists()


def test_the_cli_corrects_with_the_same_domain_function(desk: Server) -> None:
    case = _case(desk, "MN-2026-0003")
    sha = _doc(case, "referral-form.pdf")["sha256"]
    bad = docgen(desk.home, "correct", "MN-2026-0003", sha[:12], "pupil_dob", "31/02/2015", "--by", "pat", check=False)
    assert bad.returncode == 1 and "nothing was changed" in bad.stderr
    done = docgen(desk.home, "correct", "MN-2026-0003", sha[:12], "pupil_gender", "Prefers not to say", "--by", "pat")
    assert "corrected" in done.stdout
    after = _case(desk, "MN-2026-0003")
    assert after["corrections"][-1]["who"] == "pat" and after["corrections"][-1]["key"] == "pupil_gender"
    assert after["state"] == "not_accepted"  # a closed case is not judged again
