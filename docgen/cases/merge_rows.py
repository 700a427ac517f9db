"""Mail-merge rows from the case register (SPEC §8 `docgen merge --cases/--due-within`, the desk's merge)."""

from __future__ import annotations

import datetime as dt
import json

from docgen.config import Settings
from docgen.letters.merge import Row
from docgen.letters.words import field_value, long_date

_TIMELINE_KEYS = ("start", "provision_end", "review_plan_due", "continuation_due")


def register_rows(settings: Settings, today: dt.date, *, state: str | None,
                  due_within: int | None) -> tuple[list[str], list[Row]]:
    """One row per case of the register (in `state`; with something due within `due_within` days).

    Columns: `case_ref`, `state`, every form field key of the case (dates in full), `pupil.name`,
    `school.name`, `timeline.start|provision_end|review_plan_due|continuation_due` and `due.what`/`due.date`.
    """
    from docgen import db
    from docgen.cases import store
    from docgen.cases.due import due, next_due
    from docgen.cases.outputs import case_fields

    if not settings.database.exists():
        return [], []
    conn = db.connect(settings.database, create=False)
    try:
        store.migrate(conn)
        cases = store.list_cases(conn, state)
        if due_within is not None:
            soon = {d.case for d in due(conn, today=today, within=due_within)}
            cases = [c for c in cases if c.ref in soon]
        rows: list[Row] = []
        for number, case in enumerate(cases, start=1):
            values = {key: field_value(key, v) for key, v in case_fields(conn, case.ref).items() if v is not None}
            values.update({"case_ref": case.ref, "state": case.state.value, "pupil.name": case.pupil_name,
                           "school.name": case.school_name or ""})
            timeline = store.latest_timeline(conn, case.ref)
            if timeline is not None:
                data = json.loads(timeline["data_json"])
                values.update({f"timeline.{k}": long_date(data.get(k), missing="") for k in _TIMELINE_KEYS})
            item = next_due(conn, case, today)
            if item is not None:
                values.update({"due.what": item.phrase, "due.when": item.when, "due.date": long_date(item.date)})
            rows.append(Row(number, values, label=f"case {case.ref}"))
    finally:
        conn.close()
    header = sorted({key for row in rows for key in row.values})
    return header, rows
