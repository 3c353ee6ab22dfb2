"""Private links: how a participant reaches their own pages (My input, their feed, unsubscribe)
without an account. A link carries a signed token naming the participant; only this installation's
secret key makes or reads it, so it cannot be guessed from a participant's id.

Unsubscribing has a token of its own, signed with another salt: every follow-up email carries it,
and a forwarded email must not hand over the private page and its contact form. It can do nothing
but stop emails, and the private page's token cannot unsubscribe. (Neither expires nor can be
revoked yet: that needs state of its own, which comes with accounts.)
"""

from __future__ import annotations

from uuid import UUID

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "cotrace-participant-link"
UNSUBSCRIBE_SALT = "cotrace-unsubscribe-link"


def _serializer(secret_key: str | bytes, salt: str = SALT) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=salt)


def participant_token(secret_key: str | bytes, participant_id: UUID) -> str:
    return _serializer(secret_key).dumps(str(participant_id))


def participant_from_token(secret_key: str | bytes, token: str) -> UUID | None:
    """The participant a token names, or None for a token this installation did not make."""
    return _read(_serializer(secret_key), token)


def unsubscribe_token(secret_key: str | bytes, participant_id: UUID) -> str:
    return _serializer(secret_key, UNSUBSCRIBE_SALT).dumps(str(participant_id))


def participant_from_unsubscribe_token(secret_key: str | bytes, token: str) -> UUID | None:
    """The participant an unsubscribe token names; None for any other token, a private page's too."""
    return _read(_serializer(secret_key, UNSUBSCRIBE_SALT), token)


def _read(serializer: URLSafeSerializer, token: str) -> UUID | None:
    try:
        return UUID(serializer.loads(token))
    except (BadSignature, ValueError):
        return None
