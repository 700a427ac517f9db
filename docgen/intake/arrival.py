"""An arrival: one item a source hands to the pipeline, and where it came from (its origin).

The folder source names an inbox entry `inbox:<name>`; the mailbox names a message by its IMAP URL
(RFC 5092, `imap.origin`). The pipeline keeps the origin beside each document it files (the
`documents.origin` column), so a document can always be traced to its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docgen.read.names import readable

INBOX_SCHEME = "inbox:"


@dataclass(frozen=True)
class Arrival:
    """A complete item ready for `Pipeline.take`: the file (or folder) and its origin."""

    path: Path
    origin: str


def inbox_origin(name: str) -> str:
    """The origin of an entry of the inbox folder, by its name there."""
    return f"{INBOX_SCHEME}{readable(name)}"  # bytes that are not UTF-8 never reach the database


def arrival_of(item: Path | Arrival) -> Arrival:
    """An item as an arrival: a bare path is an inbox entry, named by its file name."""
    return item if isinstance(item, Arrival) else Arrival(item, inbox_origin(item.name))
