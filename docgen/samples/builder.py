"""Invented sample documents and whole submissions, for tests, `docgen demo` and benchmarks.

Deterministic by seed. Nothing here is about a real child, school or professional.

    pupil = make_pupil(7, today=today)
    write_form_pdf(folder / "referral.pdf", "referral", referral_values(pupil, today=today))
    submission = write_submission(folder, "accepted", seed=7, today=today)

The pupils and values live in `docgen.samples.data`, the form writers in `docgen.samples.files`,
the evidence/attendance writers in `docgen.samples.evidence`; this module adds whole submissions
per scenario and re-exports the rest.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import random
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from docgen.samples.data import (
    Pupil,
    continuation_values,
    jmp_consent_values,
    jmp_health_values,
    make_pupil,
    referral_values,
    school_days_before,
)
from docgen.samples.evidence import (
    write_attendance_csv,
    write_fit_note,
    write_medical_letter,
    write_planning_record,
)
from docgen.samples.files import (
    convert_to_pdf,
    write_flat_pdf,
    write_flattened_pdf,
    write_form_docx,
    write_form_pdf,
    write_paragraph_docx,
    write_table_docx,
)

SCENARIOS = ("accepted", "incomplete", "review", "not_accepted", "continuation")
FORMATS = ("mixed", "pdf", "docx", "table")


@dataclass
class Submission:
    """One sample submission: its files, the pupil, the scenario and what the checks should conclude."""

    folder: Path
    scenario: str
    pupil: Pupil
    kind: str  # the main form: "referral" or "continuation"
    expected_outcome: str  # accepted / incomplete / review / not_accepted (SPEC §6)
    expected_rules: tuple[str, ...] = ()  # rules that should fire (others may too only when noted)
    files: list[Path] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # the main form's values by key
    note: str = ""


def write_submission(folder: Path, scenario: str, *, seed: int = 1, today: dt.date,
                     fmt: str = "mixed") -> Submission:
    """Write one whole submission for a scenario into folder (created) and describe it.

    Scenarios: "accepted" (complete, nothing for the rules to find), "incomplete" (no medical
    evidence and a required field blank), "review" (a GP's evidence on a repeat referral, or a
    professional who has not seen the child), "not_accepted" (a Year 12 pupil not repeating
    Year 11, or electively home educated with no exceptional circumstances), "continuation" (a
    continuation request with updated evidence, attendance record and planning record).
    fmt: "mixed" (varied by seed), "pdf" (fillable PDFs), "docx" (DOCX forms) or "table" (plain tables).
    """
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; choose one of {', '.join(SCENARIOS)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    folder.mkdir(parents=True, exist_ok=True)
    builder = _Builder(folder, seed=seed, today=today, fmt=fmt)
    return {
        "accepted": builder.accepted,
        "incomplete": builder.incomplete,
        "review": builder.review,
        "not_accepted": builder.not_accepted,
        "continuation": builder.continuation,
    }[scenario]()


def write_submission_email(path: Path, submission: Submission, *, today: dt.date) -> Path:
    """The submission as one email (.eml) from the referrer, every file attached, as a school sends it."""
    sender = submission.values.get("referrer_name") or "School office"
    address = submission.values.get("referrer_email") or "office@school.example"
    message = EmailMessage()
    message["From"] = f"{sender} <{address}>"
    message["To"] = "Medical Needs Service <medicalneeds@example.org>"
    message["Subject"] = f"{submission.kind.capitalize()} for {submission.pupil.name}"
    message["Date"] = format_datetime(dt.datetime.combine(today, dt.time(9, 30), tzinfo=dt.UTC))
    message["Message-ID"] = f"<{submission.scenario}.{submission.pupil.seed}@school.example>"
    message.set_content(f"Dear Medical Needs Service,\n\nPlease find attached the {submission.kind} "
                        f"documents for {submission.pupil.name}.\n\nKind regards,\n"
                        f"{sender}\n")
    for file in submission.files:
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        maintype, subtype = kind.split("/", 1)
        message.add_attachment(file.read_bytes(), maintype=maintype, subtype=subtype, filename=file.name)
    path.write_bytes(bytes(message))
    return path


class _Builder:
    """Writes the documents of one submission in the chosen format mix."""

    def __init__(self, folder: Path, *, seed: int, today: dt.date, fmt: str) -> None:
        self.folder = folder
        self.seed = seed
        self.today = today
        self.fmt = fmt
        self.rng = random.Random(f"submission-{seed}")
        self.files: list[Path] = []

    def _style(self, slot: int) -> str:
        if self.fmt != "mixed":
            return self.fmt
        return ("pdf", "docx", "table")[(self.seed + slot) % 3]

    def form(self, name: str, kind: str, values: dict[str, Any], *, slot: int = 0) -> Path:
        style = self._style(slot)
        if style == "pdf":
            path = write_form_pdf(self.folder / f"{name}.pdf", kind, values)
        elif style == "docx":
            path = write_form_docx(self.folder / f"{name}.docx", kind, values)
        else:
            path = write_table_docx(self.folder / f"{name}.docx", kind, values, label_variant=self.seed)
        self.files.append(path)
        return path

    def attendance(self, pupil: Pupil, *, first_absence: dt.date, illness_days: int) -> Path:
        days = illness_days + self.rng.randint(10, 20)
        start = school_days_before(first_absence, days - illness_days)
        path = write_attendance_csv(self.folder / "attendance.csv", pupil, start=start, sessions=days * 2,
                                    illness_ratio=illness_days / days)
        self.files.append(path)
        return path

    def letter(self, pupil: Pupil, **kwargs: Any) -> Path:
        fmt = "pdf" if self._style(1) == "pdf" else "docx"
        path = write_medical_letter(self.folder / f"medical-letter.{fmt}", pupil, fmt=fmt,
                                    date=self.today - dt.timedelta(days=3),
                                    seen_on=self.today - dt.timedelta(days=10), **kwargs)
        self.files.append(path)
        return path

    def _referral(self, pupil: Pupil, **overrides: Any) -> dict[str, Any]:
        values = referral_values(pupil, today=self.today, **overrides)
        self.form("referral-form", "referral", values)
        return values

    def _submission(self, scenario: str, pupil: Pupil, kind: str, outcome: str, values: dict[str, Any],
                    rules: tuple[str, ...] = (), note: str = "") -> Submission:
        return Submission(self.folder, scenario, pupil, kind, outcome, rules, list(self.files), values, note)

    def accepted(self) -> Submission:
        pupil = make_pupil(self.seed, today=self.today)
        values = self._referral(pupil)
        if self.seed % 2:
            self.letter(pupil)
        else:
            self.form("jmp-health-information", "jmp_health", jmp_health_values(pupil, today=self.today), slot=1)
        self.attendance(pupil, first_absence=values["first_absence_date"], illness_days=values["days_absent"])
        self.form("jmp-consent", "jmp_consent", jmp_consent_values(pupil, today=self.today), slot=2)
        return self._submission("accepted", pupil, "referral", "accepted", values,
                                note="complete referral, evidence, attendance and consent")

    def incomplete(self) -> Submission:
        pupil = make_pupil(self.seed, today=self.today)
        values = self._referral(pupil, parent_phone=None)
        self.attendance(pupil, first_absence=values["first_absence_date"], illness_days=values["days_absent"])
        return self._submission("incomplete", pupil, "referral", "incomplete", values,
                                ("R-FORM-REQUIRED", "R-DOCS-EVIDENCE"),
                                note="no medical evidence; parent/carer telephone left blank")

    def review(self) -> Submission:
        pupil = make_pupil(self.seed, today=self.today)
        if self.seed % 2 == 0:
            values = self._referral(pupil, previous_referral=True)
            self.letter(pupil, role="General Practitioner", name="Dr Harriet Colville",
                        organisation="Quayside Medical Practice")
            rules: tuple[str, ...] = ("R-EVID-GP-REPEAT",)
            note = "repeat referral whose only evidence is from a GP"
        else:
            values = self._referral(pupil)
            self.letter(pupil, seen=False)
            rules = ("R-EVID-SEEN",)
            note = "the letter's writer has not seen the young person"
        self.attendance(pupil, first_absence=values["first_absence_date"], illness_days=values["days_absent"])
        self.form("jmp-consent", "jmp_consent", jmp_consent_values(pupil, today=self.today), slot=2)
        return self._submission("review", pupil, "referral", "review", values, rules, note)

    def not_accepted(self) -> Submission:
        if self.seed % 2 == 0:
            pupil = make_pupil(self.seed, today=self.today, year_group=12)
            values = self._referral(pupil)
            self.attendance(pupil, first_absence=values["first_absence_date"],
                            illness_days=values["days_absent"])
            rules: tuple[str, ...] = ("R-ELIG-AGE-UPPER",)
            note = "Year 12 pupil, not repeating Year 11"
        else:
            pupil = make_pupil(self.seed, today=self.today)
            values = self._referral(pupil, pupil_on_roll=False, pupil_ehe=True, pupil_upn=None, school_name=None,
                                    school_dfe_number=None)
            rules = ("R-ELIG-EHE", "R-ELIG-NOT-ON-ROLL")
            note = "electively home educated, no exceptional circumstances given"
        self.letter(pupil)
        self.form("jmp-consent", "jmp_consent", jmp_consent_values(pupil, today=self.today), slot=2)
        return self._submission("not_accepted", pupil, "referral", "not_accepted", values, rules, note)

    def continuation(self) -> Submission:
        pupil = make_pupil(self.seed, today=self.today)
        monday = self.today - dt.timedelta(days=self.today.weekday())
        provision_start = monday - dt.timedelta(weeks=8)
        values = continuation_values(pupil, provision_start=provision_start, today=self.today)
        self.form("continuation-request", "continuation", values)
        health = jmp_health_values(pupil, today=self.today)
        self.form("jmp-health-information", "jmp_health", health, slot=1)
        self.attendance(pupil, first_absence=provision_start - dt.timedelta(weeks=4), illness_days=50)
        self.files.append(write_planning_record(self.folder / "planning-record.docx", pupil,
                                                meeting=provision_start - dt.timedelta(days=7),
                                                provision_start=provision_start,
                                                review=values["review_meeting_date"]))
        return self._submission("continuation", pupil, "continuation", "accepted", values,
                                note="continuation request with updated evidence, attendance and planning record")


__all__ = [
    "FORMATS", "SCENARIOS", "Pupil", "Submission", "continuation_values", "convert_to_pdf", "jmp_consent_values",
    "jmp_health_values", "make_pupil", "referral_values", "write_attendance_csv", "write_fit_note",
    "write_flat_pdf", "write_flattened_pdf", "write_form_docx", "write_form_pdf", "write_medical_letter", "write_paragraph_docx",
    "write_planning_record", "write_submission", "write_submission_email", "write_table_docx",
]
