"""Guessing passwords is slowed: per account and per address, in a sliding window; on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from cotrace.sign_in_tables import sign_in_failures
from cotrace.throttle import (
    ACCOUNT_LIMIT,
    ADDRESS_LIMIT,
    WINDOW,
    account_key,
    address_key,
    clear_failures,
    is_throttled,
    record_failure,
)

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)
SAM = account_key(" Sam.Jones@example.org")


@pytest.fixture
def conn(sign_in_engine):
    with sign_in_engine.begin() as connection:
        yield connection


def fail(conn, key, times, start=NOW, every=timedelta(seconds=10)):
    for n in range(times):
        record_failure(conn, key, start + n * every)


def test_five_failures_for_an_account_block_the_sixth_try(conn):
    assert (ACCOUNT_LIMIT, WINDOW) == (5, timedelta(minutes=15))
    fail(conn, SAM, 4)
    assert not is_throttled(conn, SAM, NOW + timedelta(minutes=1))
    fail(conn, SAM, 1, start=NOW + timedelta(minutes=1))
    assert is_throttled(conn, SAM, NOW + timedelta(minutes=1))
    assert is_throttled(conn, account_key("sam.jones@EXAMPLE.org"), NOW + timedelta(minutes=1))
    assert not is_throttled(conn, account_key("alex@example.org"), NOW + timedelta(minutes=1))


def test_the_window_slides_and_the_account_opens_again(conn):
    fail(conn, SAM, 5, every=timedelta(minutes=1))  # 09:00 to 09:04
    assert is_throttled(conn, SAM, NOW + timedelta(minutes=14))
    assert not is_throttled(conn, SAM, NOW + WINDOW)  # the 09:00 failure has left the window
    assert not is_throttled(conn, SAM, NOW + timedelta(minutes=20))


def test_twenty_failures_from_one_address_block_it_whatever_the_accounts(conn):
    address = address_key("203.0.113.7")
    fail(conn, address, ADDRESS_LIMIT - 1)
    assert not is_throttled(conn, address, NOW + timedelta(minutes=5))
    fail(conn, address, 1, start=NOW + timedelta(minutes=5))
    assert is_throttled(conn, address, NOW + timedelta(minutes=5))
    assert not is_throttled(conn, address_key("203.0.113.8"), NOW + timedelta(minutes=5))


def test_a_right_password_clears_the_accounts_failures(conn):
    fail(conn, SAM, 5)
    clear_failures(conn, SAM)
    assert not is_throttled(conn, SAM, NOW + timedelta(minutes=1))


def test_failures_the_window_left_behind_are_removed_and_no_address_is_kept(conn):
    fail(conn, address_key("203.0.113.7"), 3)
    record_failure(conn, SAM, NOW + WINDOW + timedelta(minutes=1))
    assert conn.scalar(select(func.count()).select_from(sign_in_failures)) == 1
    assert "sam" not in conn.scalar(select(sign_in_failures.c.key))


def test_keys_name_an_account_or_an_address(conn):
    with pytest.raises(ValueError):
        record_failure(conn, "sam@example.org", NOW)
    with pytest.raises(ValueError):
        is_throttled(conn, "user:sam", NOW)
