"""Score docgen on the independent corpus: document kinds, fields, submission outcomes and rules.

A golden field is a literal (exact JSON equality, nulls included) or, for a letter's free text, a matcher:
{"contains": text, "max": n} (the value holds the text, case aside, in at most n characters) or
{"present": true}. `python -m tests.corpus.score DIR` prints the figures for a built corpus.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 3, 2)


def field_ok(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict):
        if expected.get("present"):
            return isinstance(actual, str) and bool(actual.strip())
        if not isinstance(actual, str):
            return False
        return expected["contains"].lower() in actual.lower() and len(actual) <= expected.get("max", 10_000)
    return bool(expected == actual and type(expected) is type(actual))


@dataclass
class Score:
    documents: int = 0
    kinds_right: int = 0
    fields: int = 0
    fields_right: int = 0
    submissions: int = 0
    outcomes_right: int = 0
    must_fire: int = 0
    fired: int = 0
    wrongly_fired: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        return {"kinds": self.kinds_right / max(self.documents, 1),
                "fields": self.fields_right / max(self.fields, 1),
                "outcomes": self.outcomes_right / max(self.submissions, 1),
                "must_fire": self.fired / max(self.must_fire, 1)}

    def report(self) -> str:
        f = self.figures()
        return (f"documents {self.documents}: kinds {f['kinds']:.1%} | fields {self.fields_right}/{self.fields} "
                f"{f['fields']:.1%} | submissions {self.submissions}: outcomes {f['outcomes']:.1%} | must-fire "
                f"{self.fired}/{self.must_fire} {f['must_fire']:.1%} | must-not-fire fired {len(self.wrongly_fired)}")


def score(folder: Path) -> Score:
    from docgen.calendar import SchoolCalendar
    from docgen.config import DEFAULT_TERM_DATES
    from docgen.read.extract import extract
    from docgen.rules.check import check_submission

    result = Score()
    extractions: dict[str, Any] = {}
    for golden_file in sorted(folder.glob("*.golden.json")):
        name = golden_file.name[: -len(".golden.json")]
        golden = json.loads(golden_file.read_text(encoding="utf-8"))
        got = extract(folder / name)
        extractions[name] = got
        result.documents += 1
        if got.kind.value == golden["kind"]:
            result.kinds_right += 1
        else:
            result.misses.append(f"{name}: kind {got.kind.value}, expected {golden['kind']}")
        for key, expected in golden["fields"].items():
            result.fields += 1
            actual = got.fields.get(key)
            if field_ok(expected, actual):
                result.fields_right += 1
            else:
                result.misses.append(f"{name}: {key} = {actual!r}, expected {expected!r}")
    calendar = SchoolCalendar.load(DEFAULT_TERM_DATES)
    for sub in json.loads((folder / "submissions.json").read_text(encoding="utf-8")):
        checked = check_submission([extractions[d] for d in sub["documents"]], today=TODAY, calendar=calendar)
        fired = {f.rule for f in checked.findings}
        result.submissions += 1
        if checked.outcome == sub["outcome"]:
            result.outcomes_right += 1
        else:
            result.misses.append(f"submission {sub['name']}: {checked.outcome}, expected {sub['outcome']} "
                                 f"({'; '.join(f'{f.rule}: {f.message[:90]}' for f in checked.findings)})")
        for rule in sub["must_fire"]:
            result.must_fire += 1
            if rule in fired:
                result.fired += 1
            else:
                result.misses.append(f"submission {sub['name']}: {rule} did not fire")
        for rule in sub["must_not_fire"]:
            if rule in fired:
                result.wrongly_fired.append(f"submission {sub['name']}: {rule} fired: "
                                            + next(f.message for f in checked.findings if f.rule == rule))
    return result


if __name__ == "__main__":
    scored = score(Path(sys.argv[1]))
    for line in [*scored.misses, *scored.wrongly_fired]:
        print(line)
    print(scored.report())
