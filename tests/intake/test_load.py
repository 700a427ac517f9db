"""Exactly once under load and kills (issue 15): evidence before its referral is filed once, in its case."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import fault_load

from .conftest import TODAY, Run, archived_hashes, env_for, letters, sha


def _child_files(folder: Path, seed: int) -> tuple[Path, Path, Path]:
    import datetime as dt

    from docgen.samples.builder import (
        jmp_health_values,
        make_pupil,
        referral_values,
        write_form_docx,
        write_form_pdf,
    )
    from docgen.samples.evidence import write_attendance_csv

    today = dt.date.fromisoformat(TODAY)
    folder.mkdir(parents=True, exist_ok=True)
    pupil = make_pupil(seed, today=today)
    referral = write_form_pdf(folder / "referral.pdf", "referral", referral_values(pupil, today=today))
    health = write_form_docx(folder / "health.docx", "jmp_health", jmp_health_values(pupil, today=today))
    attendance = write_attendance_csv(folder / "attendance.csv", pupil, start=today - dt.timedelta(days=60),
                                      sessions=60)
    return referral, health, attendance


def test_evidence_before_its_referral_is_moved_into_the_case_once_even_when_killed_mid_relink(
        ihome: Path, run: Run, tmp_path: Path) -> None:
    referral, health, attendance = _child_files(tmp_path / "stage", 41)
    inbox = ihome / "inbox"
    expected = {sha(referral), sha(health), sha(attendance)}
    health.rename(inbox / health.name)
    attendance.rename(inbox / attendance.name)
    first = json.loads(run("process", "--json").stdout)
    assert [p["case"] for p in first["processed"]] == [None, None]  # waiting for their referral
    referral.rename(inbox / referral.name)
    crashed = run("process", env=env_for(ihome, DOCGEN_CRASH_AT="relinked"))
    assert crashed.returncode == 137, crashed.stderr
    finished = run("process", "--json")
    assert finished.returncode == 0, finished.stderr
    archived = archived_hashes(ihome)
    assert sorted(archived) == sorted(set(archived)) and len(archived) == 3  # each original filed once
    unmatched = ihome / "archive" / "unmatched"
    assert [p.name for p in unmatched.iterdir()] == ["manifest.json"]
    assert json.loads((unmatched / "manifest.json").read_text())["files"] == []
    outcome = [p for p in letters(ihome) if any(d in p for d in fault_load.OUTCOME_LETTERS)]
    assert len(outcome) == 1, letters(ihome)
    verify = run("archive", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    case = outcome[0].split("/")[0]
    assert {sha(p) for p in (ihome / "archive" / case).iterdir() if p.name != "manifest.json"} >= expected


def test_sixty_children_in_six_batches_with_three_kills_each_filed_once_one_letter_drained(tmp_path: Path) -> None:
    figures = fault_load.run(tmp_path, children_count=60, batches=6, kills=3, crash_at="relinked",
                             stable=0.3, settle=2.0, drain_limit=60.0, gap=1.0)
    assert figures["archived_twice"] == 0, figures
    assert figures["not_archived"] == 0, figures
    assert figures["copies_in_unmatched"] == 0, figures
    assert figures["split_children"] == 0, figures
    assert figures["cases"] == 60, figures
    assert figures["cases_with_several_outcome_letters"] == 0, figures
    assert figures["cases_with_no_outcome_letter"] == 0, figures
    assert figures["drain_seconds"] is not None, figures
    assert figures["left_in_inbox"] == 0 and figures["watch_exit"] == 0, figures
    assert figures["kills"] == 3
