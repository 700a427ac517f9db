"""Fields shared by several forms, declared once ("as 3.1" in SPEC §3)."""

from __future__ import annotations

from docgen.forms.schema import Field, Values
from docgen.forms.types import UPN, Date, Email, Text


def on_roll(values: Values) -> bool:
    """A question required only for a pupil on a school roll (unknown roll status counts as on roll)."""
    return values.get("pupil_on_roll") is not False


PUPIL_FORENAME = Field("pupil_forename", "Legal forename(s)", Text(), required=True,
                       aliases=("First name", "Forename", "First names", "Forenames", "Pupil forename",
                                "Child's first name", "Young person's forename", "Given name"))
PUPIL_SURNAME = Field("pupil_surname", "Legal surname", Text(), required=True,
                      aliases=("Surname", "Last name", "Family name", "Pupil surname", "Child's surname",
                               "Young person's surname"))
PUPIL_DOB = Field("pupil_dob", "Date of birth", Date(), required=True,
                  aliases=("DOB", "D.O.B", "Pupil date of birth", "Child's date of birth", "Birth date"),
                  concept=("birth|born|dob", "!parent*|carer*|place|country|certificate"))
PUPIL_UPN = Field("pupil_upn", "Unique Pupil Number (UPN)", UPN(), required_if=on_roll,
                  required_note="if on roll", aliases=("UPN", "Unique pupil number", "Pupil number"),
                  concept=("upn|unique pupil|pupil number",))
SCHOOL_NAME = Field("school_name", "School name", Text(),
                    aliases=("Name of school", "School", "Current school", "School/setting",
                             "School or setting", "Name of school or setting"))
REFERRER_NAME = Field("referrer_name", "Name of person making the referral", Text(), required=True,
                      aliases=("Referrer name", "Referrer", "Name of referrer", "Referred by",
                               "Name of person making the request"),
                      concept=("referrer*|referring|person making|person completing|making this referral"
                               "|making the referral|completing this form|completing the form",
                               "name*|who|staff",
                               "!role|position|job|title|post|email*|e mail*|phone*|telephone*|tel|mobile*|school"
                               "|parent*|carer*|dsl|senco|safeguarding|consent*|date|when|previous*|before|prior"
                               "|reason*|sign*|address*"))
REFERRER_ROLE = Field("referrer_role", "Role of person making the referral", Text(), required=True,
                      aliases=("Referrer role", "Role of referrer", "Referrer's role",
                               "Role of person making the request"),
                      concept=("referrer*|referring|your|person making|person completing|completed by",
                               "role|position|job title|post|designation", "!email*|e mail*|phone*|telephone*|code"))
REFERRER_EMAIL = Field("referrer_email", "Referrer email", Email(), required=True,
                       aliases=("Email of person making the referral", "Referrer email address",
                                "Referrer's email", "Email address of referrer"),
                       concept=("referrer*|referring|your|person making|person completing|completed by",
                                "email*|e mail*", "!parent*|carer*|dsl|senco|safeguarding"))
