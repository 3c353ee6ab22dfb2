"""Private links: how a participant reaches their own pages (My input, their feed, unsubscribe)
without an account. A link carries a signed token naming the participant; only this installation's
secret key makes or reads it, so it cannot be guessed from a participant's id.
"""

from __future__ import annotations

from uuid import UUID

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "cotrace-participant-link"


def _serializer(secret_key: str | bytes) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def participant_token(secret_key: str | bytes, participant_id: UUID) -> str:
    return _serializer(secret_key).dumps(str(participant_id))


def participant_from_token(secret_key: str | bytes, token: str) -> UUID | None:
    """The participant a token names, or None for a token this installation did not make."""
    try:
        return UUID(_serializer(secret_key).loads(token))
    except (BadSignature, ValueError):
        return None
