"""Which passwords we accept (OWASP ASVS 5.0 V6.2), and how they are hashed (argon2id)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.low_level import Type
from argon2.profiles import RFC_9106_LOW_MEMORY

from cotrace import passwords
from cotrace.passwords import hash_password, needs_rehash, password_problems, verify_password

EMAIL = "sam.jones@example.org"
GOOD = "correct horse battery staple"


def test_a_long_passphrase_is_accepted():
    assert password_problems(GOOD, email=EMAIL, name="Sam Jones") == []


def test_an_empty_password_is_asked_for():
    assert password_problems("") == ["Enter a password"]


def test_a_short_password_is_refused_and_a_longer_one_suggested():
    (problem,) = password_problems("k7#Qz!p", email=EMAIL)
    assert "8 characters or more" in problem
    assert "15 or more" in problem
    assert password_problems("k7#Qz!p2", email=EMAIL) == []


def test_passwords_up_to_128_characters_are_accepted_whole():
    sixty_four = "a wide river runs under seven bridges in the old town of Riversi"
    assert len(sixty_four) == 64
    assert password_problems(sixty_four) == []
    assert password_problems("x" * 128) == []
    assert password_problems("x" * 129) == ["Password must be 128 characters or fewer"]
    # Not truncated: the 64th character counts.
    hashed = hash_password(sixty_four)
    assert not verify_password(hashed, sixty_four[:-1] + "e")


def test_any_characters_are_accepted_with_no_composition_rules():
    for password in ["только строчные буквы", "ünïcödé pässwörd 🌊🌉", "alllowercaseletters", "   spaces   "]:
        assert password_problems(password) == [], password


def test_common_and_breached_passwords_are_refused_whatever_their_case():
    for password in ["password", "PASSWORD", "Password1", "qwertyuiop", "iloveyou", "trustno1", "12345678"]:
        problems = password_problems(password)
        assert any("common passwords" in problem for problem in problems), password


def test_the_shipped_list_is_lowercased_and_large():
    common = passwords.common_passwords()
    assert len(common) == 30_000
    assert all(word == word.lower() for word in common)
    assert not any(word.startswith("#") for word in common)


def test_the_email_address_or_name_is_refused_as_the_password():
    for password in [EMAIL, EMAIL.upper(), "sam.jones", "Sam Jones", "samjones"]:
        assert password_problems(password, email=EMAIL, name="Sam Jones") == [
            "Password must not be your email address or your name"
        ], password


def test_a_password_is_hashed_with_argon2id_and_verified():
    hashed = hash_password(GOOD)
    assert hashed.startswith("$argon2id$")
    assert GOOD not in hashed
    assert verify_password(hashed, GOOD)
    assert not verify_password(hashed, GOOD.upper())
    assert hash_password(GOOD) != hashed  # a salt of its own each time


def test_a_damaged_hash_matches_nothing():
    assert not verify_password("not a hash", GOOD)
    assert not verify_password("", GOOD)


def test_unicode_passwords_match_however_the_keyboard_composed_them():
    composed, decomposed = "caf\u00e9 au lait sur la plage", "cafe\u0301 au lait sur la plage"
    assert composed != decomposed
    assert verify_password(hash_password(composed), decomposed)


def test_a_hash_made_with_other_parameters_needs_making_again():
    assert not needs_rehash(hash_password(GOOD))
    older = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY).hash(GOOD)
    assert verify_password(older, GOOD)
    assert needs_rehash(older)


def test_outside_tests_hashes_cost_at_least_what_owasp_asks_of_argon2id():
    # OWASP's password storage cheat sheet: argon2id, 19 MiB, 2 iterations, 1 degree of parallelism.
    assert passwords.PARAMETERS.type is Type.ID
    assert passwords.PARAMETERS.memory_cost >= 19 * 1024
    assert passwords.PARAMETERS.time_cost >= 2
