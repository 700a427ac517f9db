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


def test_concept_cache_is_bounded_and_answers_as_before() -> None:
    """The concept matcher remembers the texts it looked at (a backlog's forms repeat their questions, and
    looking each up anew cost ~9 % of reading a text-layer form), within the same bound."""
    from docgen.read.concepts import CACHE_MAX, ConceptMatcher

    matcher = ConceptMatcher(FORMS[Kind.REFERRAL])
    question = "How many weeks is the pupil likely to be off school?"
    first = matcher.match(question)
    assert first is not None and first.key == "expected_absence_weeks"
    for n in range(2 * CACHE_MAX + 10):
        matcher.match(f"Answer text number {n} of a child's form")
    assert len(matcher._cache) <= CACHE_MAX
    assert matcher.match(question) is first
