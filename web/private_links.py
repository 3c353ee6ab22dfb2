"""Private links: how a participant reaches their own pages (My input, their feed, unsubscribe)
without an account. A link carries a signed token naming the participant; only this installation's
secret key makes or reads it, so it cannot be guessed from a participant's id.
"""

from __future__ import annotations

from uuid import UUID

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "cotrace-participant-link"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def participant_token(participant_id: UUID) -> str:
    return _serializer().dumps(str(participant_id))


def participant_from_token(token: str) -> UUID | None:
    """The participant a token names, or None for a token this installation did not make."""
    try:
        return UUID(_serializer().loads(token))
    except (BadSignature, ValueError):
        return None
