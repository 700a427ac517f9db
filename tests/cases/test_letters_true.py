"""Letters that are always true (issue 14): the coordinator's commands driven as the CLI, letters read as text."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import docx
from click.testing import CliRunner, Result

import docgen.cli  # noqa: F401 - registers every command on the root group
from docgen.calendar import year_group_on
from docgen.cli.base import main
from docgen.config import Settings, load_settings
from docgen.samples.builder import (
    jmp_consent_values,
    jmp_health_values,
    referral_values,
    write_form_pdf,
    write_submission,
)

SIGNATORY = '[signatory]\nname = "Alex Morgan"\nemail = "medicalneeds@example.org"\nphone = "01603 000000"\n'


def cli(home: Path, today: dt.date, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), "--today", today.isoformat(), *args])


def ok(home: Path, today: dt.date, *args: str) -> str:
    result = cli(home, today, *args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def process(home: Path, today: dt.date) -> None:
    ok(home, today, "process", "--json")


def case_json(home: Path, ref: str, today: dt.date) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(home, today, "case", ref, "--json"))
    return data


def text_of(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:
                if not cells or cells[-1] != cell.text:
                    cells.append(cell.text)
            parts.append(" | ".join(cells))
    return "\n".join(parts)


def latest(home: Path, data: dict[str, Any], document: str) -> str:
    letter = [x for x in data["letters"] if x["document"] == document][-1]
    return text_of(home / letter["path"])


def outbox(home: Path) -> set[str]:
    return {str(p.relative_to(home)) for p in (home / "outbox").rglob("*") if p.is_file()}


def make_home(tmp_path: Path, *, signatory: bool = True) -> Path:
    home = tmp_path / "home"
    (home / "inbox").mkdir(parents=True)
    toml = '[letters]\npdf = "off"\n[intake]\nfile_stable_seconds = 0\n' + (SIGNATORY if signatory else "")
    (home / "docgen.toml").write_text(toml, encoding="utf-8")
    return home


def test_invalid_ends_are_refused_with_nothing_written_and_a_valid_one_tells_the_truth(tmp_path: Path) -> None:
    home = make_home(tmp_path)
    t0 = dt.date(2026, 12, 17)  # a Christmas referral: the letter goes out on the last Thursday of term
    write_submission(home / "inbox" / "referral", "accepted", seed=2, today=t0, fmt="pdf")
    process(home, t0)
    [case] = json.loads(ok(home, t0, "cases", "--json"))
    ref = case["case"]
    data = case_json(home, ref, t0)
    # the provisional start leaves the school week after the letter for the planning meeting (§11.3, §11.4)
    assert data["timeline"]["provisional"] is True and data["timeline"]["start"] == "2027-01-11"
    timeline = latest(home, data, "timeline")
    assert "Fri 18 Dec" not in timeline and "second school week after this letter" in timeline

    # the shipped reminder merges over the register, and says the planning meeting has no deadline (§11.3)
    ok(home, t0, "merge", "reminder", "--due-within", "30", "--out", str(tmp_path / "merged"))
    reminder = text_of(tmp_path / "merged" / f"{ref}.docx")
    assert "the next step is the initial planning meeting" in reminder and "the policy sets no date" in reminder
    assert "§" not in reminder and "{{" not in reminder

    def refused(today: dt.date, *args: str) -> str:
        before = (outbox(home), case_json(home, ref, today)["state"], len(case_json(home, ref, today)["decisions"]))
        result = cli(home, today, "end", ref, *args)
        assert result.exit_code == 1, result.output
        message = str(result.exception)  # run() prints it as one line "docgen: …" on stderr
        assert message and "\n" not in message
        after = (outbox(home), case_json(home, ref, today)["state"], len(case_json(home, ref, today)["decisions"]))
        assert after == before
        return message

    assert "no provision to end" in refused(t0, "--reason", "returned_to_school", "--date", "2027-01-05")
    ok(home, t0, "schedule", ref, "--meeting", "2026-12-17", "--start", "2027-01-04",
       "--expected-return", "2027-06-01")
    t1 = dt.date(2027, 1, 20)
    assert "end_of_statutory_school_age does not apply" in refused(
        t1, "--reason", "end_of_statutory_school_age", "--date", "2027-03-01")
    assert "cannot end on 1 November 2026" in refused(t1, "--reason", "returned_to_school", "--date", "2026-11-01")
    assert "cannot end on 1 May 2027" in refused(t1, "--reason", "returned_to_school", "--date", "2027-05-01")
    assert "has until 16 April 2027" in refused(t1, "--reason", "no_continuation", "--date", "2027-04-16")

    # the timeline document shows Easter in full, as `docgen timeline` does
    data = case_json(home, ref, t1)
    rows = latest(home, data, "timeline")
    assert "11 | Mon 22 Mar to Thu 25 Mar 2027 | Easter holiday (Fri 26 Mar): no provision" in rows
    assert " | Mon 29 Mar to Fri 9 Apr 2027 | Easter holiday, Fri 26 Mar to Fri 9 Apr: no provision" in rows
    assert "Easter holiday: Fri 26 Mar 2027 – Fri 9 Apr 2027" in ok(home, t1, "timeline", "--start", "2027-01-04")

    # a valid end, in a letter written before the end date: future tense, handed back the next school day
    ok(home, dt.date(2027, 3, 19), "end", ref, "--reason", "returned_to_school", "--date", "2027-03-25")
    ending = latest(home, case_json(home, ref, dt.date(2027, 3, 19)), "end-of-provision-letter")
    assert "will end on 25 March 2027" in ending
    assert "From Monday 12 April 2027" in ending and "will be responsible" in ending
    assert "From 25 March" not in ending


def test_the_planning_record_invites_the_evidence_giver_and_a_shortened_period_reads_true(tmp_path: Path) -> None:
    home = make_home(tmp_path)
    t0 = dt.date(2027, 3, 1)
    sub = write_submission(home / "inbox" / "referral", "accepted", seed=4, today=t0, fmt="pdf")
    form = next(f for f in sub.files if "referral" in f.name)
    values = {**referral_values(sub.pupil, today=t0), "health_professionals": "Ms Quill Referralfield, school nursing"}
    write_form_pdf(form, "referral", values)
    evidence = jmp_health_values(sub.pupil, today=t0)
    process(home, t0)
    [case] = json.loads(ok(home, t0, "cases", "--json"))
    ref = case["case"]
    # no --expected-return: the referral's expected absence (8 school weeks from its date) caps the period (§11.4)
    ok(home, t0, "schedule", ref, "--meeting", "2027-03-08", "--start", "2027-03-15")
    data = case_json(home, ref, t0)
    assert data["timeline"]["end_reason"] == "expected_return" and len(data["timeline"]["weeks"]) < 12
    record = latest(home, data, "planning-record")
    invited = next(line for line in record.splitlines() if line.startswith("Health professional who gave"))
    assert str(evidence["professional_name"]) in invited and "Referralfield" not in invited
    assert "week 6 of 12" not in record and "not applicable" not in record.split("Part B")[1].split("Date of")[0]
    timeline = latest(home, data, "timeline")
    assert "expected back in school" in timeline and "The referral expected 8 school weeks of absence" in timeline
    review_line = next(line for line in timeline.splitlines() if line.startswith("Review meeting (halfway, week"))
    week = review_line.split("week ")[1].split(")")[0]
    assert f"{week} | " in timeline and "Review meeting this week" in timeline
    assert int(week) < len(data["timeline"]["weeks"])  # never in the final week
    assert "end of week 7" not in timeline or len(data["timeline"]["weeks"]) >= 7

    # a letter dated in a later school year gives the year group on its own date
    later = dt.date(2027, 7, 5)
    end = data["timeline"]["provision_end"]
    ok(home, later, "end", ref, "--reason", "returned_to_school", "--date", end)
    ending = latest(home, case_json(home, ref, later), "end-of-provision-letter")
    dob = dt.date.fromisoformat(str(data["dob"]))
    assert f"Year group | Year {year_group_on(dob, later)}" in ending


def test_no_signatory_no_letters_then_decisions_cite_the_policy_and_term_dates_are_flagged(tmp_path: Path) -> None:
    home = make_home(tmp_path, signatory=False)
    t0 = dt.date(2027, 6, 10)  # a 12-week period from here runs past the 2026-27 term dates
    write_submission(home / "inbox" / "review", "review", seed=4, today=t0, fmt="pdf")
    write_submission(home / "inbox" / "accepted", "accepted", seed=2, today=t0, fmt="pdf")
    process(home, t0)
    assert outbox(home) == set()
    assert "no signatory is configured" in ok(home, t0, "status")
    cases = {c["state"]: c["case"] for c in json.loads(ok(home, t0, "cases", "--json"))}
    review = cases["review"]
    assert review.startswith("MN-2027-")  # case numbers and receipts follow --today
    assert case_json(home, review, t0)["documents"][0]["received_at"].startswith("2027-06-10")
    refused = cli(home, t0, "decide", review, "not-accept", "--reason", "the evidence does not support it")
    assert refused.exit_code == 1 and "no signatory is configured" in str(refused.exception)
    assert case_json(home, review, t0)["state"] == "review" and outbox(home) == set()

    (home / "docgen.toml").write_text((home / "docgen.toml").read_text() + SIGNATORY, encoding="utf-8")
    process(home, t0)  # the letters that waited are written now
    accepted = cases["accepted"]
    data = case_json(home, accepted, t0)
    assert data["timeline"] is None
    letter = latest(home, data, "acceptance-letter")
    assert "Enclosed: Initial Planning and Review Record" in letter and "Enclosed: Timeline" not in letter
    assert "Action needed: Term dates must be extended" in latest(home, data, "check-report")
    assert "term dates must be extended" in ok(home, t0, "due")
    assert "term dates must be extended" in ok(home, t0, "status")
    assert "to arrange" in ok(home, t0, "due") and "OVERDUE planning" not in ok(home, dt.date(2027, 7, 1), "due")

    ok(home, t0, "decide", review, "not-accept", "--reason", "the GP letter alone does not support the absence")
    refusal = latest(home, case_json(home, review, t0), "not-accepted-letter")
    assert "Reason (policy section 11.2.2): The GP letter alone does not support the absence." in refusal
    assert "contact the Medical Needs Coordinator" not in refusal


def test_a_second_request_acknowledges_what_arrived_and_asks_only_for_what_is_missing(tmp_path: Path) -> None:
    home = make_home(tmp_path)
    t0 = dt.date(2026, 3, 2)
    sub = write_submission(home / "inbox" / "first", "incomplete", seed=3, today=t0, fmt="pdf")
    process(home, t0)
    [case] = json.loads(ok(home, t0, "cases", "--json"))
    ref = case["case"]
    first = latest(home, case_json(home, ref, t0), "request-for-information")
    assert "medical evidence" in first.lower() and "Parent/carer telephone" in first
    more = home / "inbox" / "evidence"
    more.mkdir()
    write_form_pdf(more / "jmp-health.pdf", "jmp_health", jmp_health_values(sub.pupil, today=t0))
    write_form_pdf(more / "jmp-consent.pdf", "jmp_consent", jmp_consent_values(sub.pupil, today=t0))
    t1 = dt.date(2026, 3, 9)
    process(home, t1)
    data = case_json(home, ref, t1)
    assert data["state"] == "incomplete"
    second = latest(home, data, "request-for-information")
    assert "Thank you for the documents received since our letter of 2 March 2026" in second
    assert "the Health Information Form (jmp-health.pdf)" in second
    asked = second.split("What is needed")[1]
    assert "Parent/carer telephone" in asked and "No medical evidence" not in asked
    assert "We still need the following" in second


def test_settings_without_a_signatory_say_what_to_add(tmp_path: Path) -> None:
    home = make_home(tmp_path, signatory=False)
    problem = load_settings(home).signatory_missing
    assert problem is not None and "[signatory]" in problem and "name, email, phone" in problem
    (home / "docgen.toml").write_text(SIGNATORY, encoding="utf-8")
    assert load_settings(home).signatory_missing is None
    assert isinstance(load_settings(home), Settings)
