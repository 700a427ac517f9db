"""Mail-merge speed (SPEC §12): `docgen merge` against a plain docxtpl loop, in the same run.

    .venv/bin/python benchmarks/bench_merge.py [--rows 1000] [--template PATH]

Both sides render the same letter template over the same rows and write one .docx per row.
The plain loop is what a script would do: `DocxTemplate(path).render(context); save()` per letter
(with autoescape, so values such as `&` give a valid document, as merge's do).
Target: merge at least 3x faster. Prints both times, the ratio and os.cpu_count().
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate

from docgen.cli.merge import letterhead
from docgen.config import PACKAGE_DATA, load_settings
from docgen.letters.merge import merge
from docgen.letters.render import CompiledTemplate

DEFAULT_TEMPLATE = PACKAGE_DATA / "letters" / "end-of-provision-letter.docx"


def _nested(flat: dict[str, str], base: dict[str, Any]) -> dict[str, Any]:
    context: dict[str, Any] = {k: dict(v) if isinstance(v, dict) else v for k, v in base.items()}
    for key, value in flat.items():
        target = context
        *parents, last = key.split(".")
        for step in parents:
            target = target.setdefault(step, {})
        target[last] = value
    return context


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE)
    parser.add_argument("--combined", action="store_true", help="also time the combined document of all letters")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="docgen-bench-merge-") as tmp_name:
        tmp = Path(tmp_name)
        base = letterhead(load_settings(tmp), dt.date(2026, 3, 2))
        variables = sorted(CompiledTemplate.load(args.template).variables())
        columns = [v for v in variables if not _in_base(base, v)]
        rows = [{c: f"{c.split('.')[-1].replace('_', ' ')} {i} & <co>" for c in columns} for i in range(args.rows)]
        data = tmp / "rows.csv"
        with data.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)

        started = time.perf_counter()
        result = merge(args.template, data, tmp / "merge", base=base)
        merge_seconds = time.perf_counter() - started
        assert len(result.letters) == args.rows and not result.skipped
        combined_seconds = None
        if args.combined:
            started = time.perf_counter()
            merge(args.template, data, tmp / "merge-combined", base=base, combined=tmp / "all.docx")
            combined_seconds = time.perf_counter() - started

        plain_dir = tmp / "plain"
        plain_dir.mkdir()
        started = time.perf_counter()
        for i, row in enumerate(rows):
            template = DocxTemplate(args.template)
            template.render(_nested(row, base), autoescape=True)  # values are text
            template.save(plain_dir / f"row-{i + 2:04d}.docx")
        plain_seconds = time.perf_counter() - started

    print(f"template: {args.template.name}; letters: {args.rows}; os.cpu_count(): {os.cpu_count()}")
    print(f"docgen merge:       {merge_seconds:8.2f} s  ({merge_seconds / args.rows * 1000:6.1f} ms/letter)")
    print(f"plain docxtpl loop: {plain_seconds:8.2f} s  ({plain_seconds / args.rows * 1000:6.1f} ms/letter)")
    if combined_seconds is not None:
        print(f"merge + combined:   {combined_seconds:8.2f} s  (one .docx of {args.rows} letters)")
    ratio = plain_seconds / merge_seconds
    print(f"ratio: {ratio:.1f}x faster (target >= 3x) -> {'PASS' if ratio >= 3 else 'FAIL'}")


def _in_base(base: dict[str, Any], path: str) -> bool:
    value: Any = base
    for step in path.split("."):
        if not isinstance(value, dict) or step not in value:
            return False
        value = value[step]
    return True


if __name__ == "__main__":
    main()
