"""The exception tree of docgen; every error knows its exit code.

    DocgenError (exit 1)            a user-facing failure with a one-line message
     ├── ConfigError                docgen.toml or a data file is wrong
     ├── ExtractionError            a document cannot be read (carries a ReasonCode)
     ├── IntakeError                the inbox/pipeline cannot proceed (lock held, DB unusable)
     ├── CaseError                  a case operation is refused
     │    └── InvalidTransition     a state change the workflow does not allow
     ├── MailError                  the mailbox or the mail server cannot be used (SPEC §15)
 │    └── MailConnectionError   a network problem worth retrying (refused, dropped, timed out)
 ├── CalendarError              a date outside the term-dates file
     └── RenderError                a template cannot be rendered strictly

A policy breach is never an exception: it is a rules.Finding.
Messages say what happened and what to do, in an admin officer's words.
"""

from __future__ import annotations

from enum import StrEnum


class ReasonCode(StrEnum):
    """Why a file could not be read; the codes of SPEC §9 quarantine reasons."""

    EMPTY = "empty"
    DAMAGED = "damaged"
    PASSWORD_PROTECTED = "password-protected"
    WRONG_TYPE = "wrong-type"
    MACRO_ENABLED = "macro-enabled"
    OLD_FORMAT = "old-format"
    UNSAFE_XML = "unsafe-xml"
    TOO_LARGE = "too-large"
    TIMED_OUT = "timed-out"
    UNSAFE_NAME = "unsafe-name"
    NOT_A_REGULAR_FILE = "not-a-regular-file"
    UNSUPPORTED = "unsupported"


class DocgenError(Exception):
    """Root of docgen's errors: a message for the user and an exit code."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(DocgenError):
    """Settings or a shipped data file cannot be used."""


class ExtractionError(DocgenError):
    """A document cannot be read at all; `code` says why (SPEC §9)."""

    def __init__(self, code: ReasonCode, message: str) -> None:
        super().__init__(message)
        self.code = code


class IntakeError(DocgenError):
    """The intake pipeline cannot run (lock held, database unusable, inbox missing)."""


class CaseError(DocgenError):
    """A case operation is refused (unknown reference, wrong state)."""


class InvalidTransition(CaseError):
    """A state change that the workflow (SPEC §4.2) does not allow."""


class MailError(DocgenError):
    """The mailbox or the mail server cannot be used: login refused, folder missing, send refused."""


class MailConnectionError(MailError):
    """The mail server cannot be reached or dropped the connection; worth retrying with back-off."""


class CalendarError(DocgenError):
    """A date the term-dates file does not cover."""


class RenderError(DocgenError):
    """A letter template cannot be rendered strictly."""
