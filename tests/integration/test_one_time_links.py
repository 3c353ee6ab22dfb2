"""Links emailed to sign in or reset a password: once, for a few minutes, for one purpose; on
SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from cotrace.one_time_links import RESET_PASSWORD, SIGN_IN, forget_links, issue_link, redeem_link
from cotrace.sign_in_tables import one_time_links

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


@pytest.fixture
def conn(sign_in_engine):
    with sign_in_engine.begin() as connection:
        yield connection


def test_a_link_names_who_it_is_for_and_works_once(conn):
    participant_id = uuid.uuid4()
    token = issue_link(conn, SIGN_IN, "participant", participant_id, NOW)
    assert redeem_link(conn, token, SIGN_IN, NOW + timedelta(minutes=2)) == ("participant", participant_id)
    assert redeem_link(conn, token, SIGN_IN, NOW + timedelta(minutes=3)) is None


def test_only_the_tokens_hash_is_kept(conn):
    token = issue_link(conn, SIGN_IN, "participant", uuid.uuid4(), NOW)
    assert token not in conn.scalars(select(one_time_links.c.token_hash)).all()


def test_a_link_expires(conn):
    token = issue_link(conn, SIGN_IN, "participant", uuid.uuid4(), NOW, minutes=10)
    assert redeem_link(conn, token, SIGN_IN, NOW + timedelta(minutes=10)) is None
    fresh = issue_link(conn, SIGN_IN, "participant", uuid.uuid4(), NOW)
    assert redeem_link(conn, fresh, SIGN_IN, NOW + timedelta(minutes=14, seconds=59)) is not None


def test_a_link_works_only_for_its_purpose(conn):
    account_id = uuid.uuid4()
    token = issue_link(conn, RESET_PASSWORD, "account", account_id, NOW)
    assert redeem_link(conn, token, SIGN_IN, NOW) is None
    assert redeem_link(conn, token, RESET_PASSWORD, NOW) == ("account", account_id)


def test_an_unknown_token_opens_nothing(conn):
    issue_link(conn, SIGN_IN, "participant", uuid.uuid4(), NOW)
    assert redeem_link(conn, "made-up", SIGN_IN, NOW) is None
    assert redeem_link(conn, "", SIGN_IN, NOW) is None


def test_a_new_link_ends_the_earlier_ones_of_the_same_purpose(conn):
    account_id = uuid.uuid4()
    first = issue_link(conn, RESET_PASSWORD, "account", account_id, NOW)
    sign_in = issue_link(conn, SIGN_IN, "account", account_id, NOW)
    someone_elses = issue_link(conn, RESET_PASSWORD, "account", uuid.uuid4(), NOW)
    second = issue_link(conn, RESET_PASSWORD, "account", account_id, NOW + timedelta(minutes=1))
    assert redeem_link(conn, first, RESET_PASSWORD, NOW + timedelta(minutes=2)) is None
    assert redeem_link(conn, second, RESET_PASSWORD, NOW + timedelta(minutes=2)) == ("account", account_id)
    assert redeem_link(conn, sign_in, SIGN_IN, NOW + timedelta(minutes=2)) == ("account", account_id)
    assert redeem_link(conn, someone_elses, RESET_PASSWORD, NOW + timedelta(minutes=2)) is not None


def test_two_clicks_racing_on_one_link_let_one_in(sign_in_engine):
    with sign_in_engine.begin() as conn:
        token = issue_link(conn, SIGN_IN, "participant", uuid.uuid4(), NOW)
    answers = []

    def click() -> None:
        with sign_in_engine.begin() as conn:
            answers.append(redeem_link(conn, token, SIGN_IN, NOW))

    with sign_in_engine.begin() as first:
        answers.append(redeem_link(first, token, SIGN_IN, NOW))
        second = threading.Thread(target=click)
        second.start()  # waits on the first click's write until it commits
        second.join(timeout=0.5)
    second.join(timeout=10)
    assert not second.is_alive()
    assert answers[0] is not None and answers[1:] == [None]


def test_forgetting_someone_removes_their_links(conn):
    participant_id = uuid.uuid4()
    token = issue_link(conn, SIGN_IN, "participant", participant_id, NOW)
    forget_links(conn, "participant", participant_id)
    assert redeem_link(conn, token, SIGN_IN, NOW) is None
    assert conn.scalars(select(one_time_links.c.token_hash)).all() == []


def test_links_are_for_signing_in_or_resetting_a_password_only(conn):
    with pytest.raises(ValueError):
        issue_link(conn, "admin", "account", uuid.uuid4(), NOW)
