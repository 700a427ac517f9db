"""Policy checks (SPEC §6): the registry and one module per policy area.

Importing this package registers every rule; `RULES` maps id → Rule in catalogue order.
"""

from __future__ import annotations

from docgen.rules import checklist, consent, continuation, documents, eligibility, evidence, form, scans  # noqa: F401
from docgen.rules.registry import RULES, Finding, Rule, Severity, catalogue, rule
from docgen.rules.submission import Submission, Unreadable

_GROUPS = ("R-FORM-", "R-DATA-", "R-DOCS-", "R-CONSENT-", "R-CHK-", "R-ELIG-", "R-EVID-", "R-CONT-")
_ordered = sorted(RULES.values(), key=lambda r: next(i for i, g in enumerate(_GROUPS) if r.id.startswith(g)))
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
