"""Policy checks (SPEC §6): the registry and one module per policy area.

Importing this package registers every rule; `RULES` maps id → Rule in catalogue order.
"""

from __future__ import annotations

from docgen.rules import checklist, consent, continuation, documents, eligibility, evidence, form, scans  # noqa: F401
from docgen.rules.registry import RULES, Finding, Rule, Severity, catalogue, rule
from docgen.rules.submission import Submission, Unreadable

_GROUPS = ("R-FORM-", "R-DATA-", "R-DOCS-", "R-CONSENT-", "R-CHK-", "R-ELIG-", "R-EVID-", "R-CONT-")


def _area(rule_id: str) -> int:
    """A rule's place in the catalogue; a new prefix is an error naming it, not a StopIteration at import."""
    for index, prefix in enumerate(_GROUPS):
        if rule_id.startswith(prefix):
            return index
    raise ValueError(f"rule {rule_id}: its prefix is none of {', '.join(_GROUPS)}; add it to rules/__init__.py")


_ordered = sorted(RULES.values(), key=lambda r: _area(r.id))
RULES.clear()
RULES.update((r.id, r) for r in _ordered)  # catalogue order: as SPEC §6 lists the areas

__all__ = ["RULES", "Finding", "Rule", "Severity", "Submission", "Unreadable", "catalogue", "rule", "run"]


def run(sub: Submission) -> list[Finding]:
    """Every finding of every rule that applies to this submission's kind, in catalogue order."""
    findings: list[Finding] = []
    for r in RULES.values():
        if r.applies_to(sub.kind):
            findings.extend(r.check(sub))
    return findings
