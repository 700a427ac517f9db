"""Whole case journeys: documents in through intake, the coordinator's commands through the CLI, letters read."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner, Result

import docgen.cli  # noqa: F401 - registers every command on the root group
from docgen import db
from docgen.cases.archive import sha256_of
from docgen.cases.service import CaseService
from docgen.cli.base import main
from docgen.config import Settings
from docgen.errors import InvalidTransition
from docgen.samples.builder import (
    continuation_values,
    jmp_consent_values,
    jmp_health_values,
    referral_values,
    write_attendance_csv,
    write_form_pdf,
    write_planning_record,
    write_submission,
)

T0 = dt.date(2026, 3, 2)


def cli(settings: Settings, today: dt.date, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--home", str(settings.home), "--today", today.isoformat(), *args])
    return result


def ok(settings: Settings, today: dt.date, *args: str) -> str:
    result = cli(settings, today, *args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def process(settings: Settings, today: dt.date) -> dict[str, Any]:
    """`docgen process --json`: one pass of the real intake pipeline."""
    toml = settings.home / "docgen.toml"
    if "file_stable_seconds" not in toml.read_text():
        toml.write_text(toml.read_text() + "[intake]\nfile_stable_seconds = 0\n")
    report: dict[str, Any] = json.loads(ok(settings, today, "process", "--json"))
    return report


def case_json(settings: Settings, ref: str, today: dt.date = T0) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(settings, today, "case", ref, "--json"))
    return data


def letter_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def letters_of(data: dict[str, Any]) -> list[str]:
    return [letter["document"] for letter in data["letters"]]


def test_referral_incomplete_then_evidence_then_accepted_scheduled_continued_ended(settings: Settings) -> None:
    # 1. The referral arrives without medical evidence and with the parent's phone blank.
    sub = write_submission(settings.inbox / "first", "incomplete", seed=3, today=T0, fmt="pdf")
    pupil = sub.pupil
    process(settings, T0)
    [case] = json.loads(ok(settings, T0, "cases", "--json"))
    ref = case["case"]
    assert (case["state"], case["pupil_name"]) == ("incomplete", pupil.name)
    data = case_json(settings, ref)
    assert letters_of(data) == ["check-report", "request-for-information"]
    request = letter_text(settings.home / data["letters"][1]["path"])
    assert "Parent/carer telephone" in request
    assert "medical evidence" in request.lower()
    assert ref in request

    # 2. The corrected form and the evidence arrive: re-checked and accepted; one request letter only.
    more = settings.inbox / "second"
    more.mkdir()
    write_form_pdf(more / "referral-corrected.pdf", "referral", referral_values(pupil, today=T0))
    write_form_pdf(more / "jmp-health.pdf", "jmp_health", jmp_health_values(pupil, today=T0))
    write_form_pdf(more / "jmp-consent.pdf", "jmp_consent", jmp_consent_values(pupil, today=T0))
    process(settings, T0)
    data = case_json(settings, ref)
    assert data["state"] == "accepted", data["findings"]
    assert letters_of(data).count("request-for-information") == 1
    assert {"acceptance-letter", "timeline", "planning-record"} <= set(letters_of(data))
    acceptance = next(x for x in data["letters"] if x["document"] == "acceptance-letter")
    accepted_text = letter_text(settings.home / acceptance["path"])
    assert pupil.name in accepted_text and "provisional" in accepted_text
    assert data["timeline"]["provisional"] is True

    # 3. The coordinator schedules the planning meeting; provision starts after the Easter holiday check.
    # the referral expected 8 weeks' absence; the coordinator knows the pupil is away longer (§11.4)
    out = ok(settings, T0, "schedule", ref, "--meeting", "09/03/2026", "--start", "2026-03-16",
             "--expected-return", "2026-09-03")
    assert "is now planning" in out
    data = case_json(settings, ref)
    assert data["timeline"]["start"] == "2026-03-16" and data["timeline"]["provisional"] is False
    assert data["timeline"]["provision_end"] == "2026-06-26"  # Easter (30 Mar–10 Apr) is not counted
    planning = [x for x in data["letters"] if x["document"] == "planning-record"][-1]
    assert "9 March 2026" in letter_text(settings.home / planning["path"])

    # 4. Near the end of the period the school asks for a continuation, with updated documents.
    t1 = dt.date(2026, 6, 15)
    cont = settings.inbox / "continuation"
    cont.mkdir()
    write_form_pdf(cont / "continuation.pdf", "continuation",
                   continuation_values(pupil, provision_start=dt.date(2026, 3, 16), today=t1, case_reference=ref))
    write_form_pdf(cont / "jmp-health.pdf", "jmp_health", jmp_health_values(pupil, today=t1))
    write_attendance_csv(cont / "attendance.csv", pupil, start=dt.date(2026, 1, 5), sessions=200, illness_ratio=0.6)
    write_planning_record(cont / "planning-record.docx", pupil, meeting=dt.date(2026, 3, 9),
                          provision_start=dt.date(2026, 3, 16), review=dt.date(2026, 5, 8))
    process(settings, t1)
    data = case_json(settings, ref, t1)
    assert data["state"] == "continuation_requested", data["findings"]
    assert "continuation" in json.dumps(json.loads(ok(settings, t1, "due", "--json")))

    # 5. Agreed: a new period from the first school day after the previous end.
    out = ok(settings, t1, "continue", ref, "agree")
    assert "new period 2026-06-29" in out
    data = case_json(settings, ref, t1)
    assert data["state"] == "in_provision" and data["timeline"]["start"] == "2026-06-29"
    agreed = next(x for x in data["letters"] if x["document"] == "continuation-agreed-letter")
    assert "29 June 2026" in letter_text(settings.home / agreed["path"])

    # 6. The pupil returns to school: End of Provision.
    t2 = dt.date(2026, 9, 14)
    ok(settings, t2, "end", ref, "--reason", "returned_to_school", "--date", "2026-09-14")
    data = case_json(settings, ref, t2)
    assert data["state"] == "ended"
    ending = next(x for x in data["letters"] if x["document"] == "end-of-provision-letter")
    text = letter_text(settings.home / ending["path"])
    assert "14 September 2026" in text and settings.signatory.evaluation_link in text
    assert [h["to"] for h in data["history"]] == [
        "received", "incomplete", "accepted", "planning", "in_provision", "continuation_requested", "in_provision",
        "ended"]
    # every letter is archived once beside the originals, with its checksum
    manifest = json.loads((settings.archive / ref / "manifest.json").read_text())
    produced = {f["sha256"] for f in manifest["files"] if f["role"] == "produced"}
    assert produced == {x["sha256"] for x in data["letters"]}

    # 7. An ended case cannot be scheduled again.
    result = cli(settings, t2, "schedule", ref, "--meeting", "2026-09-20", "--start", "2026-09-21")
    assert isinstance(result.exception, InvalidTransition)
    assert str(result.exception).startswith(f"{ref} is ended; a case that has ended cannot be scheduled")


def test_evidence_before_the_referral_and_a_duplicate(settings: Settings) -> None:
    sub_folder = settings.home / "samples"
    sub = write_submission(sub_folder, "accepted", seed=4, today=T0, fmt="pdf")
    evidence = [f for f in sub.files if "referral" not in f.name]
    early = settings.inbox / "evidence-first"
    early.mkdir()
    for f in evidence:
        (early / f.name).write_bytes(f.read_bytes())
    process(settings, T0)
    assert json.loads(ok(settings, T0, "cases", "--json")) == []
    listing = ok(settings, T0, "cases")
    assert "not linked to any case" in listing

    late = settings.inbox / "referral-later"
    late.mkdir()
    referral = next(f for f in sub.files if "referral" in f.name)
    (late / referral.name).write_bytes(referral.read_bytes())
    process(settings, T0)
    [case] = json.loads(ok(settings, T0, "cases", "--json"))
    assert case["state"] == "accepted"
    data = case_json(settings, case["case"])
    assert sorted(d["file"] for d in data["documents"]) == sorted(f.name for f in sub.files)
    assert letters_of(data).count("acceptance-letter") == 1

    # the same referral saved again under another name is a duplicate: recorded, no second letter
    (settings.inbox / "copy of referral.pdf").write_bytes(referral.read_bytes())
    report = process(settings, T0)
    assert report["duplicates"] == [{"file": "copy of referral.pdf", "sha256": sha256_of(referral),
                                     "case": case["case"]}]
    data = case_json(settings, case["case"])
    assert [d["file"] for d in data["duplicates"]] == ["copy of referral.pdf"]
    assert letters_of(data).count("acceptance-letter") == 1
    service = CaseService(settings, db.connect(settings.database), today=T0)
    assert service.cases_to_judge(now=dt.datetime.now(dt.UTC), settle_seconds=0) == []
    service.conn.close()


def test_review_decisions_and_illegal_transitions_exit_1(settings: Settings) -> None:
    write_submission(settings.inbox / "review", "review", seed=4, today=T0, fmt="pdf")
    process(settings, T0)
    [case] = json.loads(ok(settings, T0, "cases", "--json"))
    ref = case["case"]
    assert case["state"] == "review"
    assert case["next_due"]["what"].startswith("coordinator's decision")
    ok(settings, T0, "decide", ref, "request-info", "--reason", "Please send evidence from the paediatrician")
    data = case_json(settings, ref)
    assert data["state"] == "incomplete"
    assert data["decisions"][0]["reason"] == "Please send evidence from the paediatrician"
    request = next(x for x in data["letters"] if x["document"] == "request-for-information")
    assert "paediatrician" in letter_text(settings.home / request["path"])
    ok(settings, T0, "decide", ref, "not-accept", "--reason", "Evidence does not support absence")
    data = case_json(settings, ref)
    assert data["state"] == "not_accepted"
    refused = next(x for x in data["letters"] if x["document"] == "not-accepted-letter")
    assert "Evidence does not support absence" in letter_text(settings.home / refused["path"])

    run = subprocess.run([sys.executable, "-c", "from docgen.cli import main; main()", "--home",
                          str(settings.home), "continue", ref, "agree"], capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert run.stderr.strip() == (f"docgen: {ref} was not accepted; a case that was not accepted cannot be given an "
                                  "agreed continuation; a child referred again needs a new referral, which opens "
                                  "a new case")
    bad = cli(settings, T0, "end", ref, "--reason", "bored", "--date", "2026-03-02")
    assert bad.exit_code == 2


def test_an_emailed_submission_is_archived_with_its_attachments(settings: Settings) -> None:
    from email.message import EmailMessage

    sub = write_submission(settings.home / "samples", "accepted", seed=2, today=T0, fmt="pdf")
    message = EmailMessage()
    message["From"] = "school@example.org"
    message["To"] = "medicalneeds@example.org"
    message["Subject"] = "Referral"
    message.set_content("Please find the referral attached.")
    for file in sub.files:
        maintype, subtype = ("text", "csv") if file.suffix == ".csv" else ("application", "octet-stream")
        message.add_attachment(file.read_bytes(), maintype=maintype, subtype=subtype, filename=file.name)
    email = settings.inbox / "referral.eml"
    email.write_bytes(message.as_bytes())
    email_sha = sha256_of(email)
    process(settings, T0)
    [case] = json.loads(ok(settings, T0, "cases", "--json"))
    assert case["state"] == "accepted"
    manifest = json.loads((settings.archive / case["case"] / "manifest.json").read_text())
    originals = [f for f in manifest["files"] if f["role"] == "original"]
    attachments = {f["path"]: f for f in manifest["files"] if f["role"] == "attachment"}
    assert [f["sha256"] for f in originals] == [email_sha]
    assert sorted(attachments) == sorted(f.name for f in sub.files)
    assert {f["from"] for f in attachments.values()} == {email_sha}
    assert sha256_of(settings.archive / case["case"] / originals[0]["path"]) == email_sha
    assert not email.exists()  # taken out of the inbox once safely archived


def test_no_continuation_ends_provision_only_after_the_deadline(settings: Settings) -> None:
    """§11.8: "the school does not submit a Continuation request within the 12-week period" — not before."""
    write_submission(settings.inbox / "referral", "accepted", seed=2, today=T0, fmt="pdf")
    process(settings, T0)
    [case] = json.loads(ok(settings, T0, "cases", "--json"))
    ref = case["case"]
    ok(settings, T0, "schedule", ref, "--meeting", "2026-03-09", "--start", "2026-03-16",
       "--expected-return", "2026-09-03")
    due = case_json(settings, ref)["timeline"]["continuation_due"]
    assert due == "2026-06-26"

    early = cli(settings, dt.date(2026, 6, 1), "end", ref, "--reason", "no_continuation", "--date", due)
    assert early.exit_code == 1
    assert "the school has until 26 June 2026 to send a Continuation request" in str(early.exception)
    assert case_json(settings, ref, dt.date(2026, 6, 1))["state"] == "in_provision"

    late = dt.date(2026, 6, 29)
    ok(settings, late, "end", ref, "--reason", "no_continuation", "--date", due)
    data = case_json(settings, ref, late)
    ending = next(x for x in data["letters"] if x["document"] == "end-of-provision-letter")
    text = letter_text(settings.home / ending["path"])
    assert "ended on 26 June 2026" in text
    assert "did not submit a Continuation request within the 12-week period" in text



def test_no_continuation_is_refused_when_the_period_ends_at_school_leaving_age(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Year 11 period capped by the school leaving date has no Continuation request to miss (§11.8)."""
    import docgen.samples.builder as samples

    year_11 = samples.make_pupil
    monkeypatch.setattr(samples, "make_pupil",
                        lambda seed, *, today, year_group=None: year_11(seed, today=today, year_group=11))
    today = dt.date(2027, 3, 15)
    write_submission(settings.inbox / "referral", "accepted", seed=4, today=today, fmt="pdf")
    process(settings, today)
    [case] = json.loads(ok(settings, today, "cases", "--json"))
    ref = case["case"]
    ok(settings, today, "schedule", ref, "--meeting", "2027-03-24", "--start", "2027-04-12",
       "--expected-return", "2027-07-05")
    timeline = case_json(settings, ref, today)["timeline"]
    assert (timeline["provision_end"], timeline["continuation_due"]) == ("2027-06-25", None)

    after = dt.date(2027, 6, 28)
    refused = cli(settings, after, "end", ref, "--reason", "no_continuation", "--date", "2027-06-25")
    assert refused.exit_code == 1
    assert "use end_of_statutory_school_age" in str(refused.exception)
    ok(settings, after, "end", ref, "--reason", "end_of_statutory_school_age", "--date", "2027-06-25")
    data = case_json(settings, ref, after)
    ending = next(x for x in data["letters"] if x["document"] == "end-of-provision-letter")
    text = letter_text(settings.home / ending["path"])
    assert "has reached the end of statutory school age" in text
    assert "full education again" not in text


def test_the_planning_record_sent_on_acceptance_has_no_dates_until_the_meeting(settings: Settings) -> None:
    """Part A is completed at the planning meeting, which agrees the start (§11.4): no counted dates before."""
    write_submission(settings.inbox / "referral", "accepted", seed=2, today=T0, fmt="pdf")
    process(settings, T0)
    [case] = json.loads(ok(settings, T0, "cases", "--json"))
    data = case_json(settings, case["case"])
    record = next(x for x in data["letters"] if x["document"] == "planning-record")
    text = letter_text(settings.home / record["path"])
    assert "Provision period\nto be agreed at the planning meeting" in text
    assert "Review meeting due\nhalfway through the provision (section 11.6), once its dates are agreed" in text
    assert "by the end of the 12-week period (section 11.7)" in text
