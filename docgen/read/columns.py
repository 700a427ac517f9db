"""Answers run into their question on a scanned line, parted again at the page's answer column (SPEC §16).

A question that nearly fills its table cell ends a few points before the answer in the next cell; on a
scan the cell's rule is painted out and Tesseract's word boxes leave a gap hardly wider than a space
("Is the young person currently a No"), so the line is read as one run of words. Where several lines of
the page start a run of words at the same x (an answer column: "No", "Yes", "24" under one another), a
word on another line that starts there too, after a gap clearly wider than its line's spaces, starts a new
run.
"""

from __future__ import annotations

from typing import Any

Word = dict[str, Any]
_ALIGN = 2.5  # points: how close a word's left edge must be to the column's
_SHARED = 3  # runs starting at one x that make it a column


def _starts(rows: list[list[list[Word]]]) -> list[float]:
    """The left edges of the page's answer columns: x where `_SHARED` or more lines start a later run."""
    xs = sorted(float(run[0]["x0"]) for row in rows for run in row[1:])
    columns: list[float] = []
    for n, x in enumerate(xs):
        near = [y for y in xs[n:] if y - x <= 2 * _ALIGN]
        if len(near) >= _SHARED and not (columns and x - columns[-1] <= 2 * _ALIGN):
            columns.append(sum(near) / len(near))
    return columns


def split_at_columns(rows: list[list[list[Word]]]) -> list[list[list[Word]]]:
    """Each line's runs of words (see the module's description), split where a word starts an answer column."""
    columns = _starts(rows)
    if not columns:
        return rows
    out: list[list[list[Word]]] = []
    for row in rows:
        runs: list[list[Word]] = []
        for run in row:
            gaps = [float(b["x0"]) - float(a["x1"]) for a, b in zip(run, run[1:], strict=False)]
            current: list[Word] = [run[0]]
            for n, word in enumerate(run[1:]):
                before, gap = run[n], gaps[n]
                spaces = sorted(g for m, g in enumerate(gaps) if m != n)
                space = spaces[len(spaces) // 2] if spaces else 0.0
                height = float(before.get("height") or before.get("size") or 0) \
                    or float(before["bottom"]) - float(before["top"])
                if gap > max(0.35 * height, 1.5 * space) and any(abs(float(word["x0"]) - c) <= _ALIGN
                                                                  for c in columns):
                    runs.append(current)
                    current = []
                current.append(word)
            runs.append(current)
        out.append(runs)
    return out
