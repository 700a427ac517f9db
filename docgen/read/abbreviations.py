"""The short forms printed forms write their questions in, spelt out before a label is matched (issue 19).

A school's own form says "Yr grp", "Prev. referral?", "Parent mtg", "1st day absent", "M/F", "PC": the
words of a general table of English form abbreviations, none a particular form's wording. `expand` works on
a label already normalised (lower case, punctuation gone, "/" spaced: schema.normalise_label) or on a
concept's words (concepts.concept_words), so "spec." and "spec" read alike. Only whole words are spelt out,
and only short forms that stand for one thing on a form, never a word cut short ("num": a form field's tooltip is cut
at 60 letters, "…contacting Just One Num"): "no" is a number only as a label's last word
("UPN no."), never the answer "yes / no"; a word repeated by the spelling ("UPN number": "unique pupil number
number") is kept once.
"""

from __future__ import annotations

import re

# phrases first (they hold words the table below would spell out alone), then single words
# each with the plain text one of which a match must hold: most texts hold none, and are not scanned
_PHRASES: tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...] = tuple((n, re.compile(p), r) for n, p, r in (
    (("m f", "m / f"), r"\bm (?:/ )?f$|^m (?:/ )?f\b|\bm / f\b", "gender"),  # "M/F" (a bare "m f" only as the label itself)
    (("estab",), r"\bla (?:/ )?estab\b", "laestab"),
    (("co ord",), r"\bco ord(?:inator)?\b|\bco ordinator\b", "coordinator"),
    (("special educational needs",), r"\bspecial educational needs (?:and disabilit(?:y|ies) )?coordinator\b", "senco"),
    # "UPN no.", "Tel no.": only a label's last word ("yes / no" is an answer)
    (("no",), r"(?<!yes )(?<!yes / )(?<!y / )\bno$", "number"),
))
_WORDS = {
    "yr": "year", "yrs": "years", "grp": "group", "nbr": "number", "tel": "telephone",
    "ph": "phone", "mob": "mobile", "dob": "date of birth", "mtg": "meeting", "spec": "special",
    "prev": "previous", "profs": "professionals", "prof": "professional", "info": "information",
    "approx": "approximately", "estab": "establishment", "pc": "postcode", "1st": "first", "2nd": "second",
    "coord": "coordinator", "mh": "mental health", "addr": "address", "diff": "different", "pref": "preferred",
    "dept": "department", "sch": "school", "yp": "young person", "circs": "circumstances",
    "excep": "exceptional", "sw": "social worker", "wks": "weeks", "hrs": "hours", "hosp": "hospital",
    "med": "medical", "educ": "education", "asst": "assistant", "mgr": "manager", "ks": "key stage",
    "upn": "unique pupil number", "nc": "national curriculum", "cla": "child looked after",
    "ap": "alternative provision", "ihcp": "individual healthcare plan", "ihp": "individual healthcare plan", "avail": "available", "sig": "signature", "cont": "continued",
}
_WORD = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(_WORDS, key=len, reverse=True)) + r")\b")
_REPEATED = re.compile(r"\b(\w+)( \1\b)+")


def expand(text: str) -> str:
    """`text` (normalised, lower case) with its short forms spelt out; the same text when it holds none."""
    out = text
    for needles, pattern, replacement in _PHRASES:
        if any(n in out for n in needles):
            out = pattern.sub(replacement, out)
    out = _WORD.sub(lambda m: _WORDS[m.group(1)], out)
    return _REPEATED.sub(r"\1", out) if out != text else text
