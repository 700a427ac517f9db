"""Unique Pupil Number check letter (DfE "Unique Pupil Numbers (UPN)" guidance, Annex).

A UPN is 13 characters: a check letter, the LA number (3 digits), the establishment number
(4), the year of allocation (2) and a serial (3). A temporary UPN ends in a letter instead of
its last serial digit. The check letter is the sum of characters 2–13 weighted 2…13, modulo 23,
read from the table below; a letter in position 13 counts as its index in the same table.
"""

from __future__ import annotations

import re

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S


def check_letter(body: str) -> str:
    """The check letter for the 12 characters after it."""
    if not re.fullmatch(r"\d{11}[0-9A-Z]", body):
        raise ValueError("a UPN body is 11 digits and a digit or letter")
    total = 0
    for weight, char in enumerate(body, start=2):
        total += weight * (int(char) if char.isdigit() else CHECK_LETTERS.index(char) if char in CHECK_LETTERS else 99)
    return CHECK_LETTERS[total % 23]


def is_temporary(upn: str) -> bool:
    """A temporary UPN ends in a letter."""
    return len(upn) == 13 and upn[-1].isalpha()


def upn_problem(upn: str) -> str | None:
    """Why a (normalised) UPN is not a valid permanent UPN, or None when it is."""
    if not re.fullmatch(r"[A-Z]\d{11}[0-9A-Z]", upn):
        return "a UPN is a letter followed by 12 digits"
    if upn[-1] in "IOS":
        return "a UPN cannot end in I, O or S"
    if check_letter(upn[1:]) != upn[0]:
        return f"the check letter should be {check_letter(upn[1:])}, not {upn[0]}"
    if is_temporary(upn):
        return "this is a temporary UPN; ask the school for the pupil's permanent UPN"
    return None
