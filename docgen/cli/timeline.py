"""`docgen timeline`: the 12-school-week provision period and its milestones (SPEC §7, §10)."""

from __future__ import annotations

import datetime as dt

import click

from docgen.calendar import SchoolCalendar
from docgen.cli.base import command, print_json, runtime
from docgen.forms.types import parse_date
from docgen.timeline import DEFAULT_WEEKS, EndReason, Timeline, compute


class DateParam(click.ParamType[dt.date]):
    """A UK day-first or ISO date."""

    name = "DATE"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateParam()


@command("timeline")
@click.option("--start", required=True, type=DATE, help="Provision start date (moved to the next school day).")
@click.option("--weeks", type=click.IntRange(min=1, max=52), default=DEFAULT_WEEKS, show_default=True,
              help="Length of the period in school weeks.")
@click.option("--dob", type=DATE, help="Date of birth: provision stops at the statutory school leaving date.")
@click.option("--expected-return", type=DATE,
              help="The day the pupil is expected back in school: provision ends the school day before.")
@click.option("--json", "as_json", is_flag=True, help="Print the timeline as JSON.")
def timeline_command(start: dt.date, weeks: int, dob: dt.date | None, expected_return: dt.date | None,
                     as_json: bool) -> None:
    """Show the school weeks of a provision period, its review and continuation dates and its end."""
    calendar = SchoolCalendar.load(runtime().settings.term_dates)
    result = compute(calendar, start, weeks=weeks, dob=dob, expected_return=expected_return)
    if as_json:
        print_json(result.to_json())
    else:
        click.echo(render_table(result))


def _day(d: dt.date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


_END_WHY = {
    EndReason.WEEKS: "after {weeks} school weeks",
    EndReason.SCHOOL_LEAVING_DATE: "statutory school leaving date",
    EndReason.EXPECTED_RETURN: "expected return to school",
}


def render_table(timeline: Timeline) -> str:
    """A readable table: weeks with their dates, holidays between them, and the milestones."""
    lines = [f"Provision period of {timeline.planned_weeks} school weeks from {_day(timeline.start)}"]
    if timeline.start != timeline.requested_start:
        lines.append(f"  ({_day(timeline.requested_start)} is not a school day; moved to the next one)")
    lines += ["", f"{'Week':>4}  {'From':<16} {'To':<16} Milestones"]
    holidays = list(timeline.holidays)
    for week in timeline.weeks:
        while holidays and holidays[0].start <= week.end:
            h = holidays.pop(0)
            span = _day(h.start) if h.start == h.end else f"{_day(h.start)} – {_day(h.end)}"
            lines.append(f"{'':>4}  {h.name}: {span}")
        notes = []
        if week.number == timeline.review_week:
            notes.append("review meeting this week")
        if week.end == timeline.review_plan_due:
            notes.append("review plan due")
        if week.end == timeline.continuation_due:
            notes.append("continuation request due")
        if week.end == timeline.provision_end:
            notes.append("provision ends")
        lines.append(f"{week.number:>4}  {_day(week.start):<16} {_day(week.end):<16} {', '.join(notes)}".rstrip())
    why = _END_WHY[timeline.end_reason].format(weeks=timeline.planned_weeks)
    lines += [
        "",
        f"Review meeting:          {f'week {timeline.review_week}' if timeline.review_week else '—'}",
        f"Review plan due:         {_day(timeline.review_plan_due) if timeline.review_plan_due else '—'}",
        f"Continuation due:        {_day(timeline.continuation_due) if timeline.continuation_due else '—'}",
        f"Provision ends:          {_day(timeline.provision_end)} ({why})",
    ]
    return "\n".join(lines)
