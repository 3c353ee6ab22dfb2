"""Slows down guessing passwords (ASVS 5.0 V6.3.1): after too many failed sign-ins for one account,
or from one address, in a window of time, sign-in is refused until the window has moved on.

Per account (key `account_key(email)`): 5 failures in 15 minutes. Guessing one person's password
stops there, from however many addresses it comes.
Per address (key `address_key(ip)`): 20 failures in 15 minutes. One machine trying a few passwords
against many accounts stops there.

The window slides: a failure counts for 15 minutes after it happened, then no longer; nobody is
locked out for good. Someone who knows a person's email can still keep that person's password
sign-in refused, failing five times every 15 minutes: an emailed link (password reset) is the way
in that guessing cannot block, and redeeming it should clear the account's failures. A right
password clears the account's failures; leave the address's alone, or one account an attacker
holds would wipe the slate for their guesses at others.

How to use it: refuse without checking the password when `is_throttled` says so for the account's
key or the address's; after a wrong password (or an unknown email: the same answer, so no one learns
which) `record_failure` for both; after a right one `clear_failures` for the account's key. Failures
are counted after the password is checked, so guesses sent all at once can pass before the first
failure is written: no more at a time than the server serves at once (its workers and threads).

Kept in the database, not in a process's memory: every worker of the web server and every process
sees the same counts, with no other service to run. (Flask-Limiter keeps its counts in a process's
memory by default; its other storages, through the `limits` library, are Redis, Memcached, MongoDB
and etcd, never SQL; and it counts requests, where we count failures.) Keys are kept as their
SHA-256, out of casual sight (not secret: an IP address's hash is found by trying them all), and
rows are removed once the window has left them behind. Every function takes the caller's
`Connection`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select

from cotrace.sign_in_tables import sign_in_failures, token_hash

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
LIMITS = {"account": ACCOUNT_LIMIT, "address": ADDRESS_LIMIT}


def account_key(email: str) -> str:
    """The key counting failures against one account, by the email address given."""
    return f"account:{email.strip().lower()}"


def address_key(ip: str) -> str:
    """The key counting failures from one client address."""
    return f"address:{ip}"


def is_throttled(conn: Connection, key: str, now: datetime) -> bool:
    """Whether the key has failed as often as its limit allows within the window up to now: then
    refuse to sign in, without checking the password."""
    failures = conn.scalar(
        select(func.count())
        .select_from(sign_in_failures)
        .where(sign_in_failures.c.key == token_hash(key))
        .where(sign_in_failures.c.at > now - WINDOW)
    )
    return failures >= _limit(key)


def record_failure(conn: Connection, key: str, now: datetime) -> None:
    """Counts one failed sign-in against the key; forgets failures the window has left behind."""
    _limit(key)  # an unknown kind of key fails here, not silently later
    conn.execute(delete(sign_in_failures).where(sign_in_failures.c.at <= now - WINDOW))
    conn.execute(insert(sign_in_failures).values(key=token_hash(key), at=now))


def clear_failures(conn: Connection, key: str) -> None:
    """Forgets the key's failures: its account was just signed in to with the right password."""
    conn.execute(delete(sign_in_failures).where(sign_in_failures.c.key == token_hash(key)))


def _limit(key: str) -> int:
    kind = key.partition(":")[0]
    if kind not in LIMITS:
        raise ValueError(f"A throttle key starts with one of {tuple(LIMITS)}, not {key!r}")
    return LIMITS[kind]
