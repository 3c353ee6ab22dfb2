"""A member's private link, for the chairs of their partnership (routes of the `partnerships` area).

The partnership page shows no link: a chair asks for one member's on a page of its own, kept by no
cache, and revokes or reissues it there. Each change is an event on the participant, saying who made
it; the link itself is made from the installation's key and stored nowhere (`cotrace.private_links`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import abort, make_response, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import Connection

from domain.application import Cotrace
from projections import private_links, reads
from web import commands
from web.accounts import absolute_url
from web.answers import answer_form
from web.partnerships import bp
from web.private_links import FEED, PAGE, current_token

LINK = "/partnerships/<uuid:partnership_id>/members/<uuid:participant_id>/private-link"


@bp.get(LINK)
def private_link(partnership_id: UUID, participant_id: UUID) -> ResponseReturnValue:
    return _private(_render(partnership_id, participant_id))


@bp.post(f"{LINK}/reissue")
def reissue_private_link(partnership_id: UUID, participant_id: UUID) -> ResponseReturnValue:
    name = _member_or_404(partnership_id, participant_id)["name"]
    return _change(
        partnership_id,
        participant_id,
        lambda app, actor: app.reissue_private_link(actor, partnership_id, participant_id),
        f"{name}’s private link has been reissued, and the old one no longer works. Send {name} the new one.",
    )


@bp.post(f"{LINK}/revoke")
def revoke_private_link(partnership_id: UUID, participant_id: UUID) -> ResponseReturnValue:
    name = _member_or_404(partnership_id, participant_id)["name"]
    return _change(
        partnership_id,
        participant_id,
        lambda app, actor: app.revoke_private_link(actor, partnership_id, participant_id),
        f"{name}’s private link has been revoked: it no longer works.",
    )


def _change(
    partnership_id: UUID, participant_id: UUID, command: Callable[[Cotrace, UUID], None], message: str
) -> ResponseReturnValue:
    return _private(
        answer_form(
            lambda: commands.run(command),
            lambda **page: _render(partnership_id, participant_id, **page),
            done=lambda _: url_for(
                "partnerships.private_link", partnership_id=partnership_id, participant_id=participant_id
            ),
            message=message,
        )
    )


def _private(answer: ResponseReturnValue) -> ResponseReturnValue:
    """Whatever shows a link is kept by no browser or proxy cache, whatever else the page holds."""
    response = make_response(answer)
    response.headers["Cache-Control"] = "no-store"
    return response


def _member_or_404(partnership_id: UUID, participant_id: UUID) -> dict[str, Any]:
    with commands.reading() as conn:
        return _member_in(conn, partnership_id, participant_id)


def _member_in(conn: Connection, partnership_id: UUID, participant_id: UUID) -> dict[str, Any]:
    """A member of this partnership: its chairs see no one else's link (a chair of another
    partnership asking here for one of this partnership's members finds nothing)."""
    members = reads.partnership_members(conn, partnership_id)
    member = next((m for m in members if m["id"] == participant_id), None)
    if member is None:
        abort(404)
    return member


def _render(
    partnership_id: UUID,
    participant_id: UUID,
    partial: bool = False,
    errors: dict[str, Any] | None = None,
    values: Any = None,
    status_message: str | None = None,
) -> str:
    with commands.reading() as conn:
        member = _member_in(conn, partnership_id, participant_id)  # in a partnership that exists
        partnership = reads.partnership(conn, partnership_id)
        participant = reads.participant(conn, participant_id)
        changes = private_links.changes_of(conn, participant_id)
        page, feed = current_token(conn, PAGE, participant_id), current_token(conn, FEED, participant_id)
    context = dict(
        partnership=partnership,
        member=member,
        can_sign_in_by_email=bool(participant and participant["email"]),
        page_url=absolute_url(url_for("my_input.show", token=page)) if page else None,
        feed_url=absolute_url(url_for("my_input.feed", token=feed)) if feed else None,
        changes=changes,
        errors=errors or {},
        status_message=status_message,
    )
    if partial:
        return render_template("_member_link.html", **context)
    return render_template("member_link.html", **context)
