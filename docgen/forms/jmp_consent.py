"""Joint Medical Protocol — Consent Form (SPEC §3.4, policy §11.2.2)."""

from __future__ import annotations

from docgen.forms import common
from docgen.forms.schema import Field, FormSchema
from docgen.forms.types import Bool, Date, Text

JMP_CONSENT = FormSchema(
    "jmp_consent",
    title="Joint Medical Protocol — Consent Form",
    title_aliases=("JMP Consent Form", "Joint Medical Protocol Consent Form"),
    title_patterns=(
        r"joint medical protocol\W{0,10}(?:\w+\W+){0,3}consent form",
        r"jmp consent form",
        r"consent form\W{0,10}(?:\w+\W+){0,3}joint medical protocol",
    ),
    intro="Consent may be withdrawn at any time, in writing to the referring school (policy §11.2.2).",
    fields=(
        common.PUPIL_FORENAME,
        common.PUPIL_SURNAME,
        common.PUPIL_DOB,
        Field("consent_name", "Name of person giving consent", Text(), required=True,
              aliases=("Consent given by", "Name", "Parent/carer name", "Name of parent/carer")),
        Field("consent_relationship", "Relationship to the young person", Text(), required=True,
              aliases=("Relationship", "Relationship to child", "Relationship to the child")),
        Field("gillick_competent", "The young person is Gillick competent and gives their own consent", Bool(),
              aliases=("Gillick competent",)),
        Field("consent_share_health",
              "I consent to information being shared between health services, the school and the Medical Needs "
              "Service", Bool(), required=True,
              aliases=("Consent to share information", "Consent to share", "Consent given", "I consent")),
        Field("consent_date", "Date", Date(), required=True, aliases=("Date of consent", "Consent date", "Date signed")),
    ),
)
