"""The desk's "send by email" action on a case: the same `send_letter` as `docgen send` (SPEC §15).

Any signed-in member of staff may send: SPEC §14 keeps only the decisions (decide, schedule,
continue, end) to the coordinator, and emailing a letter that a decision already produced is the
officers' clerical work, like merges and exports. The same letter to the same address a second time
needs an explicit "send again" (the form's `again` field), as `--again` on the command line. A refusal
re-shows the case page with the reason; nothing is sent and nothing recorded. The audit line names
the user, the case and the letter, never the address or the child.
"""

from __future__ import annotations

import urllib.parse

from starlette.responses import Response

from docgen.cases.sending import AlreadySent, send_letter
from docgen.errors import ConfigError, DocgenError, MailError
from docgen.web.framework import Ctx, route
from docgen.web.pages import render_case

HREF = "#send"
NOT_SET_UP = ("Sending by email is not set up, so nothing was sent: whoever looks after docgen adds an [smtp] "
              "section to docgen.toml (see the README, 'Sending letters').")


@route()
def send(ctx: Ctx) -> Response:
    """Email one produced letter (PDF, else Word) to the school's referrer or the address typed in."""
    ref = ctx.ref()
    letter, to, again = ctx.field("letter").strip(), ctx.field("to").strip(), ctx.field("again") == "yes"
    values = {"letter": letter, "to": to}
    if ctx.desk.settings.smtp is None:
        return render_case(ctx, ref, error=NOT_SET_UP, error_href=HREF, status=503, values=values)
    if not letter:
        return render_case(ctx, ref, error="Choose the letter to send.", error_href=HREF, status=400, values=values)
    if not to:
        return render_case(ctx, ref, error="Enter the email address to send the letter to, for example "
                                           "office@school.example.org.", error_href=HREF, status=400, values=values)
    try:
        sent = send_letter(ctx.conn, ctx.desk.settings, ref, letter=letter, to=to, again=again, who=ctx.user.name)
    except AlreadySent as exc:
        confirm = {"letter": letter, "to": exc.address, "when": exc.when}
        earlier = (f"Sending this letter to {exc.address} was started on {exc.when} but never confirmed, so it may "
                   "have gone; check the sent mail" if exc.unconfirmed
                   else f"This letter was already sent to {exc.address} on {exc.when}")
        return render_case(ctx, ref, error=f"{earlier}. Nothing was sent now. To send it again, confirm below.",
                           error_href=HREF, status=409, values=values, confirm=confirm)
    except ConfigError as exc:
        return render_case(ctx, ref, error=f"{exc.message}. Nothing was sent.", error_href=HREF, status=503, values=values)
    except MailError as exc:
        return render_case(ctx, ref, error=f"The letter was not sent: {exc.message}.", error_href=HREF, status=502, values=values)
    except DocgenError as exc:
        return render_case(ctx, ref, error=f"{exc.message}. Nothing was sent.", error_href=HREF, status=400, values=values)
    ctx.record("letter_sent", case=ref, kind=sent.letter, mode="again" if again else "first")
    return ctx.redirect(f"/cases/{ref}?done={urllib.parse.quote('sent')}#letters")
