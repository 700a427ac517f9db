"""The desk's pages (GET): sign-in, today, the register, one case, due, quarantine, documents to sort.

Each page reads the register through the domain (cases.views, cases.store.listing, cases.due,
intake.status) — the same functions the command line prints.
"""

from __future__ import annotations

import time
import urllib.parse
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from docgen import accounts
from docgen.cases import store
from docgen.cases.corrections import correctable
from docgen.cases.due import due
from docgen.cases.model import Action, State, allowed
from docgen.cases.sending import default_recipient, letter_choices, sendings
from docgen.cases.store import listing
from docgen.cases.store.filed import extraction_from_json
from docgen.cases.views import case_details, register_row
from docgen.intake.quarantine import list_quarantine
from docgen.intake.status import status
from docgen.letters.context import EndReason
from docgen.web import sessions, show
from docgen.web.framework import Ctx, DeskError, route, within
from docgen.web.images import page_count

NOTICES = {
    "corrected": "The value was saved beside the original reading, and the case was checked again.",
    "decided": "The decision was recorded and its letters written.",
    "scheduled": "The planning meeting and provision start were recorded; the timeline and planning record were written.",
    "continued": "The continuation decision was recorded.",
    "ended": "End of Provision was recorded and the letter written.",
    "retried": "The file is back in the inbox and will go through intake again.",
    "attached": "The document was attached to the case, which was checked again.",
    "opened": "A new case was opened from the document.",
    "sent": "The letter was emailed; the sending is in the case history.",
    "signed-out": "You have signed out.",
}


async def healthz(_request: Request) -> Response:
    """`{"status": "ok"}` — no session, no personal data."""
    return JSONResponse({"status": "ok"})


@route(public=True)
def login_page(ctx: Ctx) -> Response:
    """The sign-in form, with a fresh CSRF token in a cookie of its own."""
    if ctx.session is not None:
        return ctx.redirect(within(ctx.request.query_params.get("next", "/")))
    return _login_form(ctx, error=None, status=200)


def _login_form(ctx: Ctx, *, error: str | None, status: int, name: str = "") -> Response:
    token = sessions.new_token()
    expired = ctx.request.query_params.get("expired") == "1"
    notice = NOTICES["signed-out"] if ctx.request.query_params.get("done") == "signed-out" else None
    response = ctx.page("login.html", status, title="Sign in", error_href="#username", error=error, token=token, name=name, expired=expired and not error,
                        notice=notice, next=within(ctx.request.query_params.get("next", "/")))
    response.set_cookie(sessions.LOGIN_COOKIE, token, httponly=True, samesite="strict", path="/login",
                        secure=ctx.desk.settings.desk.https)
    return response


@route(public=True)
def login_submit(ctx: Ctx) -> Response:
    """Check the name and password; five failures in 15 minutes lock the name for 15 minutes."""
    cookie = ctx.request.cookies.get(sessions.LOGIN_COOKIE)
    if not cookie or not sessions.same(cookie, ctx.field("csrf_token")):
        return _login_form(ctx, error="The sign-in form had expired. Sign in again.", status=403)
    name, password = ctx.field("username").strip(), ctx.field("password")
    if not name or not password:
        return _login_form(ctx, error="Enter your name and your password.", status=400, name=name)
    attempt = accounts.sign_in(ctx.conn, name, password)
    known = accounts.find_user(ctx.conn, name) if accounts.NAME.match(name) else None
    if attempt.result is accounts.SignIn.OK and attempt.user is not None:
        token = sessions.start(ctx.conn, attempt.user)
        ctx.desk.record("signed_in", attempt.user.name, role=attempt.user.role.value)
        response = ctx.redirect(within(ctx.field("next") or "/"))
        response.set_cookie(sessions.COOKIE, token, httponly=True, samesite="strict", path="/",
                            secure=ctx.desk.settings.desk.https)
        response.delete_cookie(sessions.LOGIN_COOKIE, path="/login")
        return response
    ctx.desk.record("sign_in_failed", known.name if known else None, outcome=attempt.result.value)
    if attempt.result is accounts.SignIn.LOCKED:
        until = time.strftime("%H:%M", time.localtime(attempt.locked_until))
        return _login_form(ctx, error=f"Too many failed sign-ins for this name: it is locked until {until}. "
                                      "Try again then, or ask the coordinator.", status=429, name=name)
    return _login_form(ctx, error="The name or password is not right, or the account is disabled. "
                                  "Check them and try again.", status=401, name=name)


@route()
def logout(ctx: Ctx) -> Response:
    """End the session."""
    sessions.end(ctx.conn, ctx.request.cookies.get(sessions.COOKIE))
    ctx.record("signed_out")
    response = RedirectResponse("/login?done=signed-out", status_code=303)
    response.delete_cookie(sessions.COOKIE, path="/")
    return response


@route()
def dashboard(ctx: Ctx) -> Response:
    """Today: counts by state, inbox, quarantine, daemon, and what is due this week."""
    today = ctx.today
    week = ctx.desk.view(("due", 7), lambda: due(ctx.conn, today=today, within=7))
    return ctx.page("dashboard.html", title="Today", counts=listing.counts(ctx.conn),
                    intake=status(ctx.desk.settings), due=week, unmatched=len(store.documents(ctx.conn, None)))


def _page_number(text: str | None) -> int:
    try:
        return max(1, int(text or "1"))
    except ValueError:
        raise DeskError(f"page {text!r} is not a page number; use 1, 2, 3 …") from None


@route()
def cases_page(ctx: Ctx) -> Response:
    """The register: filter by state, search by name, UPN or reference, 25 cases a page."""
    params = ctx.request.query_params
    state = params.get("state") or None
    if state is not None and state not in {s.value for s in State}:
        raise DeskError(f"{state!r} is not a case state; choose one from the list")
    query = (params.get("q") or "").strip()[:100] or None
    found = listing.search(ctx.conn, state=state, query=query, page=_page_number(params.get("page")))
    rows = [register_row(ctx.conn, row, ctx.today) for row in found.cases]
    def link(n: int) -> str:
        return "/cases?" + urllib.parse.urlencode({k: v for k, v in
                                                   (("state", state), ("q", query), ("page", str(n))) if v})
    return ctx.page("cases.html", title="Cases", rows=rows, found=found, state=state, query=query or "",
                    states=[s.value for s in State], link=link)


@route()
def case_page(ctx: Ctx) -> Response:
    """One case: everything the register holds, each document with its fields and page images."""
    return render_case(ctx, ctx.ref())


def render_case(ctx: Ctx, ref: str, *, error: str | None = None, status: int = 200,
                values: dict[str, str] | None = None, confirm: dict[str, str] | None = None,
                error_href: str | None = None) -> Response:
    """The case page (also re-shown with a message when an action was refused)."""
    with ctx.desk.service() as service:
        data = case_details(service, ref)
    state = State(data["state"])
    rows = {d["sha256"]: d for d in store.documents(ctx.conn, ref)}
    corrected: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for c in data["corrections"]:
        corrected.setdefault((c["document"], c["key"]), []).append(c)
    documents = []
    for doc in data["documents"]:
        row = rows[doc["sha256"]]
        extraction = extraction_from_json(row["extraction_json"])
        fields = [{"key": key, "label": label, "value": show.value(extraction.fields.get(key)),
                   "corrections": corrected.get((doc["sha256"], key), [])}
                  for key, label in correctable(extraction)]
        documents.append({**doc, "fields": fields, "warnings": extraction.warnings,
                          "pages": page_count(ctx.desk, row), "container": bool(row["container"])})
    can = {a.value: bool(allowed(a, state)) for a in Action}
    sending = {"configured": ctx.desk.settings.smtp is not None, "letters": letter_choices(ctx.conn, ref),
               "to": default_recipient(ctx.conn, ref), "sent": sendings(ctx.conn, ref), "confirm": confirm}
    return ctx.page("case.html", status, title=f"Case {ref}", case=data, documents=documents, can=can,
                    sending=sending, end_reasons=[r.value for r in EndReason], error=error, error_href=error_href,
                    values=values or {},
                    notice=NOTICES.get(ctx.request.query_params.get("done", "")), show=show)


@route()
def due_page(ctx: Ctx) -> Response:
    """What is due or overdue across cases (`docgen due`)."""
    raw = ctx.request.query_params.get("within") or "14"
    if not raw.isdigit() or int(raw) > 3660:
        raise DeskError(f"{raw!r} is not a number of days; use a whole number such as 14")
    within_days = int(raw)
    items = ctx.desk.view(("due", within_days), lambda: due(ctx.conn, today=ctx.today, within=within_days))
    return ctx.page("due.html", title="Due", items=items, within=within_days)


@route()
def quarantine_page(ctx: Ctx) -> Response:
    """Quarantined files with their reason; an officer can put one back through intake."""
    return ctx.page("quarantine.html", title="Quarantine", items=list_quarantine(ctx.desk.settings.quarantine),
                    notice=NOTICES.get(ctx.request.query_params.get("done", "")))


@route()
def documents_page(ctx: Ctx) -> Response:
    """Documents docgen could not link to a case, or could not read: attach each to a case, or open one."""
    unmatched = [dict(d) for d in store.documents(ctx.conn, None) if not d["container"]]
    unreadable = [dict(d) for d in store.filed.unreadable(ctx.conn)]
    return ctx.page("documents.html", title="Documents to sort", unmatched=unmatched, unreadable=unreadable,
                    notice=NOTICES.get(ctx.request.query_params.get("done", "")))
