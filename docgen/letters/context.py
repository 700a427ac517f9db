"""Build each document's template context from plain data (SPEC §8).

Every builder takes the case's merged field values (SPEC §3 keys), the case reference,
the letter date and the signatory, plus what its document needs (findings, a timeline
as `docgen timeline --json` gives it, holidays, an End of Provision reason). The result
is a dict of text, lists and PNG bytes — never a blank: a missing value reads "not given".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from docgen.calendar import academic_year_start, year_group_on
from docgen.config import Signatory
from docgen.dates import as_date
from docgen.letters import words
from docgen.letters.chart import timeline_chart
from docgen.letters.timetext import timeline_rows, timeline_summary
from docgen.letters.words import NOT_GIVEN, long_date, text

__all__ = ["timeline_rows", "timeline_summary"]  # re-exported: the letters' period wording lives in timetext

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
            "year_group": words.year_group(_year_group_on(fields, on)),
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


def _year_group_on(fields: Fields, on: dt.date) -> Any:
    """The pupil's year group on the letter's date: from the date of birth (age on 31 August − 4), or the
    referral's year group moved on by the school years since the referral (a pupil repeating Year 11)."""
    stated = fields.get("pupil_year_group")
    dob, referred = as_date(fields.get("pupil_dob")), as_date(fields.get("referral_date"))
    moved = None
    if isinstance(stated, int) and not isinstance(stated, bool) and referred is not None:
        moved = stated + academic_year_start(on) - academic_year_start(referred)
    if moved is not None and (fields.get("repeating_year_11") is True or dob is None):
        return moved
    if dob is not None:
        return year_group_on(dob, on)
    return moved if moved is not None else stated


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


# --- one builder per document ----------------------------------------------------------


def _summary(ctx: Mapping[str, Any], fields: Fields, timeline: TimelineJSON | None, **extra: Any) -> dict[str, Any]:
    return timeline_summary(timeline or {"weeks": []}, dob=fields.get("pupil_dob"),
                            name=ctx["pupil"]["preferred_name"], email=ctx["service"]["email"], **extra)


def acceptance_letter(fields: Fields, *, case_ref: str, on: dt.date, signatory: Signatory,
                      timeline: TimelineJSON | None = None, provisional: bool = False,
                      expected_return: Mapping[str, Any] | None = None, professional: str = "") -> dict[str, Any]:
    """Accepted referral (§11.3): planning meeting, package (§11.4), school duties (§11.1, §11.5)."""
    ctx = common(fields, case_ref=case_ref, on=on, signatory=signatory)
    ctx["copy_to"] = _copy_to_parent(ctx)
    ctx["has_timeline"] = timeline is not None
    ctx["timeline"] = _summary(ctx, fields, timeline, provisional=provisional, expected_return=expected_return)
    ctx["professional"] = f" ({professional})" if professional else ""
    if timeline is None:
        ctx["timeline"]["review_text"] = (
            "A review meeting takes place halfway through the provision, and the review plan (Part B of the "
            f"record) is emailed to {ctx['service']['email']} by the end of the following week (the end of week "
            "7 of a 12-week period; section 11.6).")
    ctx["enclosed"] = ("Timeline; Initial Planning and Review Record" if timeline is not None
                       else "Initial Planning and Review Record")
    return ctx


def timeline_document(fields: Fields, *, case_ref: str, on: dt.date, signatory: Signatory,
                      timeline: TimelineJSON, holidays: Iterable[Holiday] = (),
                      requested_start: dt.date | None = None, provisional: bool = False,
                      expected_return: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The 12-school-week timeline (§11.4–11.8): table of weeks, holidays, milestones, chart."""
    holidays = list(holidays)
    ctx = common(fields, case_ref=case_ref, on=on, signatory=signatory)
    ctx["timeline"] = _summary(ctx, fields, timeline, requested_start=requested_start, provisional=provisional,
                               expected_return=expected_return)
    ctx["rows"] = timeline_rows(timeline, holidays) or [
        {"week": "", "dates": NOT_GIVEN, "note": "no school weeks in this period"}]
    ctx["timeline_chart"] = timeline_chart(timeline, holidays)
    return ctx


def planning_record(fields: Fields, *, case_ref: str, on: dt.date, signatory: Signatory,
                    timeline: TimelineJSON | None = None, meeting_date: dt.date | None = None,
                    requested_start: dt.date | None = None, expected_return: Mapping[str, Any] | None = None,
                    professional: str = "") -> dict[str, Any]:
    """Initial Planning and Review Record: Part A prefilled (§11.4, §11.5), Part B (§11.6)."""
    ctx = common(fields, case_ref=case_ref, on=on, signatory=signatory)
    summary = _summary(ctx, fields, timeline, requested_start=requested_start, expected_return=expected_return)
    ctx["timeline"] = summary
    ctx["meeting_date"] = long_date(meeting_date, missing="to be arranged by the school")
    if not timeline:
        ctx["review_due"] = "halfway through the provision (section 11.6), once its dates are agreed"
        ctx["review_plan_due"] = "the end of the week after the review meeting (section 11.6)"
    elif summary["review_week"] != "not applicable":
        ctx["review_due"] = f"Week {summary['review_week']} of the provision ({summary['review_dates']})"
        ctx["review_plan_due"] = summary["review_plan_due"]
    else:
        ctx["review_due"] = "none: the provision is a single school week (section 11.6)"
        ctx["review_plan_due"] = "not applicable"
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
        f"{summary['start']} to {summary['end']} ({summary['weeks']} school weeks)" if timeline
        else "to be agreed at the planning meeting"
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
        {"who": "Health professional who gave the medical advice (invited)", "name": professional},
        {"who": "EHCP Coordinator, social worker or other professional (as appropriate)",
         "name": _others(ctx)},
    ]
    return ctx


def _others(ctx: Mapping[str, Any]) -> str:
    parts = [x for x in (ctx["ehcp_coordinator"], ctx["social_worker"]) if x != "not applicable"]
    return "; ".join(parts)


def request_for_information(fields: Fields, *, case_ref: str, on: dt.date, signatory: Signatory,
                            findings: Iterable[Finding], previous: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Incomplete referral (§11.2.1): each missing item, why the policy needs it, what to send.

    `previous` (a second request): the date of the last request and what has arrived since, which
    the letter acknowledges before asking for what is still missing.
    """
    ctx = common(fields, case_ref=case_ref, on=on, signatory=signatory)
    items = []
    for finding in findings:
        if finding.get("severity") != "missing":
            continue
        why, send = words.MISSING_GUIDANCE.get(str(finding.get("rule")), words.GENERIC_GUIDANCE)
        if finding.get("rule") == "coordinator":
            why = words.section_why([str(s) for s in finding.get("sections") or []]) or why
            send = "Please send it by email, quoting our reference."
        message = text(finding.get("message"))
        items.append({
            # the coordinator's own words go to the school as typed; a rule's "Ask the school …" does not
            "what": _sentence(message) if finding.get("rule") == "coordinator" else for_the_school(message),
            "why": why,
            "section": (words.sections_text([str(s) for s in finding.get("sections") or []])
                        if finding.get("sections") else _section(finding.get("section"))),
            "send": send,
        })
    ctx["items"] = items or [{"what": "Further information", "why": words.GENERIC_GUIDANCE[0],
                              "section": "section 11.2", "send": words.GENERIC_GUIDANCE[1]}]
    count = len(ctx["items"])
    ctx["count_text"] = "the following" if count == 1 else f"the following {count} items"
    ctx["previous"] = _acknowledgement(previous)
    return ctx


def _acknowledgement(previous: Mapping[str, Any] | None) -> str:
    """"Thank you for … received since our letter of 18 December 2026." ("" for a first request)."""
    if not previous or not previous.get("date"):
        return ""
    received = [text(x) for x in previous.get("received") or []]
    resolved = [for_the_school(text(x)) for x in previous.get("resolved") or []]
    since = f"our letter of {long_date(previous['date'])}"
    if received:
        sentence = f"Thank you for the documents received since {since}: {'; '.join(received)}."
    else:
        sentence = f"We have not received further documents since {since}."
    if resolved:
        sentence += " These items are now complete: " + " ".join(_sentence(x) for x in resolved)
    return sentence


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
        review = [str(f.get("section")) for f in findings if f.get("severity") == "review" and f.get("section")]
        section = words.sections_text(review)
        reasons.append({"reason": _sentence(text(reason)), "section": section,
                        "heading": f"Reason (policy {section}): ", "instead": words.GENERIC_NOT_ACCEPTED[1]})
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
    ctx["timeline"] = _summary(ctx, fields, timeline)
    ctx["copy_to"] = _copy_to_parent(ctx)
    return ctx


def end_of_provision_letter(fields: Fields, *, case_ref: str, on: dt.date, signatory: Signatory,
                            reason: str, end_date: dt.date, resume: dt.date | None = None) -> dict[str, Any]:
    """End of Provision (§11.8): one of the six reasons, the end date, the decision, the evaluation.

    `resume` is the next school day after the end: the school is responsible again from then (no day
    on which both the provision and the school are said to be responsible). The tense follows the
    letter's date: a provision ending after the letter "will end".
    """
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
    past = end_date < on
    ctx["end_verb"] = "ended on" if past else "will end on"
    ctx["reason_verb"] = "ended" if past else "is ending"
    day_after = resume or end_date + dt.timedelta(days=1)
    tenses = {"has_reached": "has reached" if past or end_date == on else "will have reached",
              "is_no_longer": "is no longer" if past else "will no longer be",
              "is_": "is" if day_after <= on else "will be"}
    ctx["reason"] = words.END_REASONS[code].format(name=ctx["pupil"]["preferred_name"], **tenses)
    ctx["next_steps"] = words.END_NEXT_STEPS[code].format(
        name=ctx["pupil"]["preferred_name"], school=ctx["school"]["name"], end=ctx["end_date"],
        resume=words.weekday_date(day_after) if resume else f"the day after {ctx['end_date']}", **tenses)
    ctx["next_steps"] = ctx["next_steps"][:1].upper() + ctx["next_steps"][1:]
    ctx["reason_code"] = code.value
    ctx["evaluation_link"] = signatory.evaluation_link
    return ctx


def check_report(fields: Fields, *, case_ref: str, on: dt.date, signatory: Signatory,
                 outcome: str, findings: Iterable[Finding],
                 documents: Iterable[Mapping[str, Any]] = (), notes: Iterable[str] = ()) -> dict[str, Any]:
    """For the coordinator: every finding (rule, section, severity, message) and the fields read.

    `notes` are what the coordinator must act on beyond the findings (e.g. term dates to extend).
    """
    ctx = common(fields, case_ref=case_ref, on=on, signatory=signatory)
    ctx["outcome"] = text(outcome)
    ctx["notes"] = [_sentence(text(n)) for n in notes]
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
        for note in doc.get("notes") or ():  # e.g. named .pdf but a Word document, read by its content (§2)
            field_rows.append({"document": name if first else "", "field": "File type", "value": text(note)})
            first = False
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
