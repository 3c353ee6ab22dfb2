"""Private links as the web app makes and reads them: signed with this installation's secret key,
checked against the link that works now (`cotrace.private_links` holds how)."""

from __future__ import annotations

from uuid import UUID

from flask import abort, current_app
from sqlalchemy import Connection

from cotrace import private_links
from cotrace.private_links import FEED, PAGE, LinkReplaced
from web import commands

__all__ = ["FEED", "PAGE", "LinkReplaced", "current_token", "participant_or_404"]


def current_token(conn: Connection, purpose: str, participant_id: UUID) -> str | None:
    """The token of the participant's working link for `PAGE` or `FEED`; None while revoked."""
    return private_links.current_token(conn, current_app.secret_key, purpose, participant_id)


def participant_or_404(purpose: str, token: str) -> UUID:
    """Whose working link this is; 404 for a token not made for `purpose` here. Raises
    LinkReplaced for a link that was reissued or revoked (the app answers 410, naming no one)."""
    with commands.reading() as conn:
        participant_id = private_links.participant_from_token(conn, current_app.secret_key, purpose, token)
    if participant_id is None:
        abort(404)
    return participant_id


def unsubscribe_token(participant_id: UUID) -> str:
    return private_links.unsubscribe_token(current_app.secret_key, participant_id)


def participant_from_unsubscribe_token(token: str) -> UUID | None:
    return private_links.participant_from_unsubscribe_token(current_app.secret_key, token)
