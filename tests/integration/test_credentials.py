"""An account's email, password and second factor, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from argon2 import PasswordHasher
from sqlalchemy import inspect, select

from cotrace import credentials, passwords, sign_in_sessions
from cotrace.credentials import (
    account_for_email,
    begin_totp,
    check_password,
    check_totp,
    confirm_totp,
    forget,
    has_totp,
    provisioning_uri,
    set_email,
    set_password,
)
from cotrace.sign_in_tables import credentials as credentials_table
from domain.errors import NotFound, RulesBroken

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)
PASSWORD = "seven bridges over the river"


@pytest.fixture
def conn(sign_in_engine):
    with sign_in_engine.begin() as connection:
        yield connection


@pytest.fixture
def sam(conn):
    account_id = uuid.uuid4()
    set_email(conn, account_id, "  Sam.Jones@Example.org ")
    set_password(conn, account_id, PASSWORD, NOW)
    return account_id


def test_open_services_makes_the_tables_of_signing_in(services):
    tables = set(inspect(services.engine).get_table_names())
    assert {"credentials", "sign_in_sessions", "one_time_links", "sign_in_failures"} <= tables


def test_the_email_is_kept_stripped_and_lowercased_and_found_in_any_case(conn, sam):
    assert conn.scalar(select(credentials_table.c.email)) == "sam.jones@example.org"
    assert account_for_email(conn, "SAM.JONES@example.org") == sam
    assert account_for_email(conn, "someone@example.org") is None


def test_an_email_address_belongs_to_one_account(conn, sam):
    with pytest.raises(RulesBroken) as broken:
        set_email(conn, uuid.uuid4(), "sam.jones@EXAMPLE.org")
    assert broken.value.by_field() == {"email": "Another account already uses this email address"}
    set_email(conn, sam, "sam@example.org")  # changing one's own address
    assert account_for_email(conn, "sam@example.org") == sam
    assert account_for_email(conn, "sam.jones@example.org") is None


def test_an_email_address_must_be_one_well_formed_address(conn):
    for wrong in [
        "",
        "sam",
        "sam@",
        "sam@example.org, alex@example.org",
        "sam@example.org\nBcc: x@example.org",
    ]:
        with pytest.raises(RulesBroken) as broken:
            set_email(conn, uuid.uuid4(), wrong)
        assert broken.value.by_field() == {
            "email": "Enter an email address in the correct format, like name@example.com"
        }, wrong
    assert conn.scalar(select(credentials_table.c.email)) is None


def test_the_right_password_signs_in_and_nothing_else_does(conn, sam):
    assert check_password(conn, "Sam.Jones@example.org", PASSWORD) == sam
    assert check_password(conn, "sam.jones@example.org", PASSWORD.upper()) is None
    assert check_password(conn, "sam.jones@example.org", "") is None
    assert check_password(conn, "nobody@example.org", PASSWORD) is None


def test_only_the_hash_is_kept_and_it_is_argon2id(conn, sam):
    kept = conn.scalar(select(credentials_table.c.password_hash))
    assert kept.startswith("$argon2id$")
    assert PASSWORD not in kept


def test_an_unknown_email_is_checked_against_a_hash_all_the_same(conn, monkeypatch):
    """So the time taken does not tell whether an account exists."""
    verified = []
    real = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda *given: verified.append(given) or real(*given))
    assert check_password(conn, "nobody@example.org", PASSWORD) is None
    ((dummy_hash, password),) = verified
    assert dummy_hash.startswith("$argon2id$") and password == PASSWORD


def test_an_account_with_no_password_signs_in_with_none(conn):
    account_id = uuid.uuid4()
    set_email(conn, account_id, "link.only@example.org")
    assert check_password(conn, "link.only@example.org", "") is None
    assert check_password(conn, "link.only@example.org", PASSWORD) is None
    assert not credentials.has_password(conn, account_id)


def test_a_weak_password_is_refused_with_every_problem_and_nothing_changes(conn, sam):
    for weak in ["short", "password123", "sam.jones@example.org", "sam.jones"]:
        with pytest.raises(RulesBroken) as broken:
            set_password(conn, sam, weak, NOW)
        assert {problem.field for problem in broken.value.problems} == {"password"}, weak
    with pytest.raises(RulesBroken) as broken:
        set_password(conn, sam, "Sam Jones", NOW, name="Sam Jones")
    assert broken.value.by_field()["password"] == "Password must not be your email address or your name"
    assert check_password(conn, "sam.jones@example.org", PASSWORD) == sam


def test_a_password_needs_an_account_with_an_email(conn):
    with pytest.raises(NotFound):
        set_password(conn, uuid.uuid4(), PASSWORD, NOW)


def test_a_64_character_and_a_unicode_password_are_accepted(conn, sam):
    long_one = "the river runs under seven bridges and past the old mill to the s"[:64]
    assert len(long_one) == 64
    set_password(conn, sam, long_one, NOW)
    assert check_password(conn, "sam.jones@example.org", long_one) == sam
    unicode_one = "Мост через реку 🌉 pont sur la rivière"
    set_password(conn, sam, unicode_one, NOW)
    assert check_password(conn, "sam.jones@example.org", unicode_one) == sam
    assert check_password(conn, "sam.jones@example.org", long_one) is None


def test_changing_the_password_signs_out_everywhere_but_where_it_was_changed(conn, sam):
    here = sign_in_sessions.open_session(conn, "account", sam, NOW)
    elsewhere = sign_in_sessions.open_session(conn, "account", sam, NOW)
    later = NOW + timedelta(minutes=5)
    set_password(conn, sam, "a new and longer passphrase", later, keep_session=here)
    assert sign_in_sessions.find_session(conn, here, later) is not None
    assert sign_in_sessions.find_session(conn, elsewhere, later) is None


def test_a_hash_made_with_older_parameters_is_made_again_at_sign_in(conn, sam, monkeypatch):
    before = conn.scalar(select(credentials_table.c.password_hash))
    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    monkeypatch.setattr(passwords, "hasher", stronger)
    assert passwords.needs_rehash(before)
    assert check_password(conn, "sam.jones@example.org", PASSWORD) == sam
    after = conn.scalar(select(credentials_table.c.password_hash))
    assert after != before and after.startswith("$argon2id$")
    assert not passwords.needs_rehash(after)
    assert check_password(conn, "sam.jones@example.org", PASSWORD) == sam


def test_forgetting_an_account_removes_its_credentials_and_sessions(conn, sam):
    token = sign_in_sessions.open_session(conn, "account", sam, NOW)
    forget(conn, sam)
    assert account_for_email(conn, "sam.jones@example.org") is None
    assert check_password(conn, "sam.jones@example.org", PASSWORD) is None
    assert sign_in_sessions.find_session(conn, token, NOW) is None


# The second factor


def enrolled(conn, account_id) -> str:
    secret = begin_totp(conn, account_id)
    assert confirm_totp(conn, account_id, pyotp.TOTP(secret).at(NOW), NOW)
    return secret


def test_a_second_factor_counts_once_confirmed_with_a_code(conn, sam):
    secret = begin_totp(conn, sam)
    assert not has_totp(conn, sam)
    assert not check_totp(conn, sam, pyotp.TOTP(secret).at(NOW), NOW)  # pending is not active
    assert not confirm_totp(conn, sam, "000000" if pyotp.TOTP(secret).at(NOW) != "000000" else "111111", NOW)
    assert not has_totp(conn, sam)
    assert confirm_totp(conn, sam, pyotp.TOTP(secret).at(NOW), NOW)
    assert has_totp(conn, sam)


def test_the_provisioning_uri_names_the_issuer_and_account(conn, sam):
    uri = provisioning_uri(begin_totp(conn, sam), "sam.jones@example.org")
    assert uri.startswith("otpauth://totp/Cotrace:sam.jones%40example.org?secret=")
    assert "issuer=Cotrace" in uri


def test_the_right_code_passes_and_a_wrong_one_does_not(conn, sam):
    secret = enrolled(conn, sam)
    later = NOW + timedelta(minutes=2)
    right = pyotp.TOTP(secret).at(later)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    assert not check_totp(conn, sam, wrong, later)
    assert not check_totp(conn, sam, "12345", later)
    assert not check_totp(conn, sam, "abcdef", later)
    assert check_totp(conn, sam, right[:3] + " " + right[3:], later)


def test_a_code_is_accepted_one_step_either_side_and_no_further(conn, sam):
    secret = enrolled(conn, sam)
    totp = pyotp.TOTP(secret)
    later = NOW + timedelta(minutes=10)
    assert not check_totp(conn, sam, totp.at(later, counter_offset=-2), later)
    assert check_totp(conn, sam, totp.at(later, counter_offset=-1), later)
    assert check_totp(conn, sam, totp.at(later, counter_offset=1), later)
    assert not check_totp(conn, sam, totp.at(later, counter_offset=2), later)


def test_a_code_used_once_is_refused_after(conn, sam):
    secret = enrolled(conn, sam)
    later = NOW + timedelta(minutes=2)
    code = pyotp.TOTP(secret).at(later)
    assert check_totp(conn, sam, code, later)
    assert not check_totp(conn, sam, code, later)
    assert not check_totp(conn, sam, code, later + timedelta(seconds=20))  # still within the window
    # An earlier step's code is refused too, once a later one was used.
    assert not check_totp(conn, sam, pyotp.TOTP(secret).at(later, counter_offset=-1), later)
    assert check_totp(
        conn, sam, pyotp.TOTP(secret).at(later + timedelta(seconds=30)), later + timedelta(seconds=30)
    )


def test_the_code_that_confirmed_the_second_factor_cannot_sign_in(conn, sam):
    secret = enrolled(conn, sam)
    assert not check_totp(conn, sam, pyotp.TOTP(secret).at(NOW), NOW)


def test_turning_the_second_factor_off_removes_it(conn, sam):
    secret = enrolled(conn, sam)
    credentials.turn_off_totp(conn, sam)
    assert not has_totp(conn, sam)
    later = NOW + timedelta(minutes=1)
    assert not check_totp(conn, sam, pyotp.TOTP(secret).at(later), later)


def test_an_account_without_a_second_factor_passes_no_code(conn, sam):
    assert not check_totp(conn, sam, "123456", NOW)
    assert not confirm_totp(conn, sam, "123456", NOW)
    with pytest.raises(NotFound):
        begin_totp(conn, uuid.uuid4())
