"""The forms' data dictionary: one declaration per form kind, value types, blank forms (readers: docgen/read)."""

from __future__ import annotations

from docgen.forms.continuation import CONTINUATION
from docgen.forms.jmp_consent import JMP_CONSENT
from docgen.forms.jmp_health import JMP_HEALTH
from docgen.forms.referral import REFERRAL
from docgen.forms.schema import Field, FormSchema

FORMS: dict[str, FormSchema] = {f.kind: f for f in (REFERRAL, CONTINUATION, JMP_HEALTH, JMP_CONSENT)}

__all__ = ["CONTINUATION", "FORMS", "JMP_CONSENT", "JMP_HEALTH", "REFERRAL", "Field", "FormSchema"]
