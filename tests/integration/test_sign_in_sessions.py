"""Sessions kept on the server: found by their token, ended by signing out, by idling, by age, and
everywhere at once; on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from cotrace.sign_in_sessions import (
    ABSOLUTE,
    IDLE,
    end_all_sessions,
    end_session,
    find_session,
    open_session,
    pass_second_factor,
)
from cotrace.sign_in_tables import sign_in_sessions, token_hash

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


@pytest.fixture
def conn(sign_in_engine):
    with sign_in_engine.begin() as connection:
        yield connection


def test_a_session_is_found_by_its_token_and_only_its_hash_is_kept(conn):
    account_id = uuid.uuid4()
    token = open_session(conn, "account", account_id, NOW)
    found = find_session(conn, token, NOW + timedelta(minutes=1))
    assert (found.principal_kind, found.principal_id, found.second_factor) == ("account", account_id, False)
    assert found.created_at == NOW
    assert token not in conn.scalars(select(sign_in_sessions.c.id)).all()
    assert find_session(conn, token + "x", NOW) is None
    assert find_session(conn, "", NOW) is None


def test_each_session_has_a_token_of_its_own(conn):
    participant_id = uuid.uuid4()
    tokens = {open_session(conn, "participant", participant_id, NOW) for _ in range(3)}
    assert len(tokens) == 3
    assert all(len(token) >= 43 for token in tokens)  # 32 random bytes


def test_signing_out_ends_the_session(conn):
    token = open_session(conn, "account", uuid.uuid4(), NOW)
    end_session(conn, token, NOW + timedelta(minutes=1))
    assert find_session(conn, token, NOW + timedelta(minutes=1)) is None


def test_a_session_idle_for_longer_than_the_idle_timeout_ends(conn):
    just_in_time = open_session(conn, "account", uuid.uuid4(), NOW)
    too_late = open_session(conn, "account", uuid.uuid4(), NOW)
    assert find_session(conn, just_in_time, NOW + IDLE) is not None
    assert find_session(conn, too_late, NOW + IDLE + timedelta(seconds=1)) is None
    # Found idle too long, a session is ended for good, whatever the clock says later.
    assert find_session(conn, too_late, NOW + timedelta(seconds=1)) is None


def test_each_request_keeps_a_session_alive_but_seen_is_written_at_most_once_a_minute(conn):
    token = open_session(conn, "account", uuid.uuid4(), NOW)
    seen = lambda: conn.scalar(select(sign_in_sessions.c.last_seen_at))  # noqa: E731
    find_session(conn, token, NOW + timedelta(seconds=30))
    assert seen() == NOW
    find_session(conn, token, NOW + timedelta(minutes=20))
    assert seen() == NOW + timedelta(minutes=20)
    # Busy, with never 30 minutes between requests: alive after 40 minutes.
    assert find_session(conn, token, NOW + timedelta(minutes=40)) is not None


def test_a_busy_session_still_ends_at_the_absolute_timeout(conn):
    token = open_session(conn, "account", uuid.uuid4(), NOW)
    moment = NOW
    while moment + timedelta(minutes=20) <= NOW + ABSOLUTE:
        moment += timedelta(minutes=20)
        assert find_session(conn, token, moment) is not None
    assert find_session(conn, token, NOW + ABSOLUTE + timedelta(seconds=1)) is None


def test_signing_out_everywhere_ends_every_session_of_that_person_only(conn):
    sam, alex = uuid.uuid4(), uuid.uuid4()
    phone = open_session(conn, "account", sam, NOW)
    laptop = open_session(conn, "account", sam, NOW)
    alexs = open_session(conn, "account", alex, NOW)
    same_id_other_kind = open_session(conn, "participant", sam, NOW)
    assert end_all_sessions(conn, "account", sam, NOW) == 2
    assert find_session(conn, phone, NOW) is None
    assert find_session(conn, laptop, NOW) is None
    assert find_session(conn, alexs, NOW) is not None
    assert find_session(conn, same_id_other_kind, NOW) is not None


def test_signing_out_everywhere_else_keeps_the_session_asking(conn):
    sam = uuid.uuid4()
    here, there = open_session(conn, "account", sam, NOW), open_session(conn, "account", sam, NOW)
    assert end_all_sessions(conn, "account", sam, NOW, keep=here) == 1
    assert find_session(conn, here, NOW) is not None
    assert find_session(conn, there, NOW) is None


def test_passing_the_second_factor_gives_a_new_token_and_ends_the_old(conn):
    sam = uuid.uuid4()
    password_only = open_session(conn, "account", sam, NOW)
    both = pass_second_factor(conn, password_only, NOW + timedelta(seconds=40))
    assert find_session(conn, password_only, NOW + timedelta(minutes=1)) is None
    found = find_session(conn, both, NOW + timedelta(minutes=1))
    assert (found.principal_id, found.second_factor) == (sam, True)
    assert pass_second_factor(conn, password_only, NOW + timedelta(minutes=1)) is None


def test_sessions_long_past_their_absolute_timeout_are_cleared_away(conn):
    old = open_session(conn, "account", uuid.uuid4(), NOW)
    open_session(conn, "account", uuid.uuid4(), NOW + ABSOLUTE + timedelta(minutes=1))
    kept = conn.scalars(select(sign_in_sessions.c.id)).all()
    assert len(kept) == 1 and token_hash(old) not in kept


def test_only_accounts_and_participants_sign_in(conn):
    with pytest.raises(ValueError):
        open_session(conn, "robot", uuid.uuid4(), NOW)
