"""The desk's application: its routes (the SPEC §14 contract), middleware and static assets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from docgen import db
from docgen.cases.corrections import migrate as migrate_corrections
from docgen.config import Settings
from docgen.intake.audit import Audit
from docgen.web import actions, api, files, pages, send, sessions
from docgen.web.framework import Ctx, Desk, DeskMiddleware, error_page

STATIC = Path(__file__).resolve().parent / "static"

ROUTES = [
    Route("/healthz", pages.healthz, methods=["GET"]),
    Route("/login", pages.login_page, methods=["GET"]),
    Route("/login", pages.login_submit, methods=["POST"]),
    Route("/logout", pages.logout, methods=["POST"]),
    Route("/", pages.dashboard, methods=["GET"]),
    Route("/cases", pages.cases_page, methods=["GET"]),
    Route("/cases/{ref}", pages.case_page, methods=["GET"]),
    Route("/cases/{ref}/documents/{sha256}", files.original, methods=["GET"]),
    Route("/cases/{ref}/documents/{sha256}/pages/{n}.png", files.page_image, methods=["GET"]),
    Route("/cases/{ref}/fields", actions.correct, methods=["POST"]),
    Route("/cases/{ref}/decision", actions.decide, methods=["POST"]),
    Route("/cases/{ref}/schedule", actions.schedule, methods=["POST"]),
    Route("/cases/{ref}/continue", actions.continue_, methods=["POST"]),
    Route("/cases/{ref}/end", actions.end, methods=["POST"]),
    Route("/cases/{ref}/letters/{name}", files.letter, methods=["GET"]),
    Route("/cases/{ref}/send", send.send, methods=["POST"]),
    Route("/cases/{ref}/export", files.export, methods=["GET"]),
    Route("/due", pages.due_page, methods=["GET"]),
    Route("/quarantine", pages.quarantine_page, methods=["GET"]),
    Route("/quarantine/{name}/retry", actions.retry_quarantined, methods=["POST"]),
    Route("/documents", pages.documents_page, methods=["GET"]),
    Route("/documents/{sha256}", files.original, methods=["GET"]),
    Route("/documents/{sha256}/pages/{n}.png", files.page_image, methods=["GET"]),
    Route("/documents/{sha256}/attach", actions.attach_document, methods=["POST"]),
    Route("/documents/{sha256}/open", actions.open_document, methods=["POST"]),
    Route("/merge", files.merge_form, methods=["GET"]),
    Route("/merge", files.merge_run, methods=["POST"]),
    Route("/api/cases", api.cases, methods=["GET"]),
    Route("/api/cases/{ref}", api.case, methods=["GET"]),
    Mount("/assets", app=StaticFiles(directory=STATIC), name="assets"),
]


async def _not_found(request: Request, _exc: Exception) -> Response:
    desk: Desk = request.app.state.desk
    ctx = Ctx(request=request, desk=desk, session=None, form=None)
    return error_page(ctx, "There is no such page; use the links at the top of the page.", 404,
                      api=request.url.path.startswith("/api/"))


async def _not_allowed(request: Request, _exc: Exception) -> Response:
    desk: Desk = request.app.state.desk
    ctx = Ctx(request=request, desk=desk, session=None, form=None)
    return error_page(ctx, f"{request.method} is not used on this page.", 405,
                      api=request.url.path.startswith("/api/"))


def create_app(settings: Settings, *, today: dt.date | None = None) -> Starlette:
    """The desk over one home folder; `today` fixes the date the rules treat as today (else the clock)."""
    conn = db.connect(settings.database, create=False)
    sessions.migrate(conn)
    migrate_corrections(conn)
    desk = Desk(settings=settings, fixed_today=today, conn=conn, audit=Audit(settings.state_dir))
    sessions.sweep(conn, idle_seconds=desk.idle_seconds)
    app = Starlette(routes=ROUTES, middleware=[Middleware(DeskMiddleware)],
                    exception_handlers={404: _not_found, 405: _not_allowed})
    app.state.desk = desk
    return app
