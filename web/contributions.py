"""Responding to contributions ("you said, we did"): one contribution, its response and the
decisions that cite it, and a partnership's contributions with those awaiting a response first,
each list a page at a time.

The response form posts to its own URL: with htmx the contribution's record is swapped in place,
without JavaScript a success redirects back with a message and an error re-renders the page.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from cotrace import checkpoints
from domain.errors import Problems
from projections import reads
from web import commands, forms, paging
from web.answers import answer_form

bp = Blueprint("contributions", __name__)
CONTRIBUTIONS_PAGE = 25


@bp.get("/contributions/<uuid:contribution_id>")
def show(contribution_id: UUID) -> ResponseReturnValue:
    return _render(contribution_id)


@bp.post("/contributions/<uuid:contribution_id>/response")
def respond(contribution_id: UUID) -> ResponseReturnValue:
    form = request.form
    problems = Problems()
    happened_on = commands.date_from(problems, form, "happened_on", "the date of the response")
    return answer_form(
        lambda: commands.run_after(
            problems,
            lambda app, actor: app.respond_to_contribution(
                actor,
                contribution_id,
                forms.text(form, "response"),
                forms.text(form, "reason"),
                forms.uuid_or_none(form.get("responded_by")),
                happened_on,
            ),
        ),
        lambda **page: _render(contribution_id, **page),
        done=lambda _: url_for("contributions.show", contribution_id=contribution_id, _anchor="response"),
        message="Response recorded.",
    )


@bp.get("/contributions/<uuid:contribution_id>/receipt")
def receipt(contribution_id: UUID) -> ResponseReturnValue:
    """A receipt: the C2SP tlog-proof that the contribution, as it was recorded, is in the signed log
    (docs/seal.md says how to check it). The contribution's words are not in it, only the
    fingerprint of its stored bytes, so passing it on gives nothing personal away."""
    try:
        made = checkpoints.receipt(commands.services(), contribution_id)
    except checkpoints.NotSealed:
        abort(404)
    except checkpoints.NoSigningKey:
        message = (
            "Receipts need a signing key, and this installation has none yet, so no receipt can be "
            "given. Ask the person who runs Cotrace to create one with 'cotrace keygen'."
        )
        return render_template("problem.html", heading="No receipt yet", message=message), 503
    with commands.reading() as conn:
        found = reads.contribution(conn, contribution_id)
    filename = receipt_filename(found, contribution_id)
    return Response(
        made.text,
        mimetype="text/plain",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def receipt_filename(contribution: Any, contribution_id: UUID) -> str:
    """The receipt's file says whose contribution it proves without opening it: the policy, the day
    and the channel ("cotrace-receipt-ehe-policy-2026-06-15-meeting-<id>"), never the contributor or
    their words. The proof itself stays the C2SP tlog-proof format, which has no room for them, and
    the extension that format asks for."""
    words = []
    if contribution is not None:
        words = [
            re.sub(r"[^a-z0-9]+", "-", contribution["policy_title"].lower()).strip("-")[:40].strip("-"),
            str(contribution["happened_on"]),
            contribution["channel"],
        ]
    return "-".join(["cotrace-receipt", *(w for w in words if w), str(contribution_id)]) + ".tlog-proof"


@bp.get("/partnerships/<uuid:partnership_id>/contributions")
def for_partnership(partnership_id: UUID) -> ResponseReturnValue:
    awaiting_from = paging.cursor(reads.AWAITING_KEYS, prefix="awaiting_", anchor="awaiting")
    answered_from = paging.cursor(reads.ANSWERED_KEYS, prefix="answered_", anchor="answered")
    with commands.reading() as conn:
        partnership = reads.partnership(conn, partnership_id)
        if partnership is None:
            abort(404)
        return render_template(
            "partnership_contributions.html",
            partnership=partnership,
            awaiting=reads.contributions_awaiting_page(
                conn, partnership_id, CONTRIBUTIONS_PAGE, awaiting_from
            ),
            answered=reads.contributions_answered_page(
                conn, partnership_id, CONTRIBUTIONS_PAGE, answered_from
            ),
            names=reads.names(conn),
        )


def _render(
    contribution_id: UUID,
    partial: bool = False,
    errors: dict[str, str] | None = None,
    values: MultiDict | None = None,
    status_message: str | None = None,
) -> str:
    with commands.reading() as conn:
        contribution = reads.contribution(conn, contribution_id)
        if contribution is None:
            abort(404)
        today = commands.today()
        context = dict(
            contribution=contribution,
            partnership=reads.partnership(conn, contribution["partnership_id"]),
            members=reads.partnership_members(conn, contribution["partnership_id"]),
            citing=reads.decisions_citing(conn, [contribution_id]),
            corrections=reads.corrections_of(conn, [contribution_id]).get(contribution_id, []),
            names=reads.names(conn),
            today=today,
            errors=errors or {},
            values=values if values is not None else MultiDict({"happened_on": today.isoformat()}),
            status_message=status_message,
        )
    template = "_contribution_record.html" if partial else "contribution.html"
    return render_template(template, **context)
