"""The tables of signing in, kept beside the event log in the same database but outside it.

Secrets do not belong in an append-only log: a password hash, a second factor's secret, a session
must be changed and removed for good (a password changed, an account's personal data erased).
`create_tables(engine)` makes them all; `open_services` calls it.

Tokens (sessions, one-time links) are kept only as their SHA-256: whoever reads the database cannot
sign in with what they read. Times are UTC, given and read back timezone-aware on both databases.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Dialect,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    TypeDecorator,
    Uuid,
)

metadata = MetaData()


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC time. SQLite keeps no zone and gives naive times back; this makes them
    UTC again, so times read compare with the `now` a caller passes in."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Times for the sign-in tables must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


credentials = Table(
    "credentials",
    metadata,
    Column("account_id", Uuid, primary_key=True),
    Column("email", String(254), nullable=False, unique=True, index=True),  # stripped, lowercased
    Column("password_hash", String(255), nullable=True),  # none: signs in by emailed link only
    Column("totp_secret", String(64), nullable=True),  # the second factor, once confirmed
    Column("totp_pending_secret", String(64), nullable=True),  # shown to set up, not yet confirmed
    Column("totp_last_step", Integer, nullable=True),  # the last time step whose code was accepted
)

sign_in_sessions = Table(
    "sign_in_sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # SHA-256 of the token, in hex
    Column("principal_kind", String(16), nullable=False),  # "account" or "participant"
    Column("principal_id", Uuid, nullable=False),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("second_factor", Boolean, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),
    Index("sign_in_sessions_principal", "principal_kind", "principal_id"),
)

one_time_links = Table(
    "one_time_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # SHA-256 of the token, in hex
    Column("purpose", String(32), nullable=False),  # "sign-in" or "reset-password"
    Column("principal_kind", String(16), nullable=False),
    Column("principal_id", Uuid, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
    Column("used_at", UtcDateTime, nullable=True),
    Index("one_time_links_principal", "principal_kind", "principal_id", "purpose"),
)

sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False),  # SHA-256 of "account:<email>" or "address:<ip>", in hex
    Column("at", UtcDateTime, nullable=False, index=True),
    Index("sign_in_failures_key_at", "key", "at"),
)


def create_tables(engine: Engine) -> None:
    """Makes the tables of signing in that do not exist yet."""
    metadata.create_all(engine)


def token_hash(token: str) -> str:
    """What we keep of a token: enough to find it again when it is shown, useless to sign in with."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
