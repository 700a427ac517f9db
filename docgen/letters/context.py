"""Build each document's template context from plain data (SPEC §8).

Every builder takes the case's merged field values (SPEC §3 keys), the case reference,
the letter date and the signatory, plus what its document needs (findings, a timeline
as `docgen timeline --json` gives it, holidays, an End of Provision reason). The result
is a dict of text, lists and PNG bytes — never a blank: a missing value reads "not given".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from docgen.config import Signatory
from docgen.dates import as_date
from docgen.letters import words
from docgen.letters.chart import timeline_chart
from docgen.letters.words import NOT_GIVEN, long_date, short_date, text

Fields = Mapping[str, Any]
Finding = Mapping[str, Any]
TimelineJSON = Mapping[str, Any]
Holiday = Mapping[str, Any]


class DocumentName(StrEnum):
    """The documents docgen produces (SPEC §8); the value is the file name's `<document>`."""

    ACCEPTANCE_LETTER = "acceptance-letter"
    TIMELINE = "timeline"
    PLANNING_RECORD = "planning-record"
    REQUEST_FOR_INFORMATION = "request-for-information"
    NOT_ACCEPTED_LETTER = "not-accepted-letter"
    CONTINUATION_AGREED_LETTER = "continuation-agreed-letter"
    END_OF_PROVISION_LETTER = "end-of-provision-letter"
    CHECK_REPORT = "check-report"


class EndReason(StrEnum):
    """The six reasons provision ends (policy §11.8; `docgen end --reason`)."""

    NO_CONTINUATION = "no_continuation"
    RETURNED_TO_SCHOOL = "returned_to_school"
    NO_HEALTH_EVIDENCE = "no_health_evidence"
    TOO_UNWELL_TO_ENGAGE = "too_unwell_to_engage"
    UNWILLING_TO_ENGAGE = "unwilling_to_engage"
    END_OF_STATUTORY_SCHOOL_AGE = "end_of_statutory_school_age"


# --- the parts every document shares ---------------------------------------------------


def common(fields: Fields, *, case_ref: str, on: dt.date, signatory: Signatory) -> dict[str, Any]:
    """Letterhead, signatory, date, reference and the people of the case."""
    forename = text(fields.get("pupil_forename"), missing="")
    surname = text(fields.get("pupil_surname"), missing="")
    full_name = " ".join(x for x in (forename, surname) if x) or "the young person"
    preferred = text(fields.get("pupil_preferred_name"), missing="")
    referrer = text(fields.get("referrer_name"), missing="")
    school = text(fields.get("school_name"), missing="")
    return {
        "case_ref": text(case_ref),
        "date": long_date(on),
        "service": {
            "name": signatory.service,
            "address": signatory.address,
            "email": signatory.email,
            "phone": signatory.phone,
            "website": words.SERVICE_WEBSITE,
        },
        "signatory": {
            "name": signatory.name,
            "title": signatory.title,
            "email": signatory.email,
            "phone": signatory.phone,
        },
        "pupil": {
            "name": full_name,
            "forename": forename or full_name,
            "surname": surname or NOT_GIVEN,
            "preferred_name": preferred or forename or full_name,
            "dob": long_date(fields.get("pupil_dob")),
            "year_group": words.year_group(fields.get("pupil_year_group")),
            "upn": text(fields.get("pupil_upn")),
            "address": _address(fields.get("pupil_address"), fields.get("pupil_postcode")),
        },
        "parent": {
            "name": text(fields.get("parent_name")),
            "relationship": text(fields.get("parent_relationship")),
            "phone": text(fields.get("parent_phone")),
            "email": text(fields.get("parent_email")),
            "address": text(fields.get("parent_address"), missing="as the young person's address", multiline=True),
            "described": _described(text(fields.get("parent_name")), text(fields.get("parent_relationship"))),
        },
        "school": {
            "name": school or "the school",
            # the entry in a letter's "School" row: a child off roll (e.g. home educated) has none
            "entry": school or ("not on a school roll" if fields.get("pupil_on_roll") is False else NOT_GIVEN),
            "dfe_number": text(fields.get("school_dfe_number")),
        },
        "referrer": {
            "name": referrer or NOT_GIVEN,
            "role": text(fields.get("referrer_role")),
            "email": text(fields.get("referrer_email")),
            "phone": text(fields.get("referrer_phone")),
        },
        "dsl": {"name": text(fields.get("dsl_name")), "email": text(fields.get("dsl_email"))},
        "senco": text(fields.get("senco_name")),
        "ehcp_coordinator": text(fields.get("ehcp_coordinator"), missing="not applicable"),
        "social_worker": text(fields.get("social_worker"), missing="not applicable", multiline=True),
        "health_professionals": text(fields.get("health_professionals"), multiline=True),
        "salutation": f"Dear {referrer}" if referrer else "Dear Colleague",
        "recipient": _recipient_to_school(referrer, text(fields.get("referrer_role"), missing=""), school),
    }


def _address(address: Any, postcode: Any) -> str:
    lines = text(address, missing="", multiline=True).splitlines()
    code = text(postcode, missing="")
    if code and not any(code.replace(" ", "").upper() in line.replace(" ", "").upper() for line in lines):
        lines.append(code)
    return "\n".join(lines) or NOT_GIVEN


def _recipient_to_school(name: str, role: str, school: str) -> str:
    lines = [name, role, school]
    return "\n".join(x for x in lines if x) or "The Headteacher"


def _recipient_to_parent(ctx: Mapping[str, Any], fields: Fields) -> str:
    name = text(fields.get("parent_name"), missing="The parent/carer of " + ctx["pupil"]["name"])
    address = text(fields.get("parent_address"), missing="", multiline=True) or ctx["pupil"]["address"]
    return "\n".join(x for x in (name, address) if x and x != NOT_GIVEN)


def _described(name: str, relationship: str) -> str:
    """"Claire Fenwick (Mother)"; a blank part left out rather than printed as "not given (not given)"."""
    if relationship == NOT_GIVEN:
        return name
    return f"{name} ({relationship})" if name != NOT_GIVEN else f"not given ({relationship})"


def _copy_to_parent(ctx: Mapping[str, Any]) -> str:
    """"Claire Fenwick (Mother)", without "not given" where the form left a part blank."""
    name, relationship = str(ctx["parent"]["name"]), str(ctx["parent"]["relationship"])
    if name == NOT_GIVEN:
        return "the parent/carer of " + str(ctx["pupil"]["name"])
    return name if relationship == NOT_GIVEN else f"{name} ({relationship})"


# --- timeline ------------------------------------------------------------------------


def timeline_summary(timeline: TimelineJSON, *, requested_start: dt.date | None = None) -> dict[str, Any]:
    """The period's dates and milestones as letters state them.

    `requested_start` is the start agreed at the planning meeting; when it is not a school day (a half
    term, a bank holiday) the period starts on the next school day and `start_note` says so.
    """
    weeks: Sequence[Mapping[str, Any]] = timeline.get("weeks") or []
    count = len(weeks)
    reason = str(timeline.get("end_reason") or "weeks")
    milestones = [
        {"what": "Provision starts", "date": long_date(timeline.get("start"))},
        {
            "what": f"Review meeting (halfway, week {timeline.get('review_week') or NOT_GIVEN})",
            "date": _week_dates(weeks, timeline.get("review_week")),
        },
        {"what": "Review plan (Part B) due to the service", "date": long_date(timeline.get("review_plan_due"),
                                                                              missing="not applicable")},
        {"what": "Continuation request due, if needed", "date": long_date(timeline.get("continuation_due"),
                                                                          missing="not applicable")},
        {"what": "Provision ends", "date": long_date(timeline.get("provision_end"))},
    ]
    continues = bool(timeline.get("continuation_due"))
    used = as_date(timeline.get("start"))
    start_note = ""
    if requested_start is not None and used is not None and used != requested_start:
        start_note = (f"The start agreed at the planning meeting, {long_date(requested_start)}, is not a school "
                      f"day, so the provision starts on the next school day, {long_date(used)}.")
    return {
        "start_note": start_note,
        "start": long_date(timeline.get("start")),
        "end": long_date(timeline.get("provision_end")),
        "review_dates": _week_dates(weeks, timeline.get("review_week")),
        "continuation_possible": continues,
        "continuation_text": (
            "A Continuation request, if needed, is due before the period ends (section 11.7); without one, "
            "provision may cease (section 11.8)." if continues else
            "No Continuation request is due for this period: " + words.NO_CONTINUATION_BECAUSE.get(
                reason, "the period ends before the 12 school weeks are complete") + "."
        ),
        "weeks": str(count),
        "review_week": str(timeline.get("review_week") or NOT_GIVEN),
        "review_plan_due": long_date(timeline.get("review_plan_due"), missing="not applicable"),
        "continuation_due": long_date(timeline.get("continuation_due"), missing="not applicable"),
        "end_reason": words.TIMELINE_END_REASONS.get(reason, reason).format(weeks=count or 12),
        "milestones": milestones,
    }


def _week_dates(weeks: Sequence[Mapping[str, Any]], number: Any) -> str:
    for week in weeks:
        if week.get("number") == number:
            return words.date_range(week.get("start"), week.get("end"))
    return "not applicable"


def timeline_rows(timeline: TimelineJSON, holidays: Iterable[Holiday] = ()) -> list[dict[str, str]]:
    """One row per school week, with holidays between weeks as their own rows and milestones noted."""
    weeks = list(timeline.get("weeks") or [])
    spans = [(as_date(h.get("start")), as_date(h.get("end")), text(h.get("name"), missing="Holiday"))
             for h in holidays]
    marks = _milestone_marks(timeline)
    rows: list[dict[str, str]] = []
    previous_friday: dt.date | None = None
    for week in weeks:
        start, end = as_date(week.get("start")), as_date(week.get("end"))
        if start is None or end is None:
            continue
        monday = start - dt.timedelta(days=start.weekday())
        friday = monday + dt.timedelta(days=4)
        notes: list[str] = []
        for h_start, h_end, name in spans:
            if h_start is None or h_end is None:
                continue
            if previous_friday and previous_friday < h_start and h_end < monday:
                rows.append({"week": "", "dates": words.date_range(h_start, h_end),
                             "note": f"{name}: no provision"})
            elif h_start <= friday and h_end >= monday:
                notes.append(f"{name} ({_span(max(h_start, monday), min(h_end, friday))}): no provision")
        number = week.get("number")
        notes.extend(marks.get(int(number) if isinstance(number, int) else -1, []))
        rows.append({
            "week": f"Week {number}",
            "dates": words.date_range(start, end),
            "note": "; ".join(notes),
        })
        previous_friday = friday
    return rows


def _span(start: dt.date, end: dt.date) -> str:
    return short_date(start) if start == end else f"{short_date(start)} to {short_date(end)}"


def _milestone_marks(timeline: TimelineJSON) -> dict[int, list[str]]:
    marks: dict[int, list[str]] = {}
    weeks = list(timeline.get("weeks") or [])

    def week_of(day: Any) -> int | None:
        when = as_date(day)
        for week in weeks:
            start, end = as_date(week.get("start")), as_date(week.get("end"))
            if when and start and end and start - dt.timedelta(days=start.weekday()) <= when <= end:
                return int(week["number"])
        return None

    if isinstance(timeline.get("review_week"), int):
        marks.setdefault(timeline["review_week"], []).append("Review meeting this week (section 11.6)")
    for key, what in (
        ("review_plan_due", "Review plan due by {date} (section 11.6)"),
        ("continuation_due", "Continuation request due by {date} (section 11.7)"),
        ("provision_end", "Provision ends {date}"),
    ):
        number = week_of(timeline.get(key))
        if number is not None:
            marks.setdefault(number, []).append(what.format(date=long_date(timeline.get(key))))
    return marks


# --- one builder per document ----------------------------------------------------------


def acceptance_letter(fields: Fields, *, case_ref: str, on: dt.date, signatory: Signatory,
                      timeline: TimelineJSON | None = None) -> dict[str, Any]:
    """Accepted referral (§11.3): planning meeting, package (§11.4), school duties (§11.1, §11.5)."""
    ctx = common(fields, case_ref=case_ref, on=on, signatory=signatory)
    ctx["copy_to"] = _copy_to_parent(ctx)
    ctx["has_timeline"] = timeline is not None
    ctx["timeline"] = timeline_summary(timeline or {"weeks": []})
    return ctx


def timeline_document(fields: Fields, *, case_ref: str, on: dt.date, signatory: Signatory,
                      timeline: TimelineJSON, holidays: Iterable[Holiday] = (),
                      requested_start: dt.date | None = None) -> dict[str, Any]:
    """The 12-school-week timeline (§11.4–11.8): table of weeks, holidays, milestones, chart."""
    holidays = list(holidays)
    ctx = common(fields, case_ref=case_ref, on=on, signatory=signatory)
    ctx["timeline"] = timeline_summary(timeline, requested_start=requested_start)
    ctx["rows"] = timeline_rows(timeline, holidays) or [
        {"week": "", "dates": NOT_GIVEN, "note": "no school weeks in this period"}]
    ctx["timeline_chart"] = timeline_chart(timeline, holidays)
    return ctx


def planning_record(fields: Fields, *, case_ref: str, on: dt.date, signatory: Signatory,
                    timeline: TimelineJSON | None = None, meeting_date: dt.date | None = None,
                    requested_start: dt.date | None = None) -> dict[str, Any]:
    """Initial Planning and Review Record: Part A prefilled (§11.4, §11.5), Part B (§11.6)."""
    ctx = common(fields, case_ref=case_ref, on=on, signatory=signatory)
    summary = timeline_summary(timeline or {"weeks": []}, requested_start=requested_start)
    ctx["timeline"] = summary
    ctx["meeting_date"] = long_date(meeting_date, missing="to be arranged by the school")
    ctx["review_due"] = (
        f"Week {summary['review_week']} of the provision ({summary['review_dates']})"
        if timeline and summary["review_dates"] != "not applicable" else
        "halfway through the provision (week 6 of 12)"
    )
    ctx["review_plan_due"] = (
        summary["review_plan_due"] if timeline else "the end of week 7 of the provision"
    )
    ctx["continuation_due"] = (
        summary["continuation_due"] if timeline else "the end of the 12-week period"
    )
    ctx["continuation_text"] = (
        "If the young person will not be able to return to school after the 12 weeks, the school sends a "
        "Continuation request with updated medical evidence, the attendance herringbone, an updated Individual "
        f"Healthcare Plan (if appropriate) and this record, updated, by {ctx['continuation_due']} (section 11.7)."
        if not timeline or summary["continuation_possible"] else summary["continuation_text"]
    )
    ctx["provision_period"] = (
        f"{summary['start']} to {summary['end']}" if timeline else "to be agreed at the planning meeting"
    )
    if summary["start_note"]:
        ctx["provision_period"] += f" (the agreed start, {long_date(requested_start)}, is not a school day)"
    ctx["attendees"] = [
        {"who": "The young person", "name": ctx["pupil"]["name"]},
        {"who": "Parent/carer", "name": ctx["parent"]["name"]},
        {"who": "Home school representative", "name": f"{ctx['referrer']['name']}, {ctx['school']['name']}"},
        {"who": "Designated Safeguarding Lead", "name": ctx["dsl"]["name"]},
        {"who": "Commissioned provider representative", "name": ""},
        {"who": "Medical Needs Coordinator (where possible)", "name": signatory.name},
        {"who": "Health professional who gave the medical advice (invited)", "name": ctx["health_professionals"]},
        {"who": "EHCP Coordinator, social worker or other professional (as appropriate)",
         "name": _others(ctx)},
    ]
    return ctx


def _others(ctx: Mapping[str, Any]) -> str:
    parts = [x for x in (ctx["ehcp_coordinator"], ctx["social_worker"]) if x != "not applicable"]
    return "; ".join(parts)


def request_for_information(fields: Fields, *, case_ref: str, on: dt.date, signatory: Signatory,
                            findings: Iterable[Finding]) -> dict[str, Any]:
    """Incomplete referral (§11.2.1): each missing item, why the policy needs it, what to send."""
    ctx = common(fields, case_ref=case_ref, on=on, signatory=signatory)
    items = []
    for finding in findings:
        if finding.get("severity") != "missing":
            continue
        why, send = words.MISSING_GUIDANCE.get(str(finding.get("rule")), words.GENERIC_GUIDANCE)
        message = text(finding.get("message"))
        items.append({
            # the coordinator's own words go to the school as typed; a rule's "Ask the school …" does not
            "what": _sentence(message) if finding.get("rule") == "coordinator" else for_the_school(message),
            "why": why,
            "section": _section(finding.get("section")),
            "send": send,
        })
    ctx["items"] = items or [{"what": "Further information", "why": words.GENERIC_GUIDANCE[0],
                              "section": "section 11.2", "send": words.GENERIC_GUIDANCE[1]}]
    count = len(ctx["items"])
    ctx["count_text"] = "the following" if count == 1 else f"the following {count} items"
    return ctx


def not_accepted_letter(fields: Fields, *, case_ref: str, on: dt.date, signatory: Signatory,
                        findings: Iterable[Finding] = (), reason: str | None = None) -> dict[str, Any]:
    """Referral not accepted: the reason in plain words, its policy section, where to go instead."""
    ctx = common(fields, case_ref=case_ref, on=on, signatory=signatory)
    name = ctx["pupil"]["forename"]
    reasons = []
    for finding in findings:
        if finding.get("severity") != "ineligible":
            continue
        rule = str(finding.get("rule"))
        plain, instead = words.NOT_ACCEPTED_GUIDANCE.get(rule, words.GENERIC_NOT_ACCEPTED)
        if rule not in words.NOT_ACCEPTED_GUIDANCE:
            plain = text(finding.get("message"))
        section = _section(finding.get("section"))
        reasons.append({"reason": plain.format(name=name), "section": section,
                        "heading": f"Reason (policy {section}): ", "instead": instead})
    if reason:
        reasons.append({"reason": _sentence(text(reason)), "section": "", "heading": "Reason: ",
                        "instead": words.GENERIC_NOT_ACCEPTED[1]})
    ctx["reasons"] = reasons or [{"reason": words.GENERIC_NOT_ACCEPTED[0], "section": "section 11.2",
                                  "heading": "Reason (policy section 11.2): ",
                                  "instead": words.GENERIC_NOT_ACCEPTED[1]}]
    ctx["reasons_text"] = "the reason below" if len(ctx["reasons"]) == 1 else "the reasons below"
    ctx["copy_to"] = _copy_to_parent(ctx)
    return ctx


def continuation_agreed_letter(fields: Fields, *, case_ref: str, on: dt.date, signatory: Signatory,
                               timeline: TimelineJSON) -> dict[str, Any]:
    """Continuation agreed (§11.7): the new period's dates and milestones; timeline attached."""
    ctx = common(fields, case_ref=case_ref, on=on, signatory=signatory)
    ctx["timeline"] = timeline_summary(timeline)
    ctx["copy_to"] = _copy_to_parent(ctx)
    return ctx


def end_of_provision_letter(fields: Fields, *, case_ref: str, on: dt.date, signatory: Signatory,
                            reason: str, end_date: dt.date) -> dict[str, Any]:
    """End of Provision (§11.8): one of the six reasons, the end date, the decision, the evaluation."""
    try:
        code = EndReason(reason)
    except ValueError as exc:
        allowed = ", ".join(r.value for r in EndReason)
        raise ValueError(f"unknown End of Provision reason {reason!r}; use one of {allowed}") from exc
    ctx = common(fields, case_ref=case_ref, on=on, signatory=signatory)
    ctx["recipient"] = _recipient_to_parent(ctx, fields)
    parent = text(fields.get("parent_name"), missing="")
    ctx["salutation"] = f"Dear {parent}" if parent else "Dear Parent/Carer"
    ctx["copy_to"] = ", ".join(x for x in (ctx["referrer"]["name"], ctx["school"]["name"]) if x != NOT_GIVEN)
    ctx["end_date"] = long_date(end_date)
    ctx["end_verb"] = "ended on" if end_date < on else "will end on"
    ctx["reason_verb"] = "ended" if end_date < on else "is ending"
    ctx["reason"] = words.END_REASONS[code].format(name=ctx["pupil"]["preferred_name"])
    ctx["next_steps"] = words.END_NEXT_STEPS[code].format(
        name=ctx["pupil"]["preferred_name"], school=ctx["school"]["name"], end=ctx["end_date"])
    ctx["next_steps"] = ctx["next_steps"][:1].upper() + ctx["next_steps"][1:]
    ctx["reason_code"] = code.value
    ctx["evaluation_link"] = signatory.evaluation_link
    return ctx


def check_report(fields: Fields, *, case_ref: str, on: dt.date, signatory: Signatory,
                 outcome: str, findings: Iterable[Finding],
                 documents: Iterable[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """For the coordinator: every finding (rule, section, severity, message) and the fields read."""
    ctx = common(fields, case_ref=case_ref, on=on, signatory=signatory)
    ctx["outcome"] = text(outcome)
    rows = [{
        "rule": text(f.get("rule")),
        "severity": text(f.get("severity")),
        "section": _sign(f.get("section")),
        "message": text(f.get("message")),
    } for f in findings]
    ctx["findings"] = rows or [{"rule": "", "severity": "", "section": "", "message": "No findings."}]
    ctx["finding_count"] = str(len(rows))
    field_rows: list[dict[str, str]] = []
    document_rows: list[dict[str, str]] = []
    for doc in documents:
        name = f"{text(doc.get('file'))} ({text(doc.get('kind'), missing='unknown')})"
        document_rows.append({"file": text(doc.get("file")), "kind": text(doc.get("kind"), missing="unknown")})
        values: Mapping[str, Any] = doc.get("fields") or {}
        first = True
        for key, value in values.items():
            field_rows.append({"document": name if first else "", "field": words.label(str(key)),
                               "value": words.field_value(str(key), value)})
            first = False
        if first:
            field_rows.append({"document": name, "field": "", "value": "no fields read"})
    ctx["documents"] = document_rows or [{"file": "none", "kind": ""}]
    ctx["fields"] = field_rows or [{"document": "", "field": "", "value": "no documents"}]
    return ctx


_ASK = re.compile(r"^Ask\b")


def for_the_school(message: str) -> str:
    """A finding's message as the school reads it: the coordinator's "Ask the school …" sentences dropped."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z'])", message)
    kept = [x for x in sentences if not _ASK.match(x)]
    return " ".join(kept) or message


def _sentence(value: str) -> str:
    """A coordinator's typed reason as a sentence: capital first letter, full stop at the end."""
    value = value.strip()
    if not value:
        return value
    value = value[:1].upper() + value[1:]
    return value if value.endswith((".", "!", "?")) else value + "."


def _section(value: Any) -> str:
    """`11.2.1` → "section 11.2.1" (letters spell it out)."""
    section = text(value, missing="").lstrip("§ ")
    return f"section {section}" if section else "section 11.2"


def _sign(value: Any) -> str:
    section = text(value, missing="").lstrip("§ ")
    return f"§{section}" if section else ""
