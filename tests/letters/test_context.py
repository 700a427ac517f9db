"""Context builders: dates in words, blanks never blank, policy reasons, timeline rows."""

from __future__ import annotations

import datetime as dt

import pytest

from docgen.config import Signatory
from docgen.letters import context as ctx
from docgen.letters import registry
from docgen.letters.chart import timeline_chart
from docgen.letters.context import DocumentName, EndReason
from docgen.letters.registry import LETTERS, Inputs
from docgen.letters.words import date_range, long_date, year_group
from docgen.samples.letters import SAMPLE_FIELDS, SAMPLE_HOLIDAYS, SAMPLE_TIMELINE, sample_context

BASE = {"case_ref": "MN-2026-0007", "on": dt.date(2026, 4, 3), "signatory": Signatory()}


def test_document_names_are_the_spec_names() -> None:
    assert [d.value for d in DocumentName] == [
        "acceptance-letter", "timeline", "planning-record", "request-for-information", "not-accepted-letter",
        "continuation-agreed-letter", "end-of-provision-letter", "check-report"]


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-04-03", "3 April 2026"),
    (dt.date(2026, 12, 25), "25 December 2026"),
    (None, "not given"),
    ("", "not given"),
    ("sometime soon", "sometime soon"),
])
def test_long_date(value: object, expected: str) -> None:
    assert long_date(value) == expected


def test_year_groups_and_date_ranges_read_in_words() -> None:
    assert [year_group(v) for v in (0, -1, 11, None)] == ["Reception", "Nursery", "Year 11", "not given"]
    assert date_range("2026-01-12", "2026-01-16") == "Mon 12 Jan to Fri 16 Jan 2026"


def test_common_context_never_blank() -> None:
    common = ctx.common({}, **BASE)
    assert common["date"] == "3 April 2026"
    assert common["pupil"]["name"] == "the young person"
    assert common["parent"]["phone"] == "not given"
    assert common["salutation"] == "Dear Colleague"

    def strings(value: object) -> list[str]:
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        return [value] if isinstance(value, str) else []

    assert all(s.strip() for s in strings(common))


@pytest.mark.parametrize("reason", list(EndReason))
def test_every_end_reason_reads_as_a_sentence(reason: EndReason) -> None:
    letter = ctx.end_of_provision_letter(SAMPLE_FIELDS, reason=reason.value, end_date=dt.date(2026, 4, 24), **BASE)
    assert letter["end_date"] == "24 April 2026"
    assert letter["reason"] and not letter["reason"].endswith(".")
    assert "{name}" not in letter["reason"]
    assert letter["evaluation_link"] == Signatory().evaluation_link


def test_unknown_end_reason_is_refused() -> None:
    with pytest.raises(ValueError, match="no_continuation"):
        ctx.end_of_provision_letter(SAMPLE_FIELDS, reason="bored", end_date=dt.date(2026, 4, 24), **BASE)


def test_request_for_information_lists_only_missing_items_with_reasons() -> None:
    findings = [
        {"rule": "R-DOCS-EVIDENCE", "severity": "missing", "section": "11.2.2", "message": "No medical evidence."},
        {"rule": "R-CHK-JON", "severity": "review", "section": "11.1", "message": "JON not contacted."},
    ]
    letter = ctx.request_for_information(SAMPLE_FIELDS, findings=findings, **BASE)
    assert [i["what"] for i in letter["items"]] == ["No medical evidence."]
    assert letter["items"][0]["section"] == "section 11.2.2"
    assert "Health Information Form" in letter["items"][0]["send"]
    assert letter["count_text"] == "the following"


def test_not_accepted_gives_where_to_go_instead() -> None:
    findings = [{"rule": "R-ELIG-EHE", "severity": "ineligible", "section": "5", "message": "EHE."}]
    letter = ctx.not_accepted_letter(SAMPLE_FIELDS, findings=findings, **BASE)
    [reason] = letter["reasons"]
    assert reason["section"] == "section 5"
    assert "electively home educated" in reason["reason"]
    assert "exceptional circumstances" in reason["instead"]


def test_timeline_rows_show_holidays_between_weeks_and_bank_holidays_within() -> None:
    timeline = {
        "start": "2026-04-27", "review_week": 1, "review_plan_due": None, "continuation_due": None,
        "provision_end": "2026-05-08", "end_reason": "expected_return",
        "weeks": [{"number": 1, "start": "2026-04-27", "end": "2026-05-01"},
                  {"number": 2, "start": "2026-05-05", "end": "2026-05-08"}],
    }
    rows = ctx.timeline_rows(timeline, [{"name": "Bank holiday", "start": "2026-05-04", "end": "2026-05-04"}])
    assert rows[1] == {"week": "2", "dates": "Tue 5 May to Fri 8 May 2026",
                       "note": "Bank holiday (Mon 4 May): no provision; review plan due by Fri 8 May (section 11.6); "
                               "provision ends Fri 8 May"}
    summary = ctx.timeline_summary(timeline)
    assert summary["continuation_due"] == "not applicable"
    assert "expected return" in summary["end_reason"]


def test_timeline_document_has_a_png_chart() -> None:
    context = sample_context(DocumentName.TIMELINE)
    assert context["timeline_chart"].startswith(b"\x89PNG")
    assert timeline_chart({"weeks": []}).startswith(b"\x89PNG")
    assert timeline_chart(SAMPLE_TIMELINE, SAMPLE_HOLIDAYS) != timeline_chart({"weeks": []})


def test_the_letter_registry_builds_each_letter_from_its_inputs() -> None:
    assert set(LETTERS) == set(DocumentName)
    assert all(LETTERS[d].template == f"{d.value}.docx" for d in DocumentName)
    inputs = Inputs(SAMPLE_FIELDS, **BASE, data={"reason": "no_continuation", "end_date": "2026-04-24"})
    letter = LETTERS[DocumentName.END_OF_PROVISION_LETTER].context(inputs)
    assert letter["reason"].startswith("the school did not submit a Continuation request")
    asked = Inputs(SAMPLE_FIELDS, **BASE, decision_action="request-info", decision_reason="Send the IHCP")
    request = LETTERS[DocumentName.REQUEST_FOR_INFORMATION].context(asked)
    assert "Send the IHCP" in str(request)
    with pytest.raises(ValueError, match="unknown letter 'thank-you-letter'; known: acceptance-letter"):
        registry.letter("thank-you-letter")


def test_end_of_provision_after_the_end_date_says_ended() -> None:
    late = {**BASE, "on": dt.date(2026, 4, 27)}
    letter = ctx.end_of_provision_letter(SAMPLE_FIELDS, reason="no_continuation", end_date=dt.date(2026, 4, 24),
                                         **late)
    assert letter["end_verb"] == "ended on"
    on_time = ctx.end_of_provision_letter(SAMPLE_FIELDS, reason="no_continuation",
                                          end_date=dt.date(2026, 4, 24), **BASE)
    assert on_time["end_verb"] == "will end on"


@pytest.mark.parametrize("reason", list(EndReason))
def test_every_end_reason_has_its_own_next_step(reason: EndReason) -> None:
    letter = ctx.end_of_provision_letter(SAMPLE_FIELDS, reason=reason.value, end_date=dt.date(2026, 4, 24), **BASE)
    assert letter["next_steps"][:1].isupper() and letter["next_steps"].endswith(".")
    assert "{" not in letter["next_steps"]
    back_at_school = "full education again" in letter["next_steps"]
    # a young person past statutory school age, or too unwell to engage, is not sent "back to school"
    assert back_at_school == (reason not in {EndReason.END_OF_STATUTORY_SCHOOL_AGE, EndReason.TOO_UNWELL_TO_ENGAGE})


def test_request_for_information_speaks_to_the_school_not_the_coordinator() -> None:
    findings = [{"rule": "R-FORM-REQUIRED", "severity": "missing", "section": "11.2.1",
                 "message": "Referral form (referral.pdf): 'Parent/carer telephone' is blank. Ask the school to "
                            "complete it and send the form again."}]
    letter = ctx.request_for_information(SAMPLE_FIELDS, findings=findings, **BASE)
    assert letter["items"][0]["what"] == "Referral form (referral.pdf): 'Parent/carer telephone' is blank."


def test_coordinator_reason_for_not_accepting_reads_as_a_sentence() -> None:
    letter = ctx.not_accepted_letter(SAMPLE_FIELDS, reason="the family has moved out of the county", **BASE)
    assert letter["reasons"] == [{"reason": "The family has moved out of the county.", "section": "section 11.2",
                                  "heading": "Reason (policy section 11.2): ",
                                  "instead": ctx.words.GENERIC_NOT_ACCEPTED[1]}]


def test_a_period_ending_at_school_leaving_age_asks_for_no_continuation() -> None:
    capped = {**SAMPLE_TIMELINE, "continuation_due": None, "end_reason": "school_leaving_date"}
    summary = ctx.timeline_summary(capped)
    assert not summary["continuation_possible"]
    assert "No Continuation request is due" in summary["continuation_text"]
    record = ctx.planning_record(SAMPLE_FIELDS, timeline=capped, **BASE)
    assert "not applicable" not in record["continuation_text"]
    assert "No Continuation request is due" in record["continuation_text"]


def test_copy_to_never_reads_not_given() -> None:
    fields = {k: v for k, v in SAMPLE_FIELDS.items() if k not in {"parent_name", "parent_relationship"}}
    assert ctx.acceptance_letter(fields, **BASE)["copy_to"] == "the parent/carer of Maya Fenwick"
    fields["parent_name"] = "Claire Fenwick"
    assert ctx.not_accepted_letter(fields, **BASE)["copy_to"] == "Claire Fenwick"
    no_referrer = {k: v for k, v in SAMPLE_FIELDS.items() if k != "referrer_name"}
    letter = ctx.end_of_provision_letter(no_referrer, reason="no_continuation", end_date=dt.date(2026, 4, 24), **BASE)
    assert letter["copy_to"] == "Riverside Academy"


def test_a_start_agreed_in_a_holiday_is_explained() -> None:
    moved = ctx.timeline_document(SAMPLE_FIELDS, timeline=SAMPLE_TIMELINE, requested_start=dt.date(2026, 1, 10),
                                  **BASE)
    assert moved["timeline"]["start_note"] == (
        "The start agreed at the planning meeting, 10 January 2026, is not a school day, so the provision starts "
        "on the next school day, 12 January 2026.")
    same = ctx.timeline_document(SAMPLE_FIELDS, timeline=SAMPLE_TIMELINE, requested_start=dt.date(2026, 1, 12),
                                 **BASE)
    assert same["timeline"]["start_note"] == ""
    record = ctx.planning_record(SAMPLE_FIELDS, timeline=SAMPLE_TIMELINE, requested_start=dt.date(2026, 1, 10),
                                 **BASE)
    assert record["provision_period"].endswith("(the agreed start, 10 January 2026, is not a school day)")


def test_a_date_range_across_new_year_names_both_years() -> None:
    assert date_range("2026-12-21", "2027-01-01") == "Mon 21 Dec 2026 to Fri 1 Jan 2027"


def test_the_coordinators_request_reaches_the_school_as_typed() -> None:
    findings = [{"rule": "coordinator", "severity": "missing", "section": "11.2",
                 "message": "the letter is from March. Please ask the GP for a current one"}]
    letter = ctx.request_for_information(SAMPLE_FIELDS, findings=findings, **BASE)
    assert letter["items"][0]["what"] == "The letter is from March. Please ask the GP for a current one."


def test_a_child_off_roll_has_no_school_named_in_the_school_row() -> None:
    fields = {**SAMPLE_FIELDS, "school_name": None, "pupil_on_roll": False}
    letter = ctx.not_accepted_letter(fields, **BASE)
    assert letter["school"]["entry"] == "not on a school roll"
    assert letter["school"]["name"] == "the school"  # how sentences refer to it


def test_timeline_charts_are_remembered_by_what_they_show() -> None:
    """Cases accepted on one day share a picture: drawn once, the same bytes as a fresh drawing (issue 21)."""
    from docgen.calendar import SchoolCalendar
    from docgen.config import DEFAULT_TERM_DATES
    from docgen.letters.chart import _drawn
    from docgen.timeline import compute

    calendar = SchoolCalendar.load(DEFAULT_TERM_DATES)

    def drawn(start: dt.date, **caps: dt.date) -> tuple[dict[str, object], list[dict[str, object]]]:
        timeline = compute(calendar, start, **caps).to_json()  # type: ignore[arg-type]
        end = dt.date.fromisoformat(timeline["provision_end"])
        return timeline, [h.to_json() for h in calendar.holidays_in(start, end)]

    base, holidays = drawn(dt.date(2026, 3, 2))  # over the Easter holiday: a gap in the row
    variants = {
        "base": (base, holidays),
        "a holiday between weeks 1 and 2": (base, [*holidays, {"start": "2026-03-07", "end": "2026-03-08"}]),
        "review week moved": ({**base, "review_week": 4, "review_plan_due": base["weeks"][4]["end"]}, holidays),
        "ends a week early": ({**base, "provision_end": base["weeks"][-2]["end"]}, holidays),
        "cut short by a return": drawn(dt.date(2026, 3, 2), expected_return=dt.date(2026, 4, 27)),
        "a week later": drawn(dt.date(2026, 3, 9)),
    }
    fresh = {}
    for name, (timeline, listed) in variants.items():
        _drawn.cache_clear()
        fresh[name] = timeline_chart(timeline, listed)
    assert len(set(fresh.values())) == len(fresh), "every difference on the picture gives another picture"
    _drawn.cache_clear()
    for name, (timeline, listed) in [*variants.items(), *variants.items()]:
        assert timeline_chart(timeline, listed) == fresh[name], name
    assert _drawn.cache_info().hits == len(variants)
    unseen = {**base, "continuation_due": "2026-06-19", "start": "2026-03-03"}  # not on the picture
    assert timeline_chart(unseen, holidays) == fresh["base"]
