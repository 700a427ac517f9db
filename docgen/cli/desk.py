"""`docgen serve`: the desk, the coordinator's and officers' web pages (SPEC §14)."""

from __future__ import annotations

import logging

import click
from click.core import ParameterSource

from docgen import accounts, db
from docgen.cli.base import command, runtime
from docgen.errors import DocgenError
from docgen.intake.audit import configure_logging

NO_USERS = ("no one can sign in to the desk yet: add an account first, e.g. "
            "`docgen users add alex --role coordinator` (it asks for a password of at least 12 characters), "
            "then run `docgen serve` again")


def _today_fixed() -> bool:
    ctx = click.get_current_context()
    sources = {c.get_parameter_source("today") for c in (ctx, ctx.find_root())}
    return bool(sources & {ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT})


@command("serve")
@click.option("--host", default=None, metavar="ADDRESS",
              help="Address to listen on (default [desk] host, 127.0.0.1: this computer only).")
@click.option("--port", default=None, type=click.IntRange(0, 65535), metavar="PORT",
              help="Port to listen on (default [desk] port, 8400).")
def serve_command(host: str | None, port: int | None) -> None:
    """Run the desk: web pages over the case register for officers and the coordinator."""
    import uvicorn

    from docgen.web.app import create_app

    rt = runtime()
    settings = rt.settings
    if not settings.database.exists():
        raise DocgenError(NO_USERS)
    conn = db.connect(settings.database, create=False)
    try:
        accounts.migrate(conn)
        if accounts.active_users(conn) == 0:
            raise DocgenError(NO_USERS)
    finally:
        conn.close()
    configure_logging()
    logging.getLogger("docgen.desk").setLevel(logging.INFO)
    app = create_app(settings, today=rt.today if _today_fixed() else None)
    host = host or settings.desk.host
    port = settings.desk.port if port is None else port
    scheme = "https" if settings.desk.https else "http"
    click.echo(f"The desk is at {scheme}://{host}:{port}/ (Ctrl+C to stop)", err=True)
    # uvicorn's own access log prints query strings (a search can hold a child's name): ours logs routes only
    uvicorn.run(app, host=host, port=port, access_log=False, server_header=False, log_level="warning",
                proxy_headers=settings.desk.https, forwarded_allow_ips="127.0.0.1")
