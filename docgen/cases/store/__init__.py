"""The case register in SQLite: every query the cases package runs (no SQL lives outside `store/`).

`schema` (migrations, timestamps), `cases` (the cases and their state history), `filed` (the filed
originals, duplicates, archive moves, docgen's own output), `history` (judgements, decisions,
timelines), `letters` (planned once per trigger), `sendings` (letters emailed),
`corrections` (values keyed in by a person), `listing` (the desk's counts, search and pages). Callers hold the transaction
(docgen.db.transaction); nothing here commits. The common names are re-exported here.
"""

from docgen.cases.store import cases, corrections, filed, history, letters, sendings
from docgen.cases.store.cases import CaseRow, get_case, list_cases, move, new_case, set_identity
from docgen.cases.store.filed import documents
from docgen.cases.store.history import last_judgement, latest_timeline
from docgen.cases.store.letters import add_letter, path_taken
from docgen.cases.store.schema import MIGRATIONS, migrate, now_text

__all__ = ["MIGRATIONS", "CaseRow", "add_letter", "cases", "corrections", "documents", "filed", "get_case", "history",
           "last_judgement", "latest_timeline", "letters", "list_cases", "migrate", "move", "new_case",
           "now_text", "path_taken", "sendings", "set_identity"]
