"""Private links: how a participant reaches their own pages without an account (My input, their
feed), and how an email lets them stop emails.

A private link carries a token signed with this installation's secret key, naming the participant
and the link's number. Only the link whose number is the participant's current one works
(`projections.private_links`): a chair who reissues it makes the next number, and every earlier
link stops working at once; a chair who revokes it leaves none working until one is reissued. The
number is a fact of the log (`Participant.PrivateLinkReissued`, with who did it); the link is not
stored anywhere, so reading the database or the log opens nobody's page. Made again from the key,
the current link can be shown to the chair as often as needed.

Each link has one purpose, by the salt it is signed with:
- the page (`PAGE`): My input and its contact form;
- the feed (`FEED`): the Atom feed alone, so a feed address handed to a feed-reader service opens
  neither the page nor its form. Reissuing or revoking the page's link does the same to the feed's.
- unsubscribing (`unsubscribe_token`): every follow-up email carries it, and it can do nothing but
  stop emails, so a forwarded email hands over nothing more. It names no number and cannot be
  revoked, on purpose: emails already sent must go on unsubscribing (RFC 8058, and the law on
  electronic marketing), whatever the chair did to the private link since. The worst someone with
  it can do is stop emails the participant can turn on again from their page.

Links made before they could be replaced (one token, signed with `FIRST_SALT`, for the page and the
feed alike) count as link 0, for both purposes: they go on working, as chairs sent them to members
who have no other way in, until a chair revokes or reissues that member's link. A reissued link
is of the new kind, with a page and a feed of its own.
"""

from __future__ import annotations

from uuid import UUID

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Connection

from projections import private_links

PAGE, FEED = "page", "feed"
SALTS = {PAGE: "cotrace-private-page", FEED: "cotrace-private-feed"}
FIRST_SALT = "cotrace-participant-link"  # links made before they could be replaced: link 0
UNSUBSCRIBE_SALT = "cotrace-unsubscribe-link"


class LinkReplaced(Exception):
    """A link this installation made, for a number that no longer works: the chair reissued or
    revoked it. Says nothing of whose it was."""


def link_token(secret_key: str | bytes, purpose: str, participant_id: UUID, number: int) -> str:
    """The token of a participant's link of this number, for `PAGE` or `FEED`."""
    return _serializer(secret_key, SALTS[purpose]).dumps([participant_id.hex, number])


def current_token(
    conn: Connection, secret_key: str | bytes, purpose: str, participant_id: UUID
) -> str | None:
    """The token of the participant's link that works now, or None while it is revoked."""
    link = private_links.current(conn, participant_id)
    return None if link.revoked else link_token(secret_key, purpose, participant_id, link.number)


def participant_from_token(
    conn: Connection, secret_key: str | bytes, purpose: str, token: str
) -> UUID | None:
    """The participant whose working link this is, for `purpose`; None for a token this
    installation did not make for it. Raises LinkReplaced for one of theirs that no longer works."""
    named = _read_link(secret_key, purpose, token)
    if named is None:
        return None
    participant_id, number = named
    link = private_links.current(conn, participant_id)
    if link.revoked or number != link.number:
        raise LinkReplaced()
    return participant_id


def _read_link(secret_key: str | bytes, purpose: str, token: str) -> tuple[UUID, int] | None:
    try:
        hex_id, number = _serializer(secret_key, SALTS[purpose]).loads(token)
        if isinstance(number, int) and not isinstance(number, bool):
            return UUID(hex=hex_id), number
    except (AttributeError, BadSignature, TypeError, ValueError):
        pass
    first = _read(_serializer(secret_key, FIRST_SALT), token)
    return None if first is None else (first, 0)


def unsubscribe_token(secret_key: str | bytes, participant_id: UUID) -> str:
    return _serializer(secret_key, UNSUBSCRIBE_SALT).dumps(str(participant_id))


def participant_from_unsubscribe_token(secret_key: str | bytes, token: str) -> UUID | None:
    """The participant an unsubscribe token names; None for any other token, a private page's too."""
    return _read(_serializer(secret_key, UNSUBSCRIBE_SALT), token)


def _serializer(secret_key: str | bytes, salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=salt)


def _read(serializer: URLSafeSerializer, token: str) -> UUID | None:
    try:
        return UUID(serializer.loads(token))
    except (AttributeError, BadSignature, TypeError, ValueError):
        return None
