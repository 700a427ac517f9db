"""The case register (SPEC §4): states, SQLite store, linking, and the coordinator's workflow.

    model.py    State, Action, TRANSITIONS; check() raises InvalidTransition (end reasons: letters.context.EndReason)
    store.py    SQLite tables and migrations (component "cases")
    linking.py  which case a document belongs to: reference, UPN, surname + DOB (+ forename)
    service.py  CaseService: ingest / judge for intake; decide / schedule / continue_ / end for the CLI
    outputs.py  letters planned once per trigger, produced after the transaction, archived
    due.py      what is due or overdue (reviews, review plans, continuations, ends)
    archive.py  one folder per case with manifest.json (retention dates, checksums)
"""

from __future__ import annotations
