"""The committed letter templates, rendered with full contexts and read back as text."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest

from docgen.cli.templates import check_templates
from docgen.config import Settings
from docgen.letters.context import DocumentName
from docgen.letters.produce import Job, produce, produce_batch
from docgen.letters.render import CompiledTemplate, document_text, verify_docx
from docgen.samples.letters import SAMPLE_FIELDS, sample_context

ON = dt.date(2026, 1, 5)

EXPECTED: dict[DocumentName, list[str]] = {
    DocumentName.ACCEPTANCE_LETTER: [
        "Medical Needs Service referral accepted",
        "Our reference: MN-2026-0001    Date: 5 January 2026",
        "Dear Sam Patel,",
        "Young person | Maya Fenwick",
        "Date of birth | 14 May 2013",
        "It is the school's responsibility to liaise with the family",
        "initial period of 12 school weeks",
        "home learning support from a visiting home-learning support assistant (HLSA)",
        "continue to set work and carry out welfare checks until the provision begins (section 11.1)",
        "Designated Safeguarding Lead, Jo Richards",
        "Review meeting (halfway, week 6) | 23 to 27 February 2026",
        "the health professional who provided the medical advice (Dr L. Osei, Paediatrician",
        "Enclosed: Timeline; Initial Planning and Review Record",
        "Provision ends | 24 April 2026",
        "Alex Morgan",
        "Copy to: Claire Fenwick (Mother)",
        "Page 1 of 1",
    ],
    DocumentName.TIMELINE: [
        "Provision runs from 12 January 2026 to 24 April 2026 (12 school weeks)",
        "1 | Mon 12 Jan to Fri 16 Jan 2026 | ",
        " | Mon 16 Feb to Fri 20 Feb 2026 | February half term: no provision",
        "6 | Mon 23 Feb to Fri 27 Feb 2026 | Review meeting this week (section 11.6)",
        "7 | Mon 2 Mar to Fri 6 Mar 2026 | Review plan due by Fri 6 Mar (section 11.6)",
        " | Mon 30 Mar to Fri 10 Apr 2026 | Easter holiday: no provision",
        "12 | Mon 20 Apr to Fri 24 Apr 2026 | Continuation request due by Fri 24 Apr (section 11.7); "
        "provision ends Fri 24 Apr",
    ],
    DocumentName.PLANNING_RECORD: [
        "Initial Planning and Review Record",
        "Part A: Initial planning",
        "Parent/carer | Claire Fenwick (Mother)",
        "Designated Safeguarding Lead (DSL) | Jo Richards (dsl@riverside.example.org)",
        "Home address | 12 Willow Lane\nWymondham\nNR18 0AB",
        "Commissioned provider representative |  | ",
        "Home learning support assistant (HLSA) | ",
        "Who | What | By when",
        "Part B: Review and reintegration action plan (section 11.6)",
        "Review plan (Part B) to be emailed to the service by | 6 March 2026",
        "Review meeting due | Week 6 of the provision (23 to 27 February 2026)",
        "Health professional who gave the medical advice (invited) | Dr L. Osei, Paediatrician, Norfolk and "
        "Norwich University Hospital",
        "the attendance herringbone, an updated Individual Healthcare Plan (if appropriate) and this record, "
        "updated, by 24 April 2026 (section 11.7).",
        "b. Coming into school for break or lunchtimes | ",
        "d. Being met on arrival by a key worker or preferred member of staff | ",
        "Health professional (if appropriate) |  | ",
    ],
    DocumentName.REQUEST_FOR_INFORMATION: [
        "Medical Needs Service referral: information needed",
        "incomplete referrals will not be processed (section 11.2.1). We need the following 2 items:",
        "No attendance record (herringbone) was received with the referral. | The attendance record",
        "See section 11.2.3 of the policy. | Please send an electronic copy of the attendance herringbone",
        "Please email the missing items to medicalneeds@example.org, quoting our reference MN-2026-0001",
    ],
    DocumentName.NOT_ACCEPTED_LETTER: [
        "Medical Needs Service referral not accepted",
        "Reason (policy section 6): The Medical Needs Service normally supports pupils from Reception to Year 11",
        "Where to go instead: For post-16 students in mainstream provision, the host school, college or "
        "training provider",
        "please contact their EHCP Coordinator first",
    ],
    DocumentName.CONTINUATION_AGREED_LETTER: [
        "Medical Needs Service: continuation agreed",
        "The new period runs from 12 January 2026 to 24 April 2026 (12 school weeks)",
        "in week 6 (23 to 27 February 2026), and the review plan (Part B of the Initial Planning and Review "
        "Record) is emailed to medicalneeds@example.org by 6 March 2026, the end of week 7 (section 11.6)",
        "please send a new Continuation request by 24 April 2026, with updated medical evidence, the attendance "
        "herringbone",
        "Enclosed: Timeline",
    ],
    DocumentName.END_OF_PROVISION_LETTER: [
        "Claire Fenwick\n12 Willow Lane\nWymondham\nNR18 0AB",
        "Dear Claire Fenwick,",
        "will end on 24 April 2026.",
        "From the day after 24 April 2026 Riverside Academy will be responsible for Maya's full education again",
        "Reason: the provision is ending because we have received information that Maya is well enough to "
        "return to school, or has returned to school (policy section 11.8).",
        "The council made this decision after liaison with the school, the family and the health professionals",
        "https://www.schools.norfolk.gov.uk/pupil-needs/health-needs/medical-needs-service",
        "Copy to: Sam Patel, Riverside Academy",
    ],
    DocumentName.CHECK_REPORT: [
        "Outcome | incomplete",
        "R-DOCS-ATTENDANCE | missing | §11.2.3 | No attendance record (herringbone) was received",
        "R-ELIG-AGE-UPPER | ineligible | §6 | ",
        "health-information.pdf | jmp_health",
        "referral.pdf (referral) | Legal forename(s) | Maya",
        " | National Curriculum year group | Year 7",
        "health-information.pdf (jmp_health) | Name of health professional | Dr L. Osei",
    ],
}


@pytest.mark.parametrize("document", list(DocumentName))
def test_template_renders_with_full_context(settings: Settings, document: DocumentName) -> None:
    template = CompiledTemplate.load(settings.templates_dir / f"{document.value}.docx")
    text = document_text(template.render(sample_context(document)))
    for expected in EXPECTED[document]:
        assert expected in text
    assert "Medical Needs Service, Norfolk County Council" in text  # letterhead
    assert "{{" not in text and "{%" not in text
    assert "None" not in text


def test_committed_templates_pass_the_check(settings: Settings) -> None:
    reports = check_templates(settings)
    assert [r.document for r in reports] == [d.value for d in DocumentName]
    assert all(r.ok for r in reports), [(r.document, r.unsupplied, r.error) for r in reports]
    assert all(r.variables for r in reports)


HOSTILE_FIELDS = {
    **SAMPLE_FIELDS,
    "pupil_forename": "Tom & <Jerry>",
    "pupil_surname": "{{ 7*7 }}\x0bO'Neil",
    "parent_name": "{% include '/etc/passwd' %}",
    "school_name": "100<100 </w:t></w:r><w:r><w:t>X",
    "referrer_name": "Ms\x07 Bell\x0c\x00",
    "pupil_address": "Flat 1\x0b2 Mill Road",
}


@pytest.mark.parametrize("document", list(DocumentName))
def test_hostile_values_read_literally_in_every_document(settings: Settings, tmp_path: Path,
                                                         document: DocumentName) -> None:
    context = sample_context(document, fields=HOSTILE_FIELDS)
    [path] = produce(document, context, tmp_path, settings, on=ON)
    verify_docx(path)
    text = document_text(path)
    assert "Tom & <Jerry> {{ 7*7 }} O'Neil" in text
    assert "49" not in text
    if document is not DocumentName.CHECK_REPORT:
        assert "100<100 </w:t></w:r><w:r><w:t>X" in text
    if document in (DocumentName.ACCEPTANCE_LETTER, DocumentName.REQUEST_FOR_INFORMATION):
        assert "Dear Ms Bell," in text
    if document in (DocumentName.END_OF_PROVISION_LETTER, DocumentName.PLANNING_RECORD):
        assert "Flat 1\n2 Mill Road\nWymondham" not in text  # the address's own lines are kept
        assert "Flat 1\n2 Mill Road" in text


LONG_SCHOOL = ("St Brigid's & St Colmcille's Church of England and Roman Catholic Voluntary Aided Federated "
               "Primary Academy, Nursery and Specialist Resource Base for Children with Sensory Impairments, "
               "incorporating the former Wymondham Infant and Junior Schools, Norfolk Broads Academy Trust")


@pytest.mark.parametrize("document", list(DocumentName))
def test_bidi_overrides_long_names_and_apostrophes_read_literally(settings: Settings, tmp_path: Path,
                                                                   document: DocumentName) -> None:
    assert len(LONG_SCHOOL) > 250
    fields = {**SAMPLE_FIELDS, "pupil_forename": "Siobhán", "pupil_surname": "Ó'Dochartaigh-Ní Bhriain",
              "pupil_preferred_name": "Siobhán", "parent_name": "Pádraig \u202eO'Súilleabháin",
              "school_name": LONG_SCHOOL}
    [path] = produce(document, sample_context(document, fields=fields), tmp_path, settings, on=ON)
    verify_docx(path)
    text = document_text(path)
    assert "Siobhán Ó'Dochartaigh-Ní Bhriain" in text
    assert "\u202e" not in text  # a right-to-left override would print the rest of the line backwards
    if document is not DocumentName.CHECK_REPORT:
        assert LONG_SCHOOL in text
    if document is DocumentName.END_OF_PROVISION_LETTER:
        assert "Dear Pádraig O'Súilleabháin," in text


def test_missing_optional_values_read_not_given(settings: Settings) -> None:
    fields = {"pupil_forename": "Ava", "pupil_surname": "Lund"}
    template = CompiledTemplate.load(settings.templates_dir / "planning-record.docx")
    text = document_text(template.render(sample_context(DocumentName.PLANNING_RECORD, fields=fields)))
    assert "Parent/carer | not given\n" in text  # once, not "not given (not given)"
    assert "Date of birth | not given" in text
    assert "School | not given" in text  # the table row names no school rather than "the school"
    letter = CompiledTemplate.load(settings.templates_dir / "acceptance-letter.docx")
    text = document_text(letter.render(sample_context(DocumentName.ACCEPTANCE_LETTER, fields=fields)))
    assert "Dear Colleague," in text


def test_produce_writes_dated_owner_only_file_and_rerun_overwrites(settings: Settings, tmp_path: Path) -> None:
    context = sample_context(DocumentName.ACCEPTANCE_LETTER)
    first = produce(DocumentName.ACCEPTANCE_LETTER, context, tmp_path / "MN-2026-0001", settings, on=ON)
    again = produce(DocumentName.ACCEPTANCE_LETTER, context, tmp_path / "MN-2026-0001", settings, on=ON)
    assert first == again == [tmp_path / "MN-2026-0001" / "2026-01-05-acceptance-letter.docx"]
    assert stat.S_IMODE(first[0].stat().st_mode) == 0o600
    assert sorted(p.name for p in first[0].parent.iterdir()) == ["2026-01-05-acceptance-letter.docx"]
    assert "referral accepted" in document_text(first[0])


def test_produce_batch_writes_every_document(settings: Settings, tmp_path: Path) -> None:
    jobs = [Job(d, sample_context(d), tmp_path, ON) for d in (DocumentName.TIMELINE, DocumentName.PLANNING_RECORD)]
    paths = produce_batch(jobs, settings)
    assert [p.name for p in paths] == ["2026-01-05-timeline.docx", "2026-01-05-planning-record.docx"]


def test_edited_template_is_reloaded(settings: Settings, tmp_path: Path) -> None:
    import shutil
    from dataclasses import replace

    from docx import Document

    folder = tmp_path / "letters"
    shutil.copytree(settings.templates_dir, folder)
    local = replace(settings, templates_dir=folder)
    context = sample_context(DocumentName.NOT_ACCEPTED_LETTER)
    [path] = produce(DocumentName.NOT_ACCEPTED_LETTER, context, tmp_path / "out", local, on=ON)
    assert "Edited by staff" not in document_text(path)
    doc = Document(str(folder / "not-accepted-letter.docx"))
    doc.add_paragraph("Edited by staff for {{ pupil.name }}")
    doc.save(str(folder / "not-accepted-letter.docx"))
    [path] = produce(DocumentName.NOT_ACCEPTED_LETTER, context, tmp_path / "out", local, on=ON)
    assert "Edited by staff for Maya Fenwick" in document_text(path)


def test_letters_before_a_start_date_is_agreed(settings: Settings) -> None:
    from docgen.letters import context as ctx
    from docgen.samples.letters import SAMPLE_FIELDS

    base = {"case_ref": "MN-2026-0002", "on": ON, "signatory": settings.signatory}
    letter = CompiledTemplate.load(settings.templates_dir / "acceptance-letter.docx")
    text = document_text(letter.render(ctx.acceptance_letter(SAMPLE_FIELDS, **base)))
    assert "will be sent once the start date has been agreed at the planning meeting" in text
    assert "The enclosed timeline shows" not in text
    record = CompiledTemplate.load(settings.templates_dir / "planning-record.docx")
    text = document_text(record.render(ctx.planning_record(SAMPLE_FIELDS, **base)))
    assert "Provision period | to be agreed at the planning meeting" in text
    assert "Date of planning meeting | to be arranged by the school" in text
    assert "by the end of the 12-week period (section 11.7)" in text


def test_timeline_from_the_real_calendar(settings: Settings) -> None:
    from docgen.calendar import SchoolCalendar
    from docgen.letters import context as ctx
    from docgen.samples.letters import SAMPLE_FIELDS
    from docgen.timeline import compute

    calendar = SchoolCalendar.load(settings.term_dates)
    timeline = compute(calendar, dt.date(2026, 4, 27)).to_json()
    holidays = [h.to_json() for h in calendar.holidays_in(dt.date(2026, 4, 27),
                                                         dt.date.fromisoformat(timeline["provision_end"]))]
    context = ctx.timeline_document(SAMPLE_FIELDS, case_ref="MN-2026-0003", on=ON, signatory=settings.signatory,
                                    timeline=timeline, holidays=holidays)
    template = CompiledTemplate.load(settings.templates_dir / "timeline.docx")
    text = document_text(template.render(context))
    assert "2 | Tue 5 May to Fri 8 May 2026 | " in text
    assert "(Mon 4 May): no provision" in text
    assert "half term: no provision" in text.lower()
    assert f"to {ctx.long_date(timeline['provision_end'])}" in text
