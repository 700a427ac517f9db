"""Medical Needs Continuation Request (SPEC §3.2, policy §11.7)."""

from __future__ import annotations

from docgen.forms import common
from docgen.forms.schema import Field, FormSchema
from docgen.forms.types import Date, Text

CONTINUATION = FormSchema(
    "continuation",
    title="Medical Needs Continuation Request",
    title_aliases=("Continuation Request", "Request for Continuation"),
    title_patterns=(
        r"continuation request",
        r"request for (?:a )?continuation",
        r"continuation of (?:medical needs )?provision",
        r"medical needs (?:service )?continuation",
    ),
    intro="Send with: updated medical evidence, the attendance record, and the updated Initial Planning and "
          "Review Record (and the updated Individual Healthcare Plan if appropriate) — policy §11.7.",
    fields=(
        Field("case_reference", "Medical Needs case reference", Text(),
              aliases=("Case reference", "Case ref", "Medical Needs reference", "Reference")),
        common.PUPIL_FORENAME,
        common.PUPIL_SURNAME,
        common.PUPIL_DOB,
        common.PUPIL_UPN,
        Field("school_name", "School name", Text(), required=True, aliases=common.SCHOOL_NAME.aliases),
        common.REFERRER_NAME,
        common.REFERRER_ROLE,
        common.REFERRER_EMAIL,
        Field("provision_start_date", "Date the current provision started", Date(), required=True,
              aliases=("Provision start date", "Current provision start date", "Date provision started",
                       "Start date of current provision")),
        Field("current_provision", "Summary of the current package of provision", Text(multiline=True),
              required=True, aliases=("Current provision", "Current package of provision", "Current package")),
        Field("progress_summary", "Progress made during the current period", Text(multiline=True), required=True,
              aliases=("Progress summary", "Progress made", "Progress during the current period")),
        Field("reintegration_progress", "Progress towards reintegration into school", Text(multiline=True),
              required=True, aliases=("Reintegration progress", "Progress towards reintegration")),
        Field("continuation_reason", "Why the young person is not yet able to return to school",
              Text(multiline=True), required=True,
              aliases=("Reason for continuation", "Continuation reason", "Reason for the request",
                       "Why the young person cannot yet return to school")),
        Field("review_meeting_date", "Date of the most recent review meeting", Date(), required=True,
              aliases=("Review meeting date", "Date of review meeting", "Most recent review meeting")),
        Field("request_date", "Date of request", Date(), required=True,
              aliases=("Request date", "Date of continuation request", "Date requested")),
    ),
)
