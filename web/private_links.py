"""Private links as the web app makes and reads them: signed with this installation's secret key
(`cotrace.private_links` holds how)."""

from __future__ import annotations

from uuid import UUID

from flask import current_app

from cotrace import private_links


def participant_token(participant_id: UUID) -> str:
    return private_links.participant_token(current_app.secret_key, participant_id)


def participant_from_token(token: str) -> UUID | None:
    return private_links.participant_from_token(current_app.secret_key, token)


def unsubscribe_token(participant_id: UUID) -> str:
    return private_links.unsubscribe_token(current_app.secret_key, participant_id)


def participant_from_unsubscribe_token(token: str) -> UUID | None:
    return private_links.participant_from_unsubscribe_token(current_app.secret_key, token)
