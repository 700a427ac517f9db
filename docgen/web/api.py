"""The desk's JSON: exactly what `docgen cases --json` and `docgen case REF --json` print (SPEC §14)."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from docgen.cases.model import State
from docgen.cases.views import case_details, register_json
from docgen.web.framework import Ctx, DeskError, route


@route(api=True)
def cases(ctx: Ctx) -> Response:
    """`docgen cases [--state S] --json`."""
    state = ctx.request.query_params.get("state") or None
    if state is not None and state not in {s.value for s in State}:
        raise DeskError(f"{state!r} is not a case state; use one of: {', '.join(s.value for s in State)}")
    return JSONResponse(ctx.desk.view(("register", state), lambda: register_json(ctx.conn, ctx.today, state)))


@route(api=True)
def case(ctx: Ctx) -> Response:
    """`docgen case REF --json`."""
    ref = ctx.ref()
    with ctx.desk.service() as service:
        return JSONResponse(case_details(service, ref))
