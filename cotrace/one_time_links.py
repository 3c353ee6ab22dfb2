"""Links sent by email that work once, for a few minutes: a citizen signs in with one (they never
need a password), and anyone resets a forgotten password with one.

The link carries an opaque random token; we keep only its SHA-256. Redeeming it marks it used in the
same statement that checks it, so two clicks racing on one link cannot both get in. Asking for a
new link ends the earlier ones for the same purpose: only the newest email works.

Every function takes the caller's `Connection`.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import Connection, delete, insert, select, update

from cotrace.sign_in_tables import one_time_links, token_hash

SIGN_IN = "sign-in"
RESET_PASSWORD = "reset-password"
PURPOSES = (SIGN_IN, RESET_PASSWORD)
MINUTES = 15


def issue_link(
    conn: Connection,
    purpose: str,
    principal_kind: str,
    principal_id: UUID,
    now: datetime,
    minutes: int = MINUTES,
) -> str:
    """A new token for a link, good for `minutes`; earlier links of the same purpose for the same
    principal stop working. Links long expired are cleared away on the way."""
    if purpose not in PURPOSES:
        raise ValueError(f"A one-time link is for one of {PURPOSES}, not {purpose!r}")
    conn.execute(delete(one_time_links).where(one_time_links.c.expires_at < now - timedelta(days=1)))
    conn.execute(
        update(one_time_links)
        .where(one_time_links.c.principal_kind == principal_kind)
        .where(one_time_links.c.principal_id == principal_id)
        .where(one_time_links.c.purpose == purpose)
        .where(one_time_links.c.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(one_time_links).values(
            token_hash=token_hash(token),
            purpose=purpose,
            principal_kind=principal_kind,
            principal_id=principal_id,
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
            used_at=None,
        )
    )
    return token


def redeem_link(conn: Connection, token: str, purpose: str, now: datetime) -> tuple[str, UUID] | None:
    """Who the link is for, as (principal kind, principal id), using it up; None when the token is
    unknown, for another purpose, expired or used already."""
    hashed = token_hash(token)
    used = conn.execute(
        update(one_time_links)
        .where(one_time_links.c.token_hash == hashed)
        .where(one_time_links.c.purpose == purpose)
        .where(one_time_links.c.used_at.is_(None))
        .where(one_time_links.c.expires_at > now)
        .values(used_at=now)
    )
    if used.rowcount != 1:
        return None
    row = conn.execute(
        select(one_time_links.c.principal_kind, one_time_links.c.principal_id).where(
            one_time_links.c.token_hash == hashed
        )
    ).one()
    return row.principal_kind, row.principal_id


def forget_links(conn: Connection, principal_kind: str, principal_id: UUID) -> None:
    """Removes someone's links altogether: their personal data is being erased."""
    conn.execute(
        delete(one_time_links)
        .where(one_time_links.c.principal_kind == principal_kind)
        .where(one_time_links.c.principal_id == principal_id)
    )
