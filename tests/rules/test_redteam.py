"""Red-team submissions judged the way the acceptance judge does: outcome, must-fire, must-not-fire.

The documents are written by independent generators (tests/rules/_redteam_*.py, not docgen.samples.builder):
referrals as label/value tables with aliases, typed "Label: value" paragraphs, printed to PDF through
LibreOffice; letters by different professionals in their own words; JMP forms; session lists and
herringbone grids. Each case's reasoning is in its `why`. Every rule not expected must not fire.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.calendar import SchoolCalendar
from docgen.config import DEFAULT_TERM_DATES
from docgen.rules import RULES
from docgen.rules.check import check_submission, read_submission
from tests.rules._redteam_cases import RedCase, build_all, cases, judge

CASES = cases()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("redteam"), CASES)


@pytest.fixture(scope="module")
def calendar() -> SchoolCalendar:
    return SchoolCalendar.load(DEFAULT_TERM_DATES)


def test_corpus_is_broad() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    expected = {r for c in CASES for r in c.must}
    assert {"R-EVID-SEEN", "R-EVID-SEND-ONLY", "R-ELIG-AGE-UPPER", "R-CONT-LATE", "R-CONT-DOCS"} <= expected


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES])
def test_redteam_submission(case: RedCase, corpus: dict[str, Path], calendar: SchoolCalendar) -> None:
    result = check_submission(read_submission([corpus[case.name]]), today=case.today, calendar=calendar).to_json()
    verdict = judge(case, result, frozenset(RULES))
    summary = [(f["rule"], f["message"]) for f in result["findings"]]
    assert verdict["wrongly_fired"] == [], (case.why, summary)
    assert verdict["missed"] == [], (case.why, summary)
    assert verdict["outcome_ok"], (case.outcome, result["outcome"], result["kind"], case.why, summary)
    assert verdict["bad_messages"] == [], summary
