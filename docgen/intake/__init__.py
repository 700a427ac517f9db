"""Intake: the watched inbox, the ordered pipeline, isolated parsing, the journal and quarantine.

    sources/       where items come from: the inbox folder (folder.py: events and rescans → "this item is
                   complete"), the mailbox (imap.py, mail_watch.py); each hands Arrivals (arrival.py) on
    watch.py       the daemon loop: polls every source, judges settled cases
    pipeline.py    the ordered steps: fingerprint → duplicate → isolate+parse → ingest → judge → remove
    isolate.py     a reusable pool of child processes with time and memory limits
    journal.py     the exactly-once record, keyed by SHA-256
    quarantine.py  files that cannot be read, each with its reason
    lock.py        one daemon per home
    audit.py       the append-only audit log (no personal data)
    reading.py     what runs inside a worker: reading an item, judging a case
    (unpacking bundles and safe names live in docgen/read/)
"""
