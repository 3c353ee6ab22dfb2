"""Passwords: which ones we accept, and how we keep them (OWASP ASVS 5.0 level 2, chapter V6).

The rules are few on purpose (V6.2): long enough, not absurdly long, any characters at all (spaces,
accents, emoji), no rules about mixing digits and symbols, and not one that attackers try first: a
common or breached password, or the person's own email address or name.

A password is kept only as an argon2id hash (V11.4), with the parameters OWASP's password storage
cheat sheet recommends first: 19 MiB, 2 passes, 1 lane. On a busy two-core machine a hash took
0.13 to 0.2 seconds; RFC 9106's low-memory profile (argon2-cffi's default: 64 MiB, 3 passes, 4
lanes) took 0.75 to 1.3, with three times the memory, a cost that guessers hammering the sign-in
page could turn against the server. A hash made with other parameters is made again at the next
right password (`needs_rehash`), so the cost can be raised later.

Before hashing and checking, a password is put in Unicode's NFKC form, as NIST SP 800-63B advises,
so an accented letter typed on one keyboard matches the same letter typed on another.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import RFC_9106_LOW_MEMORY

MIN_LENGTH = 8
RECOMMENDED_LENGTH = 15
MAX_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt"

# The one hasher. Tests swap it for a cheaper argon2id one (tests/integration/conftest.py) so the
# suite stays fast; a hash made with other parameters still verifies, and `needs_rehash` tells.
PARAMETERS = dataclasses.replace(RFC_9106_LOW_MEMORY, memory_cost=19 * 1024, time_cost=2, parallelism=1)
hasher = PasswordHasher.from_parameters(PARAMETERS)


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common and breached passwords, lowercased; read once."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problems(password: str, email: str = "", name: str = "") -> list[str]:
    """What is wrong with a new password, in plain English; an empty list when it will do."""
    if not password:
        return ["Enter a password"]
    problems = []
    length = len(_normalized(password))
    if length < MIN_LENGTH:
        problems.append(
            f"Password must be {MIN_LENGTH} characters or more. {RECOMMENDED_LENGTH} or more is better:"
            " try three or four words you will remember"
        )
    if length > MAX_LENGTH:
        problems.append(f"Password must be {MAX_LENGTH} characters or fewer")
    folded = _normalized(password).casefold()
    if folded in common_passwords() or folded.strip() in common_passwords():
        problems.append(
            "This password is on a list of common passwords that attackers try first. Choose another"
        )
    if folded.strip() in _personal_words(email, name):
        problems.append("Password must not be your email address or your name")
    return problems


def hash_password(password: str) -> str:
    """An argon2id hash of the password, with a salt of its own, to keep instead of the password."""
    return hasher.hash(_normalized(password))


def verify_password(password_hash: str, password: str) -> bool:
    """Whether the password is the one the hash was made from. A damaged hash matches nothing."""
    try:
        return hasher.verify(password_hash, _normalized(password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters than today's: then hash the password again
    when it is next given, the one moment we have it."""
    return hasher.check_needs_rehash(password_hash)


def _normalized(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def _personal_words(email: str, name: str) -> set[str]:
    email = _normalized(email).strip().casefold()
    name = _normalized(name).strip().casefold()
    words = {email, email.partition("@")[0], name, name.replace(" ", "")}
    return {word for word in words if word}
