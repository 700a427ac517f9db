"""The coordinator's commands (SPEC §10): cases, case, decide, schedule, continue, end, due, demo."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from docgen import db
from docgen.cases import store
from docgen.cases.attach import unmatched_count
from docgen.cases.due import due
from docgen.cases.model import State, parse_reference
from docgen.cases.service import CaseService
from docgen.cases.termdates import readiness
from docgen.cases.views import case_details, register_json
from docgen.cli import actor as actor_mod
from docgen.cli.base import command, print_json, runtime
from docgen.errors import CaseError
from docgen.forms.types import parse_date
from docgen.home import mark as mark_home
from docgen.letters.context import EndReason


@contextmanager
def _service() -> Iterator[CaseService]:
    rt = runtime()
    if not rt.settings.database.exists():
        raise CaseError(f"{rt.settings.home} has no case register yet; check --home, or process the inbox "
                        "first (`docgen process`, or `docgen demo` to try it out)")
    conn = db.connect(rt.settings.database, create=False)
    try:
        service = CaseService(rt.settings, conn, today=rt.today)
        service.start_due_provisions()
        yield service
    finally:
        conn.close()


def _date(value: str, option: str) -> dt.date:
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


def _show_paths(paths: list[Path], home: Path) -> None:
    for path in paths:
        try:
            shown = path.relative_to(home)
        except ValueError:
            shown = path
        click.echo(f"  wrote {shown}")


@command("cases")
@click.option("--state", type=click.Choice([s.value for s in State]), help="Only cases in this state.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def cases_command(state: str | None, as_json: bool) -> None:
    """List the case register, with what is due next on each case."""
    today = runtime().today
    if not runtime().settings.database.exists():
        if as_json:
            print_json([])
        else:
            click.echo("No cases yet. Save submissions into inbox/ and run `docgen process` (or try `docgen demo`).")
        return
    with _service() as service:
        listed = register_json(service.conn, today, state)
        unmatched = store.documents(service.conn, None)
    if as_json:
        print_json(listed)
        return
    if state and not listed:
        click.echo(f"No cases are {state}.")
        return
    if not listed and not unmatched:
        click.echo("No cases yet. Save submissions into inbox/ and run `docgen process` (or try `docgen demo`).")
        return
    _table(listed)
    if unmatched:
        click.echo(f"\n{len(unmatched)} document(s) not linked to any case (review; archived in archive/unmatched/); "
                   "attach one with `docgen attach SHA256 REF`, or open a case from it with `docgen open SHA256`:")
        for doc in unmatched:
            click.echo(f"  {doc['sha256'][:12]}  {doc['display_name']}  ({doc['kind']}, "
                       f"received {doc['received_at'][:16]})")


_PROGRESS = {"waiting": "waiting (documents not checked yet)",
             "judging": "judging (check report not written yet)"}


def _state(entry: dict[str, Any]) -> str:
    """The state to show: while documents wait to be checked or the check report is unwritten, say so."""
    return _PROGRESS.get(entry.get("progress") or "", str(entry["state"]))


def _table(listed: list[dict[str, Any]]) -> None:
    """The register as a table that fits the terminal (long names wrap within their column)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, header_style="bold", show_edge=False)
    table.add_column("Case", no_wrap=True)
    table.add_column("State", no_wrap=True)
    table.add_column("Pupil", overflow="fold", ratio=2)
    table.add_column("School", overflow="fold", ratio=2)
    table.add_column("Next due", overflow="fold", ratio=3)
    for entry in listed:
        nxt = entry["next_due"]
        cells = (entry["case"], _state(entry), entry["pupil_name"] or "(name not read)", entry["school_name"] or "",
                 _next(nxt) if nxt else "")
        table.add_row(*(Text(cell) for cell in cells))  # values are text: '[b]' in a name is not markup
    Console(highlight=False, markup=False, emoji=False, soft_wrap=False).print(table)


@command("case")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def case_command(ref: str, as_json: bool) -> None:
    """Show one case: documents, findings, decisions, letters, timeline and history."""
    with _service() as service:
        data = case_details(service, parse_reference(ref))
        # where each came from (the inbox folder, the mailbox's IMAP URL): the text view only, the JSON is SPEC §10's
        origins = {d["sha256"]: d["origin"] for d in store.documents(service.conn, data["case"])}
    if as_json:
        print_json(data)
        return
    echo = click.echo
    echo(f"{data['case']} — {data['pupil_name'] or '(name not read)'}, {data['school_name'] or 'school not given'}")
    echo(f"State: {_state(data)}")
    if data["next_due"]:
        echo(f"Next: {_next(data['next_due'])}")
    echo("\nDocuments:")
    for d in data["documents"]:
        flag = f"  ⚠ {d['flag']}" if d["flag"] else ""
        echo(f"  {d['file']}  [{d['kind']}]  sha256 {d['sha256'][:16]}…{flag}")
        if origins.get(d["sha256"]):
            echo(f"    from {origins[d['sha256']]}")
    for d in data["duplicates"]:
        echo(f"  {d['file']}  (duplicate of an earlier copy, not processed again)")
    echo("\nFindings (latest check):" if data["findings"] else "\nFindings: none")
    for f in data["findings"]:
        echo(f"  {f['rule']} (§{str(f['section']).lstrip('§')}, {f['severity']}): {f['message']}")
    if data["decisions"]:
        echo("\nDecisions:")
        for d in data["decisions"]:
            echo(f"  {d['on']} {d['action']} by {d['who']}: {d['reason']}")
    echo("\nLetters:" if data["letters"] else "\nLetters: none yet")
    for letter in data["letters"]:
        pending = "" if letter["status"] == "done" else "  (not yet written)"
        echo(f"  {letter['path']}  [{letter['document']}]{pending}")
    timeline = data["timeline"]
    if timeline:
        label = "provisional, until the provision start is scheduled" if timeline.get("provisional") else "current"
        echo(f"\nTimeline ({label}): {timeline['start']} to {timeline['provision_end']}, "
             f"{len(timeline['weeks'])} school weeks")
        echo(f"  review meeting week {_or_none(timeline['review_week'])}; "
             f"review plan due {_or_none(timeline['review_plan_due'])}; {_continuation(timeline)}")
    echo("\nHistory:")
    for h in data["history"]:
        by = f" (by {h['by']})" if h.get("by") else ""
        echo(f"  {h['at'][:16]}  {h['from'] or '—'} → {h['to']}: {h['cause']}{by}")


def _relative(paths: list[Path]) -> list[str]:
    home = runtime().settings.home
    return [str(p.relative_to(home)) if p.is_relative_to(home) else str(p) for p in paths]


def _done(service: CaseService, ref: str, action: str, actor: str, paths: list[Path],
          extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a decision did, for --json and the audit log."""
    actor_mod.record(service.settings, "decided", case=ref, actor=actor, action=action)
    return {"case": ref, "action": action, "by": actor, "state": store.get_case(service.conn, ref).state.value,
            **(extra or {}), "letters": _relative(paths)}


@command("decide")
@click.argument("ref")
@click.argument("decision", type=click.Choice(["accept", "not-accept", "request-info"]))
@click.option("--reason", required=True,
              help="Why (kept on the case; the not-accepted and request-for-information letters quote it).")
@actor_mod.by_option
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
def decide_command(ref: str, decision: str, reason: str, by: str | None, as_json: bool) -> None:
    """Decide a review case: accept, not-accept or request-info."""
    ref = parse_reference(ref)
    actor = actor_mod.resolve(by)
    with _service() as service:
        paths = service.decide(ref, decision, reason=reason, actor=actor)
        result = _done(service, ref, decision, actor, paths, {"reason": reason.strip()})
    if as_json:
        print_json(result)
        return
    click.echo(f"{ref} is now {result['state']} (decided by {actor}).")
    _show_paths(paths, runtime().settings.home)


@command("schedule")
@click.argument("ref")
@click.option("--meeting", required=True, metavar="DATE", help="Date of the initial planning meeting.")
@click.option("--start", required=True, metavar="DATE", help="Date the provision starts.")
@click.option("--expected-return", "expected_return", metavar="DATE",
              help="The day the pupil is expected back in school: the period ends the school day before, if that "
                   "is sooner than 12 school weeks (§11.4). Default: from the referral's expected absence.")
@actor_mod.by_option
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
def schedule_command(ref: str, meeting: str, start: str, expected_return: str | None, by: str | None,
                     as_json: bool) -> None:
    """Record the planning meeting and provision start: timeline and planning record.

    The same meeting and start again is refused (nothing changes); different dates say what changed.
    """
    ref = parse_reference(ref)
    actor = actor_mod.resolve(by)
    when = {"meeting": _date(meeting, "--meeting"), "start": _date(start, "--start")}
    back = _date(expected_return, "--expected-return") if expected_return else None
    with _service() as service:
        before = service.last_schedule(ref)
        paths = service.schedule(ref, meeting=when["meeting"], start=when["start"], actor=actor,
                                 expected_return=back)
        timeline = store.latest_timeline(service.conn, ref)
        data = json.loads(timeline["data_json"]) if timeline is not None else None
        changed = {k: {"from": before[k], "to": v.isoformat()} for k, v in when.items()
                   if before is not None and before[k] != v.isoformat()}
        result = _done(service, ref, "schedule", actor, paths,
                       {"meeting": when["meeting"].isoformat(), "start": when["start"].isoformat(),
                        "changed": changed or None,
                        "provision_end": data["provision_end"] if data else None})
    if as_json:
        print_json(result)
        return
    click.echo(f"{ref} is now {result['state']} (scheduled by {actor}).")
    for key, change in changed.items():
        label = "planning meeting" if key == "meeting" else "provision start"
        click.echo(f"  changed: {label} {change['from']} → {change['to']}; the new timeline replaces the old one")
    if data is not None:
        click.echo(f"  provision {data['start']} to {data['provision_end']}; "
                   f"review plan due {_or_none(data['review_plan_due'])}; {_continuation(data)}")
    _show_paths(paths, runtime().settings.home)


@command("continue")
@click.argument("ref")
@click.argument("answer", type=click.Choice(["agree", "decline"]))
@actor_mod.by_option
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
def continue_command(ref: str, answer: str, by: str | None, as_json: bool) -> None:
    """Decide a continuation request: agree (a new 12-week period) or decline."""
    ref = parse_reference(ref)
    actor = actor_mod.resolve(by)
    with _service() as service:
        paths = service.continue_(ref, answer, actor=actor)
        timeline = store.latest_timeline(service.conn, ref)
        data = json.loads(timeline["data_json"]) if timeline is not None else None
        result = _done(service, ref, answer, actor, paths,
                       {"period_start": data["start"] if data else None,
                        "provision_end": data["provision_end"] if data else None})
    if as_json:
        print_json(result)
        return
    if answer == "agree" and data is not None:
        click.echo(f"{ref}: continuation agreed by {actor}; new period {data['start']} to {data['provision_end']}.")
    else:
        end = data["provision_end"] if data is not None else "the end of the current period"
        click.echo(f"{ref}: continuation declined by {actor}; provision runs to {end}. "
                   f"Issue the End of Provision letter with `docgen end {ref} --reason no_health_evidence --date {end}`.")
    _show_paths(paths, runtime().settings.home)


@command("end")
@click.argument("ref")
@click.option("--reason", "reason", required=True, type=click.Choice([r.value for r in EndReason]),
              help="One of the six reasons of policy §11.8.")
@click.option("--date", "on", required=True, metavar="DATE", help="The date provision ends.")
@actor_mod.by_option
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
def end_command(ref: str, reason: str, on: str, by: str | None, as_json: bool) -> None:
    """End of Provision (§11.8): record the reason and write the End of Provision letter."""
    ref = parse_reference(ref)
    actor = actor_mod.resolve(by)
    end_date = _date(on, "--date")
    with _service() as service:
        paths = service.end(ref, reason=reason, on=end_date, actor=actor)
        result = _done(service, ref, "end", actor, paths, {"reason": reason, "end_date": end_date.isoformat()})
    if as_json:
        print_json(result)
        return
    click.echo(f"{ref} is now ended ({reason}; by {actor}).")
    _show_paths(paths, runtime().settings.home)


@command("due")
@click.option("--within", default=14, show_default=True, type=click.IntRange(min=0), metavar="DAYS",
              help="Show what falls due within this many days (overdue items always show).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def due_command(within: int, as_json: bool) -> None:
    """Reviews, review plans, continuations and ends coming up or overdue."""
    today = runtime().today
    waiting_unmatched = 0
    if not runtime().settings.database.exists():
        items = []
        warnings = readiness(runtime().settings, today, None)
    else:
        with _service() as service:
            items = due(service.conn, today=today, within=within)
            waiting_unmatched = unmatched_count(service.conn)
            warnings = readiness(runtime().settings, today, service.conn)
    if as_json:
        print_json([d.to_json(today) for d in items])
        return
    for warning in warnings:
        click.echo(f"NOTE: {warning}")
    if waiting_unmatched:
        click.echo(f"{waiting_unmatched} document(s) linked to no case wait for a person: `docgen cases` lists "
                   "them; `docgen attach SHA256 REF` or `docgen open SHA256`")
    if not items:
        click.echo(f"Nothing due in the next {within} days.")
        return
    for d in items:
        if not d.deadline:
            click.echo(f"{'to arrange':<10}  {d.case}  {d.what}, accepted {d.date}")
        else:
            mark = "OVERDUE " if d.overdue(today) else ""
            click.echo(f"{d.date}  {d.case}  {mark}{d.what}")
        if d.command:
            click.echo(f"            → {d.command}")


@command("demo")
@click.option("--fresh", is_flag=True, help="Start again: empty the home's inbox, outbox, archive and register.")
def demo_command(fresh: bool) -> None:
    """A newcomer's first run: sample submissions into a fresh inbox, processed, and where to look."""
    from docgen.samples.demo import run_demo

    rt = runtime()
    run_demo(rt.settings, today=rt.today, fresh=fresh, echo=click.echo)
    mark_home(rt.settings.home, by="docgen demo")  # the demo sets up its own home (as `docgen init` would)


def _next(item: dict[str, Any]) -> str:
    """What is next on a case and by when; something the policy sets no date for (§11.3) has none."""
    if "no deadline" in str(item["what"]):
        return f"{item['what']}, since {item['date']}"
    return f"{item['what']} by {item['date']}"


def _or_none(value: object) -> str:
    """A timeline milestone for the terminal: 'none' where the period ends first."""
    return "none (the provision ends first)" if value is None else str(value)


def _continuation(timeline: dict[str, object]) -> str:
    """The continuation deadline, or why there is none (SPEC §7: only a full period has one)."""
    if timeline.get("continuation_due"):
        return f"continuation due {timeline['continuation_due']}"
    reason = {"school_leaving_date": "ends at the statutory school leaving date",
              "expected_return": "ends on the expected return to school"}.get(str(timeline.get("end_reason")), "")
    return f"no continuation ({reason})" if reason else "no continuation"
