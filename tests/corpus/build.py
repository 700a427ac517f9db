"""Build the independent corpus into a folder: documents, a golden JSON beside each, and submissions.

`build(out)` writes every source, converts them with ONE LibreOffice call per target format, flattens the
AcroForms with Ghostscript, qpdf and pdftocairo, and writes `<document>.golden.json` ({"kind", "fields"})
beside each document and `submissions.json` ([{"name", "documents", "outcome", "must_fire",
"must_not_fire"}]). Run `python -m tests.corpus.build OUT` to look at the documents.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.corpus import data, voices, writers
from tests.corpus.data import Q

REFERRAL_TITLE = "Medical Needs Service Referral Form"
HEALTH_TITLE = "Joint Medical Protocol — Health Information Form"
REFERRAL_LAYOUTS = ("lo-table-docx", "lo-table-pdf", "lo-para-docx", "lo-para-pdf", "sdt-docx", "acro-gs",
                    "acro-qpdf", "acro-cairo")
HEALTH_LAYOUTS = ("lo-table-docx", "lo-table-pdf", "lo-para-docx", "sdt-docx")
UNTICKED = ("chk_keyworker", "chk_safe_space", "chk_online_learning")  # printed as boxes nobody ticked
ROLE_OPTIONS = {"referrer_role": data.REFERRER_ROLES, "parent_relationship": data.RELATIONSHIPS,
                "pupil_year_group": tuple(f"Year {n}" for n in range(0, 14)),
                "professional_role": tuple(p for p, _ in data.PROFESSIONS),
                "contact_type": ("Face to face in clinic", "Home visit", "Video consultation", "Telephone"),
                "unfit_for_school": ("Yes", "No", "Part-time")}


@dataclass
class Plan:
    out: Path
    golden: dict[str, dict[str, Any]] = field(default_factory=dict)  # document name → {"kind", "fields"}
    to_docx: list[Path] = field(default_factory=list)
    to_pdf: list[Path] = field(default_factory=list)
    forms: list[tuple[Path, str]] = field(default_factory=list)  # AcroForm to flatten, tool
    submissions: list[dict[str, Any]] = field(default_factory=list)

    def source(self, name: str, text: str) -> Path:
        path = self.out / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path


def _unticked_boxes() -> list[Q]:
    return [Q(key, label, False, None, "bool") for key, label in (
        ("chk_keyworker", "Keyworker or preferred staff member"), ("chk_safe_space", "Safe space/break-out room"),
        ("chk_online_learning", "Provision of online learning"))]


def add_form(plan: Plan, stem: str, layout: str, kind: str, title: str, questions: list[Q], n: int) -> str:
    """Queue one form in one layout; return the document's file name."""
    keys = data.REFERRAL_KEYS if kind == "referral" else data.HEALTH_KEYS
    golden = data.expected_fields(kind, questions, keys)
    if layout.startswith("lo-table"):
        src = plan.source(f"{stem}.html", writers.html_table(title, questions, style=n))
        (plan.to_docx if layout.endswith("docx") else plan.to_pdf).append(src)
        name = f"{stem}.{layout[-4:].lstrip('-')}"
    elif layout.startswith("lo-para"):
        src = plan.source(f"{stem}.fodt", writers.fodt_paragraphs(title, questions, style=n))
        (plan.to_docx if layout.endswith("docx") else plan.to_pdf).append(src)
        name = f"{stem}.{layout[-4:].lstrip('-')}"
    elif layout == "sdt-docx":
        name = f"{stem}.docx"
        writers.sdt_docx(plan.out / name, title, questions, habit=n, options=ROLE_OPTIONS)
    else:  # an AcroForm filled in, then printed flat by a tool
        live = plan.out / "src" / f"{stem}-live.pdf"
        live.parent.mkdir(parents=True, exist_ok=True)
        writers.acroform_pdf(live, title, questions, _unticked_boxes() if kind == "referral" else [])
        name = f"{stem}.pdf"
        plan.forms.append((live, layout.split("-", 1)[1]))
        # nothing printed for a box nobody ticked: the question has no answer (SPEC §3), not "No"
        golden.update(dict.fromkeys(UNTICKED, None) if kind == "referral" else {})
    plan.golden[name] = {"kind": kind, "fields": golden, "family": layout}
    return name


def add_letter(plan: Plan, stem: str, fmt: str, lines: list[str], golden: dict[str, Any], family: str) -> str:
    src = plan.source(f"{stem}.html", writers.html_letter(lines))
    (plan.to_docx if fmt == "docx" else plan.to_pdf).append(src)
    name = f"{stem}.{fmt}"
    plan.golden[name] = {"kind": "medical_letter", "fields": golden, "family": family}
    return name


def attendance_csv(plan: Plan, stem: str, q: list[Q]) -> str:
    """A session list as an MIS exports it: a header block, then date, AM, PM (illness from 12 January)."""
    import datetime as dt

    given = {x.key: x.answer for x in q}
    rows = [f"Pupil name,{given['pupil_forename']} {given['pupil_surname']}", f"Date of birth,{given['pupil_dob']}",
            "", "Date,AM,PM"]
    day = dt.date(2026, 1, 5)
    while day <= dt.date(2026, 2, 13):
        if day.weekday() < 5:
            mark = "/" if day < dt.date(2026, 1, 12) else "I"
            rows.append(f"{day:%d/%m/%Y},{mark},{mark}")
        day += dt.timedelta(days=1)
    name = f"{stem}.csv"
    (plan.out / name).write_text("\n".join(rows) + "\n", encoding="utf-8")
    plan.golden[name] = {"kind": "attendance", "fields": {"illness_sessions": 50, "illness_days": 25},
                         "family": "csv"}
    return name


GOOD_EVIDENCE_QUIET = ("R-FORM-REQUIRED", "R-FORM-INVALID", "R-EVID-SEND-ONLY", "R-EVID-SEEN", "R-DOCS-EVIDENCE",
                       "R-EVID-CONTENT", "R-DATA-MATCH", "R-EVID-ROLE", "R-DOCS-ATTENDANCE")


def plan_corpus(out: Path) -> Plan:
    plan = Plan(out)
    children: list[tuple[list[Q], voices.Child]] = []
    for i, role in enumerate(data.REFERRER_ROLES):
        q = data.referral(i, role, data.RELATIONSHIPS[i % len(data.RELATIONSHIPS)])
        given = {x.key: x.expected for x in q}
        child = voices.Child(given["pupil_forename"], given["pupil_surname"], given["pupil_dob"], she=i % 2 == 0)
        children.append((q, child))
        for layout in REFERRAL_LAYOUTS:
            add_form(plan, f"referral-{i:02d}-{layout}", layout, "referral", REFERRAL_TITLE, q, i)
    for j, (profession, role_key) in enumerate(data.PROFESSIONS):
        q, child = children[j % len(children)]
        form = data.health_form(j, profession, role_key, fore=child.forename, sur=child.surname,
                                dob=(child.dob_uk, child.dob))
        for layout in HEALTH_LAYOUTS:
            add_form(plan, f"health-{j:02d}-{layout}", layout, "jmp_health", HEALTH_TITLE, form, j)
    # submissions: a referral in some layout + evidence + attendance record, judged together
    k = 0
    for v, voice in enumerate(voices.VOICES):
        for n in range(3):
            q, child = children[k % len(children)]
            lines, golden = voices.letter(voice, n, child)
            fmt = "docx" if (v + n) % 2 == 0 else "pdf"
            letter = add_letter(plan, f"letter-{voice}-{n}", fmt, lines, golden, f"letter-{voice}")
            referral = f"referral-{k % len(children):02d}-{REFERRAL_LAYOUTS[k % len(REFERRAL_LAYOUTS)]}"
            referral = next(name for name in plan.golden if name.startswith(referral))
            attendance = attendance_csv(plan, f"attendance-{k:02d}", q)
            plan.submissions.append({"name": f"{voice}-{n}", "documents": [referral, letter, attendance],
                                     "outcome": "accepted", "must_fire": [],
                                     "must_not_fire": list(GOOD_EVIDENCE_QUIET)})
            k += 1
    for s, (which, outcome, fire) in enumerate((
            ("send_only", "incomplete", ["R-EVID-SEND-ONLY"]), ("send_and_illness", "accepted", []),
            ("not_seen", "review", ["R-EVID-SEEN"]), ("fit", "review", ["R-EVID-UNFIT"]))):
        q, child = children[s]
        lines, golden = voices.special_letter(which, child)
        letter = add_letter(plan, f"letter-{which}", "docx" if s % 2 == 0 else "pdf", lines, golden,
                            f"letter-{which}")
        quiet = [r for r in (*GOOD_EVIDENCE_QUIET, "R-EVID-UNFIT") if r not in fire
                 and not (which == "send_only" and r == "R-EVID-CONTENT")]
        plan.submissions.append({"name": which, "documents": [f"referral-{s:02d}-lo-table-docx.docx", letter,
                                                              attendance_csv(plan, f"attendance-{which}", q)],
                                 "outcome": outcome, "must_fire": fire, "must_not_fire": quiet})
    for j, (_profession, role_key) in enumerate(data.PROFESSIONS):
        q, _child = children[j % len(children)]
        layout = REFERRAL_LAYOUTS[(j + 3) % len(REFERRAL_LAYOUTS)]
        referral = next(n for n in plan.golden if n.startswith(f"referral-{j % len(children):02d}-{layout}"))
        health = next(n for n in plan.golden if n.startswith(f"health-{j:02d}-{HEALTH_LAYOUTS[j % 4]}"))
        fire = ["R-EVID-ROLE"] if role_key == "other" else []
        plan.submissions.append({"name": f"jmp-{j:02d}", "documents": [referral, health,
                                                                       attendance_csv(plan, f"attendance-j{j:02d}", q)],
                                 "outcome": "review" if fire else "accepted", "must_fire": fire,
                                 "must_not_fire": [r for r in GOOD_EVIDENCE_QUIET if r not in fire]})
    # eligibility and completeness: a sixth-former; a referral sent without its attendance record
    old = data.referral(3, "Head of Sixth Form", "Mother", year7=False)
    add_form(plan, "referral-year12", "lo-para-docx", "referral", REFERRAL_TITLE, old, 3)
    plan.submissions.append({"name": "year12", "documents": ["referral-year12.docx", "letter-gp-0.docx",
                                                             attendance_csv(plan, "attendance-year12", old)],
                             "outcome": "not_accepted", "must_fire": ["R-ELIG-AGE-UPPER"],
                             "must_not_fire": ["R-FORM-REQUIRED"]})
    plan.submissions.append({"name": "no-attendance", "documents": [
        "referral-00-sdt-docx.docx", next(n for n in plan.golden if n.startswith("letter-gp-0"))],
        "outcome": "incomplete", "must_fire": ["R-DOCS-ATTENDANCE"], "must_not_fire": ["R-FORM-REQUIRED"]})
    return plan


def build(out: Path) -> Path:
    """Write the whole corpus into `out`; return `out`."""
    out.mkdir(parents=True, exist_ok=True)
    plan = plan_corpus(out)
    writers.soffice(plan.to_docx, "docx", out)
    writers.soffice(plan.to_pdf, "pdf", out)
    for live, tool in plan.forms:
        writers.flatten(live, out / live.name.replace("-live", ""), tool)
    for name, golden in plan.golden.items():
        assert (out / name).is_file(), f"{name} was not made"
        (out / f"{name}.golden.json").write_text(json.dumps(golden, indent=1, ensure_ascii=False), encoding="utf-8")
    (out / "submissions.json").write_text(json.dumps(plan.submissions, indent=1), encoding="utf-8")
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))
