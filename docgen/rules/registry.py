"""The rule registry: every policy check of SPEC §6 with its id, policy section, severity and summary.

A rule is a function of a `Submission` that yields `Finding`s; `@rule` registers it. Which
submissions a rule applies to follows SPEC §6: a referral is checked by every rule but R-CONT-*;
a continuation by R-FORM-*, R-DATA-*, R-EVID-* and R-CONT-*.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docgen.rules.submission import Submission


class Severity(StrEnum):
    """How a finding weighs on the outcome (SPEC §6)."""

    MISSING = "missing"
    INELIGIBLE = "ineligible"
    REVIEW = "review"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One breach of a rule, worded for the admin officer."""

    rule: str
    severity: Severity
    section: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"rule": self.rule, "severity": self.severity.value, "section": self.section, "message": self.message}


Check = Callable[["Submission"], Iterator[Finding]]

REFERRAL_GROUPS = ("R-FORM-", "R-DATA-", "R-DOCS-", "R-CONSENT-", "R-CHK-", "R-ELIG-", "R-EVID-")
CONTINUATION_GROUPS = ("R-FORM-", "R-DATA-", "R-EVID-", "R-CONT-")


@dataclass(frozen=True)
class Rule:
    """A registered policy check."""

    id: str
    section: str
    severity: Severity
    summary: str
    check: Check

    def applies_to(self, kind: str) -> bool:
        """Whether this rule checks a submission whose main form is `kind` (SPEC §6, closing paragraph)."""
        groups = {"referral": REFERRAL_GROUPS, "continuation": CONTINUATION_GROUPS}.get(kind, ())
        return self.id.startswith(groups)

    def finding(self, message: str, severity: Severity | None = None) -> Finding:
        """A finding of this rule (its own severity unless the policy gives another for this case)."""
        return Finding(self.id, severity or self.severity, self.section, message)

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.id, "section": self.section, "severity": self.severity.value, "summary": self.summary}


RULES: dict[str, Rule] = {}


def rule(rule_id: str, *, section: str, severity: Severity, summary: str) -> Callable[[Check], Rule]:
    """Register a check under its SPEC §6 id; the function's findings carry this id and section."""

    def register(check: Check) -> Rule:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} is registered twice")
        registered = Rule(rule_id, section, severity, summary, check)
        RULES[rule_id] = registered
        return registered

    return register


def catalogue() -> list[dict[str, Any]]:
    """Every rule's id, section, severity and summary, in registration order."""
    return [r.to_json() for r in RULES.values()]
