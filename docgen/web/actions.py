"""The desk's actions (POST): correct a field, the coordinator's decisions, retry, sort a document.

Each calls the same domain function as its command (`docgen decide`, `schedule`, `continue`, `end`,
`retry`, `attach`, `open`) with the signed-in user as the person who did it, then redirects to the
page that shows the result (post/redirect/get). A refused action re-shows the page with the reason
and its status code; nothing changes.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse

from starlette.responses import Response

from docgen.accounts import Role
from docgen.cases import attach as sorting
from docgen.cases import store
from docgen.cases.corrections import correct_field
from docgen.cases.model import parse_reference
from docgen.cases.service import CaseService
from docgen.errors import DocgenError, InvalidTransition
from docgen.forms.types import parse_date
from docgen.intake.retry import retry
from docgen.web.framework import Ctx, DeskError, not_found, route
from docgen.web.pages import render_case


def _date(ctx: Ctx, name: str, label: str) -> dt.date:
    raw = ctx.field(name).strip()
    if not raw:
        raise DeskError(f"Enter the {label}, for example 19/01/2026.")
    try:
        return parse_date(raw)
    except ValueError:
        raise DeskError(f"The {label} {raw!r} is not a date; write it like 19/01/2026.") from None


def _on_case(ctx: Ctx, action: str, run: object) -> Response:
    """Run a case action; on a refusal show the case page with the reason (400 or 409)."""
    ref = ctx.ref()
    values = {k: ctx.field(k) for k in ("decision", "reason", "meeting", "start", "date", "key", "value", "note",
                                        "document")}
    try:
        with ctx.desk.service() as service:
            assert callable(run)
            run(service, ref)
    except DeskError as exc:
        return render_case(ctx, ref, error=exc.message, status=exc.status, values=values)
    except InvalidTransition as exc:
        return render_case(ctx, ref, error=f"{exc.message}. Nothing was changed.", status=409, values=values)
    except DocgenError as exc:
        return render_case(ctx, ref, error=exc.message, status=400, values=values)
    ctx.record(action, case=ref)
    return ctx.redirect(f"/cases/{ref}?done={urllib.parse.quote(_DONE[action])}")


_DONE = {"corrected": "corrected", "decided": "decided", "scheduled": "scheduled", "continued": "continued",
         "ended": "ended", "attached": "attached"}


@route()
def correct(ctx: Ctx) -> Response:
    """Correct or key in one field of one document; the case is checked again."""
    def run(service: CaseService, ref: str) -> None:
        document, key = ctx.field("document").strip().lower(), ctx.field("key").strip()
        if not document or not key:
            raise DeskError("Choose the document and the field to correct.")
        correct_field(service, ref, document, key, ctx.field("value"), note=ctx.field("note")[:500],
                      actor=ctx.user.name)
    response = _on_case(ctx, "corrected", run)
    if response.status_code == 303:
        ctx.record("field_corrected", key=ctx.field("key").strip()[:64])
    return response


@route(role=Role.COORDINATOR)
def decide(ctx: Ctx) -> Response:
    """Accept, not-accept or request-info, with a reason (`docgen decide`)."""
    def run(service: CaseService, ref: str) -> None:
        decision = ctx.field("decision")
        if decision not in {"accept", "not-accept", "request-info"}:
            raise DeskError("Choose a decision: accept, not accept or request information.")
        if not ctx.field("reason").strip():
            raise DeskError("Enter the reason for the decision; it is kept on the case.")
        service.decide(ref, decision, reason=ctx.field("reason")[:2000], actor=ctx.user.name)
    return _on_case(ctx, "decided", run)


@route(role=Role.COORDINATOR)
def schedule(ctx: Ctx) -> Response:
    """The planning meeting and the provision start (`docgen schedule`)."""
    def run(service: CaseService, ref: str) -> None:
        meeting = _date(ctx, "meeting", "planning meeting date")
        start = _date(ctx, "start", "provision start date")
        service.schedule(ref, meeting=meeting, start=start, actor=ctx.user.name)
    return _on_case(ctx, "scheduled", run)


@route(role=Role.COORDINATOR)
def continue_(ctx: Ctx) -> Response:
    """Agree or decline a continuation request (`docgen continue`)."""
    def run(service: CaseService, ref: str) -> None:
        answer = ctx.field("decision")
        if answer not in {"agree", "decline"}:
            raise DeskError("Choose agree or decline.")
        service.continue_(ref, answer, actor=ctx.user.name)
    return _on_case(ctx, "continued", run)


@route(role=Role.COORDINATOR)
def end(ctx: Ctx) -> Response:
    """End of Provision for one of the six reasons of §11.8 (`docgen end`)."""
    def run(service: CaseService, ref: str) -> None:
        if not ctx.field("reason"):
            raise DeskError("Choose the reason provision ends.")
        on = _date(ctx, "date", "end date")
        service.end(ref, reason=ctx.field("reason"), on=on, actor=ctx.user.name)
    return _on_case(ctx, "ended", run)


@route()
def retry_quarantined(ctx: Ctx) -> Response:
    """Put a quarantined file back into the inbox (`docgen retry NAME`)."""
    name = str(ctx.request.path_params["name"])
    try:
        retry(ctx.desk.settings, name, by=ctx.user.name)
    except DocgenError as exc:
        raise not_found(exc.message) from None
    return ctx.redirect("/quarantine?done=retried")


def _document(ctx: Ctx) -> str:
    sha = str(ctx.request.path_params["sha256"]).lower()
    row = None
    if len(sha) == 64 and set(sha) <= set("0123456789abcdef"):  # a hash, never a path or a file name
        row = next((r for r in store.filed.by_sha256(ctx.conn, sha) if r["case_ref"] is None), None)
    if row is None:
        raise not_found("there is no such document waiting to be sorted; the documents page lists them")
    return sha


@route()
def attach_document(ctx: Ctx) -> Response:
    """Attach an unmatched or unreadable document to a case (`docgen attach`); the case is checked again."""
    sha = _document(ctx)
    raw = ctx.field("case").strip()
    if not raw:
        raise DeskError("Enter the case reference to attach the document to, for example MN-2026-0001.")
    with ctx.desk.service() as service:
        ref = sorting.attach(service, sha, parse_reference(raw), actor=ctx.user.name).case
    ctx.record("attached", case=ref, sha256=sha)
    return ctx.redirect(f"/cases/{ref}?done=attached")


@route()
def open_document(ctx: Ctx) -> Response:
    """Open a new case from an unmatched document (`docgen open`)."""
    sha = _document(ctx)
    with ctx.desk.service() as service:
        ref = sorting.open_case(service, sha, actor=ctx.user.name).case
    ctx.record("opened", case=ref, sha256=sha)
    return ctx.redirect(f"/cases/{ref}?done=opened")
