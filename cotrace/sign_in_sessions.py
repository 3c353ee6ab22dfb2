"""Sessions kept on the server, so that they can be ended: signing out, "sign out everywhere", a
password changed (ASVS 5.0 V7).

The browser holds an opaque random token (in a cookie the web layer sets); we keep only its SHA-256.
A session ends when it is signed out, after IDLE without a request, and ABSOLUTE after it began,
however busy (V7.3.1, V7.3.2). Who is signed in is a principal: a staff or partnership member's
account ("account"), or a citizen, signed in by emailed link ("participant").

Every function takes the caller's `Connection`: a page's request uses one transaction for the
session and whatever else it writes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import Connection, delete, insert, select, update

from cotrace.sign_in_tables import sign_in_sessions, token_hash

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
# last_seen_at is written at most this often: one write a minute, not one per request.
SEEN_EVERY = timedelta(minutes=1)
KINDS = ("account", "participant")


@dataclass(frozen=True)
class SignInSession:
    """A session in force: who is signed in, since when, and whether they gave a second factor."""

    id: str  # the token's SHA-256, never the token
    principal_kind: str
    principal_id: UUID
    created_at: datetime
    last_seen_at: datetime
    second_factor: bool


def open_session(
    conn: Connection, principal_kind: str, principal_id: UUID, now: datetime, second_factor: bool = False
) -> str:
    """Starts a session for someone just signed in, and gives back its token for the browser.
    Sessions that ran out long ago are cleared away on the way."""
    if principal_kind not in KINDS:
        raise ValueError(f"A session is for one of {KINDS}, not {principal_kind!r}")
    conn.execute(delete(sign_in_sessions).where(sign_in_sessions.c.created_at < now - ABSOLUTE))
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(sign_in_sessions).values(
            id=token_hash(token),
            principal_kind=principal_kind,
            principal_id=principal_id,
            created_at=now,
            last_seen_at=now,
            second_factor=second_factor,
            ended_at=None,
        )
    )
    return token


def find_session(conn: Connection, token: str, now: datetime) -> SignInSession | None:
    """The session a token opens, or None when it is unknown, ended, idle too long or too old (then
    it is ended for good). Marks it seen, at most once a minute. Call it in a transaction that
    commits (`engine.begin()`), or the marks are lost."""
    row = conn.execute(select(sign_in_sessions).where(sign_in_sessions.c.id == token_hash(token))).first()
    if row is None or row.ended_at is not None:
        return None
    if now - row.last_seen_at > IDLE or now - row.created_at > ABSOLUTE:
        conn.execute(update(sign_in_sessions).where(sign_in_sessions.c.id == row.id).values(ended_at=now))
        return None
    last_seen_at = row.last_seen_at
    if now - last_seen_at >= SEEN_EVERY:
        conn.execute(update(sign_in_sessions).where(sign_in_sessions.c.id == row.id).values(last_seen_at=now))
        last_seen_at = now
    return SignInSession(
        id=row.id,
        principal_kind=row.principal_kind,
        principal_id=row.principal_id,
        created_at=row.created_at,
        last_seen_at=last_seen_at,
        second_factor=row.second_factor,
    )


def pass_second_factor(conn: Connection, token: str, now: datetime) -> str | None:
    """After a right second-factor code: ends the session signed in with the password alone and
    opens one with the second factor, under a new token (a token known before then is worth no
    more than it was). None if the session is not in force."""
    found = find_session(conn, token, now)
    if found is None:
        return None
    end_session(conn, token, now)
    return open_session(conn, found.principal_kind, found.principal_id, now, second_factor=True)


def end_session(conn: Connection, token: str, now: datetime) -> None:
    """Signs out: the token opens nothing from now on."""
    conn.execute(
        update(sign_in_sessions)
        .where(sign_in_sessions.c.id == token_hash(token))
        .where(sign_in_sessions.c.ended_at.is_(None))
        .values(ended_at=now)
    )


def end_all_sessions(
    conn: Connection, principal_kind: str, principal_id: UUID, now: datetime, keep: str | None = None
) -> int:
    """Signs someone out everywhere (their own wish, a password changed or reset, an account
    suspended), but for the session whose token is `keep`, if given. Gives the number ended."""
    query = (
        update(sign_in_sessions)
        .where(sign_in_sessions.c.principal_kind == principal_kind)
        .where(sign_in_sessions.c.principal_id == principal_id)
        .where(sign_in_sessions.c.ended_at.is_(None))
    )
    if keep is not None:
        query = query.where(sign_in_sessions.c.id != token_hash(keep))
    return conn.execute(query.values(ended_at=now)).rowcount


def forget_sessions(conn: Connection, principal_kind: str, principal_id: UUID) -> None:
    """Removes someone's sessions altogether, ended or not: their personal data is being erased."""
    conn.execute(
        delete(sign_in_sessions)
        .where(sign_in_sessions.c.principal_kind == principal_kind)
        .where(sign_in_sessions.c.principal_id == principal_id)
    )
