"""The desk's plumbing: one database connection, who is signed in, CSRF, roles, headers, access log.

Every route is declared with `@route(...)`: the request's form is read, then the handler runs in a
worker thread holding the desk's lock (one SQLite connection, serialised), after the checks of
SPEC §14 — a session (HTML routes redirect to /login, API routes answer 401), a valid CSRF token on
every POST (else 403 and nothing changes), and the coordinator's role where the route needs it.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from docgen.accounts import Role, User
from docgen.cases.model import parse_reference
from docgen.cases.service import CaseService
from docgen.config import Settings
from docgen.errors import CaseError, DocgenError, InvalidTransition
from docgen.intake.audit import Audit
from docgen.web import sessions

log = logging.getLogger("docgen.desk")
access = logging.getLogger("docgen.desk.access")

CSP = ("default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'")
MAX_UPLOAD = 20 * 1024 * 1024


class DeskError(Exception):
    """A request the desk refuses: a plain message for the page and an HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def not_found(message: str) -> DeskError:
    return DeskError(message, 404)


@dataclass
class Desk:
    """The running desk: settings, "today", the one database connection and its lock, the audit log."""

    settings: Settings
    fixed_today: dt.date | None
    conn: sqlite3.Connection
    audit: Audit
    lock: threading.RLock = field(default_factory=threading.RLock)
    templates: Environment = field(init=False)
    _views: dict[Any, tuple[tuple[int, int], Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.templates = Environment(
            loader=ChoiceLoader([PackageLoader("docgen.web", "templates"),
                                 PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja",
                                                                                     "templates")})]),
            autoescape=select_autoescape(default=True, default_for_string=True), trim_blocks=True,
            lstrip_blocks=True)  # default Undefined: govuk-frontend-jinja tests optional parameters by absence

    def today(self) -> dt.date:
        """The date the rules and deadlines treat as today (`--today`/`DOCGEN_TODAY`, else the clock)."""
        return self.fixed_today or dt.date.today()

    @property
    def idle_seconds(self) -> float:
        return self.settings.desk.idle_minutes * 60.0

    @contextmanager
    def service(self) -> Iterator[CaseService]:
        """The case register as of today (the caller holds the lock)."""
        service = CaseService(self.settings, self.conn, today=self.today())
        yield service

    def view(self, key: Any, compute: Callable[[], Any]) -> Any:
        """A whole-register view (the due list, the register as JSON), computed again only when the
        register changed: SQLite's data_version moves when another process (the daemon, the CLI)
        commits, total_changes when this one writes. Kept in memory only; the caller holds the lock."""
        version = (int(self.conn.execute("PRAGMA data_version").fetchone()[0]), self.conn.total_changes)
        full_key = (key, self.today())
        cached = self._views.get(full_key)
        if cached is not None and cached[0] == version:
            return cached[1]
        if len(self._views) > 64:
            self._views.clear()
        value = compute()
        self._views[full_key] = (version, value)
        return value

    def record(self, event: str, user: str | None, **extra: Any) -> None:
        """An audit line: what a member of staff did (by case reference and hash only)."""
        self.audit.record(f"desk.{event}", actor=user or "(no such account)", **extra)


@dataclass
class Ctx:
    """One request as a handler sees it."""

    request: Request
    desk: Desk
    session: sessions.Session | None
    form: FormData | None

    @property
    def user(self) -> User:
        assert self.session is not None
        return self.session.user

    @property
    def conn(self) -> sqlite3.Connection:
        return self.desk.conn

    @property
    def today(self) -> dt.date:
        return self.desk.today()

    def field(self, name: str) -> str:
        """A form field as text ('' when absent)."""
        value = self.form.get(name) if self.form is not None else None
        return value if isinstance(value, str) else ""

    def ref(self) -> str:
        """The case reference of the path, checked against the register (404 when there is none)."""
        raw = str(self.request.path_params.get("ref", ""))
        try:
            ref = parse_reference(raw)
        except CaseError:
            raise not_found(f"{raw!r} is not a case reference; references look like MN-2026-0001") from None
        if self.conn.execute("SELECT 1 FROM cases WHERE ref = ?", (ref,)).fetchone() is None:
            raise not_found(f"there is no case {ref}; the register lists every case")
        return ref

    def page(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        """Render a page with the layout's values (user, CSRF token, today)."""
        body = self.desk.templates.get_template(template).render(
            user=self.session.user if self.session else None,
            csrf=self.session.csrf if self.session else "",
            today=self.today, path=self.request.url.path, **values)
        return HTMLResponse(body, status_code=status)

    def redirect(self, url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=303)

    def record(self, event: str, **extra: Any) -> None:
        self.desk.record(event, self.session.user.name if self.session else None, **extra)


Handler = Callable[[Ctx], Response]


def route(*, api: bool = False, role: Role | None = None, public: bool = False) -> Callable[[Handler], Any]:
    """Wrap a handler with the session, CSRF and role checks of SPEC §14."""

    def wrap(handler: Handler) -> Any:
        async def endpoint(request: Request) -> Response:
            form: FormData | None = None
            if request.method == "POST":
                if int(request.headers.get("content-length") or 0) > MAX_UPLOAD:
                    return _refuse(request, api, "the upload is larger than 20 MB; send a smaller file", 413)
                try:
                    form = await request.form(max_files=2, max_fields=50)
                except Exception:  # noqa: BLE001 - a malformed body is the sender's problem, said plainly
                    return _refuse(request, api, "the form could not be read; reload the page and try again", 400)
            return await run_in_threadpool(_run, handler, request, form, api, role, public)

        endpoint.__name__ = handler.__name__
        endpoint.__doc__ = handler.__doc__
        return endpoint

    return wrap


def _run(handler: Handler, request: Request, form: FormData | None, api: bool, role: Role | None,
         public: bool) -> Response:
    desk: Desk = request.app.state.desk
    with desk.lock:
        session, expired = sessions.find(desk.conn, request.cookies.get(sessions.COOKIE),
                                         idle_seconds=desk.idle_seconds)
        ctx = Ctx(request=request, desk=desk, session=session, form=form)
        try:
            if not public:
                if session is None:
                    return _sign_in_first(request, api, expired)
                if request.method == "POST":
                    token = ctx.field("csrf_token") or request.headers.get("x-csrf-token")
                    if not sessions.same(session.csrf, token):
                        return error_page(ctx, "This form had expired or did not come from the desk, so nothing "
                                               "was changed. Reload the page and try again.", 403, api=api)
                if role is Role.COORDINATOR and not session.user.is_coordinator:
                    return error_page(ctx, "Only the coordinator can decide, schedule, continue or end a case; "
                                           "ask the coordinator to do this. Nothing was changed.", 403, api=api)
            return handler(ctx)
        except DeskError as exc:
            return error_page(ctx, exc.message, exc.status, api=api)
        except InvalidTransition as exc:
            return error_page(ctx, f"{exc.message}. Nothing was changed.", 409, api=api)
        except DocgenError as exc:
            return error_page(ctx, exc.message, 400, api=api)
        except Exception as exc:  # noqa: BLE001 - logged by type only: a message may quote a child's data
            found = request.scope.get("route")
            log.error("unexpected %s on %s %s", type(exc).__name__, request.method, getattr(found, "path", "?"))
            return error_page(ctx, "Something went wrong on the desk and nothing was changed. Try again; if it "
                                   "happens again, tell whoever looks after docgen (the time is in its log).", 500,
                              api=api)


def _sign_in_first(request: Request, api: bool, expired: bool) -> Response:
    if api:
        return JSONResponse({"error": "sign in first (POST /login)"}, status_code=401)
    query = f"?{request.url.query}" if request.url.query else ""
    target = request.url.path + query if request.method == "GET" else "/"
    query = urllib.parse.urlencode({"next": target, **({"expired": "1"} if expired else {})})
    return RedirectResponse(f"/login?{query}", status_code=303)


def _refuse(request: Request, api: bool, message: str, status: int) -> Response:
    if api:
        return JSONResponse({"error": message}, status_code=status)
    return HTMLResponse(f"<!DOCTYPE html><html lang=en><title>Error</title><p>{message}</p></html>", status)


def error_page(ctx: Ctx, message: str, status: int, *, api: bool = False) -> Response:
    """A plain page (or JSON) saying what is wrong and what to do."""
    if api or ctx.request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    title = {401: "Sign in", 403: "Not allowed", 404: "Not found", 409: "Cannot do that now",
             413: "Too large"}.get(status, "There is a problem")
    return ctx.page("error.html", status, title=title, message=message, back=_back(ctx))


def _back(ctx: Ctx) -> str:
    parts = ctx.request.url.path.split("/")
    if len(parts) >= 3 and parts[1] == "cases" and parts[2]:
        return f"/cases/{parts[2]}" if ctx.request.method == "POST" or len(parts) > 3 else "/cases"
    return "/"


class DeskMiddleware:
    """Security headers on every response and an access log without query strings or parameters.

    Logged: method, route template (e.g. /cases/{ref}), status, milliseconds — never the URL itself,
    which can carry a child's name in a search.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]
        static = str(scope.get("path", "")).startswith("/assets/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in {b"cache-control", b"server"}]
                headers += [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer"),
                            (b"cache-control", b"public, max-age=3600" if static else b"no-store")]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            found = scope.get("route")
            template = getattr(found, "path", None) or "(no route)"
            access.info("%s %s %d %.0fms", scope.get("method", "-"), template, status[0],
                        (time.perf_counter() - started) * 1000)


def within(path: str) -> str:
    """A local path to go back to after signing in (never another site)."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


def private_path(root: Path, relative: str) -> Path:
    """A file under `root` named by the register (refusing anything that would leave it)."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise not_found("that file is not in the archive")
    return target
