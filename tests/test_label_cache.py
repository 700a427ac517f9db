"""A label matcher's memory stays flat over a long backlog: its cache of texts seen is bounded (SPEC §12)."""

from docgen.kinds import Kind
from docgen.read import labels
from docgen.read.extract import FORMS


def test_match_cache_is_bounded() -> None:
    matcher = labels.matcher_for(FORMS[Kind.REFERRAL])
    for n in range(2 * 4096 + 10):
        matcher.match_quality(f"Answer text number {n} of a child's form")
    assert len(matcher._cache) <= 4096
    assert matcher.match("Legal forename(s)") is not None  # still matches after clearing
