"""The case register (SPEC §4): states, SQLite store, linking, and the coordinator's workflow.

    model.py      State, Action, TRANSITIONS; check() raises InvalidTransition (end reasons: letters.context.EndReason)
    store/        every SQL statement of the register: schema (migrations), cases, filed, history, letters,
                  sendings, corrections, listing
    register.py   Register: settings, connection, today and the injected clock every job works with
    linking.py    which case a document belongs to: reference, UPN, surname + DOB (+ forename)
    ingest.py     link, file in the archive, record (the intake's side)
    judging.py    check a submission, move the state, plan its letters once; resume after a crash
    planning.py   periods of provision: provisional and agreed timelines, provision starting
    decisions.py  the coordinator's decide / schedule / continue_ / end
    service.py    CaseService: the one face holding a Register, handing each call to its job
    outputs.py    letters planned once per trigger, produced after the transaction, archived
    due.py        what is due or overdue (reviews, review plans, continuations, ends)
    archive.py    one folder per case with manifest.json (retention dates, checksums)
"""

from __future__ import annotations
