"""An account's means of signing in: its email address, its password's hash, its second factor.

Every function takes the caller's `Connection` and writes inside the caller's transaction (from a
view, `with services.engine.begin() as conn:`; within a unit of work, `session.connection()`), so
a change of password and the end of the account's other sessions commit together.

The second factor is TOTP (RFC 6238, pyotp): six digits from an authenticator app, new every 30
seconds. A code is accepted one step either side of now, for clocks that drift, and never twice:
the step of the last accepted code is kept, and a code of that step or earlier is refused (ASVS 5.0
V6.5.1), so a code seen over someone's shoulder cannot be used again.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import pyotp
from argon2 import PasswordHasher
from pyotp.exceptions import OTPVerificationError
from sqlalchemy import Connection, delete, insert, select, update

from cotrace import one_time_links, passwords, sign_in_sessions
from cotrace.sign_in_tables import credentials
from domain.addresses import is_one_address
from domain.errors import NotFound, Problems

TOTP_WINDOW = 1  # steps either side of now
ISSUER = "Cotrace"
# A password no one has, checked when no account has the email given, so that the answer takes
# as long as for an account that exists: the time taken does not tell who has an account.
_DUMMY_PASSWORD = "no account has this password; it only spends the time a real check would"
_dummy: list[tuple[PasswordHasher, str]] = []  # the hasher in use, and its hash of the above


def normalized_email(email: str) -> str:
    """An email address as kept and looked up: without surrounding spaces, lowercased."""
    return email.strip().lower()


def set_email(conn: Connection, account_id: UUID, email: str) -> None:
    """Gives an account the email address it signs in with; raises `RulesBroken` (field "email")
    when it is not one address, or another account has it already."""
    email = normalized_email(email)
    problems = Problems()
    if not is_one_address(email):
        problems.add("email", "Enter an email address in the correct format, like name@example.com")
    elif account_for_email(conn, email) not in (None, account_id):
        problems.add("email", "Another account already uses this email address")
    problems.raise_if_any()
    changed = conn.execute(
        update(credentials).where(credentials.c.account_id == account_id).values(email=email)
    )
    if changed.rowcount == 0:
        conn.execute(insert(credentials).values(account_id=account_id, email=email))


def set_password(
    conn: Connection,
    account_id: UUID,
    password: str,
    now: datetime,
    name: str = "",
    keep_session: str | None = None,
) -> None:
    """Sets an account's password, once it meets the rules (`passwords.password_problems`; broken,
    `RulesBroken` with field "password"), and ends every session of the account but `keep_session`
    (the token of the session that changed it, if any): whoever knew the old password is out."""
    email = conn.scalar(select(credentials.c.email).where(credentials.c.account_id == account_id))
    if email is None:
        raise NotFound(f"No email address is set for account {account_id}")
    problems = Problems()
    for message in passwords.password_problems(password, email=email, name=name):
        problems.add("password", message)
    problems.raise_if_any()
    conn.execute(
        update(credentials)
        .where(credentials.c.account_id == account_id)
        .values(password_hash=passwords.hash_password(password))
    )
    sign_in_sessions.end_all_sessions(conn, "account", account_id, now, keep=keep_session)


def check_password(conn: Connection, email: str, password: str) -> UUID | None:
    """The account whose email and password these are, or None. Takes as long for an unknown email
    as for a known one. A hash made with older parameters is made again with today's."""
    row = conn.execute(
        select(credentials.c.account_id, credentials.c.password_hash).where(
            credentials.c.email == normalized_email(email)
        )
    ).first()
    if row is None or row.password_hash is None:
        passwords.verify_password(_dummy_hash(), password)
        return None
    if not passwords.verify_password(row.password_hash, password):
        return None
    if passwords.needs_rehash(row.password_hash):
        conn.execute(
            update(credentials)
            .where(credentials.c.account_id == row.account_id)
            .values(password_hash=passwords.hash_password(password))
        )
    return row.account_id


def has_password(conn: Connection, account_id: UUID) -> bool:
    """Whether the account has set a password (else it signs in by emailed link, or not yet)."""
    found = conn.scalar(select(credentials.c.password_hash).where(credentials.c.account_id == account_id))
    return found is not None


def account_for_email(conn: Connection, email: str) -> UUID | None:
    """The account that signs in with this email address, if any."""
    return conn.scalar(select(credentials.c.account_id).where(credentials.c.email == normalized_email(email)))


def email_of(conn: Connection, account_id: UUID) -> str | None:
    """The email address an account signs in with, if it has one."""
    return conn.scalar(select(credentials.c.email).where(credentials.c.account_id == account_id))


def begin_totp(conn: Connection, account_id: UUID) -> str:
    """A new second-factor secret for the account to add to its authenticator app (show it as
    `provisioning_uri`). It counts only once `confirm_totp` has seen a code made from it."""
    secret = pyotp.random_base32()
    changed = conn.execute(
        update(credentials).where(credentials.c.account_id == account_id).values(totp_pending_secret=secret)
    )
    if changed.rowcount == 0:
        raise NotFound(f"No email address is set for account {account_id}")
    return secret


def provisioning_uri(secret: str, email: str, issuer: str = ISSUER) -> str:
    """The otpauth:// address an authenticator app reads from a QR code, or typed in."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def confirm_totp(conn: Connection, account_id: UUID, code: str, now: datetime) -> bool:
    """Makes the pending secret the account's second factor, if the code was made from it."""
    pending = conn.scalar(
        select(credentials.c.totp_pending_secret).where(credentials.c.account_id == account_id)
    )
    if pending is None:
        return False
    step = _matching_step(pending, code, now)
    if step is None:
        return False
    conn.execute(
        update(credentials)
        .where(credentials.c.account_id == account_id)
        .where(credentials.c.totp_pending_secret == pending)
        .values(totp_secret=pending, totp_pending_secret=None, totp_last_step=step)
    )
    return True


def has_totp(conn: Connection, account_id: UUID) -> bool:
    """Whether the account has a confirmed second factor."""
    found = conn.scalar(select(credentials.c.totp_secret).where(credentials.c.account_id == account_id))
    return found is not None


def check_totp(conn: Connection, account_id: UUID, code: str, now: datetime) -> bool:
    """Whether the code is the account's second factor now, and was not used before. Accepting it
    keeps its step in the same statement that checks it, so two requests racing with one code
    cannot both pass."""
    secret = conn.scalar(select(credentials.c.totp_secret).where(credentials.c.account_id == account_id))
    if secret is None:
        return False
    step = _matching_step(secret, code, now)
    if step is None:
        return False
    kept = conn.execute(
        update(credentials)
        .where(credentials.c.account_id == account_id)
        .where(credentials.c.totp_secret == secret)
        .where((credentials.c.totp_last_step.is_(None)) | (credentials.c.totp_last_step < step))
        .values(totp_last_step=step)
    )
    return kept.rowcount == 1


def turn_off_totp(conn: Connection, account_id: UUID) -> None:
    """Removes the account's second factor, confirmed or pending (a lost phone, reset by an admin)."""
    conn.execute(
        update(credentials)
        .where(credentials.c.account_id == account_id)
        .values(totp_secret=None, totp_pending_secret=None, totp_last_step=None)
    )


def forget(conn: Connection, account_id: UUID) -> None:
    """Removes everything the account signed in with, for good: its personal data is being erased.
    Its sessions and its one-time links go too."""
    conn.execute(delete(credentials).where(credentials.c.account_id == account_id))
    sign_in_sessions.forget_sessions(conn, "account", account_id)
    one_time_links.forget_links(conn, "account", account_id)


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step, within the window, whose code this is; None for no step."""
    code = "".join(code.split())  # "123 456", as some apps show it
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        return None
    try:
        return pyotp.TOTP(secret).verify_and_get_timecode(code, for_time=now, valid_window=TOTP_WINDOW)
    except OTPVerificationError:
        return None


def _dummy_hash() -> str:
    """A hash of no one's password, made once for each hasher in use (tests swap it)."""
    if not _dummy or _dummy[0][0] is not passwords.hasher:
        _dummy[:] = [(passwords.hasher, passwords.hash_password(_DUMMY_PASSWORD))]
    return _dummy[0][1]
