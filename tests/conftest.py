"""Fixtures shared by every layer: the fixed calendar, real databases, the Flask app and client.

Databases are real. SQLite is a file in the test's temporary folder. PostgreSQL is the server on
127.0.0.1:5432: each test gets a database of its own, dropped afterwards. Without a server the
PostgreSQL tests skip, except in CI (`CI` set), where they fail instead.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
from argon2 import PasswordHasher
from argon2.profiles import RFC_9106_LOW_MEMORY

from cotrace import credentials, passwords, published_verdicts, sign_in_sessions
from cotrace.accounts import open_account
from cotrace.services import Services, open_services
from domain.application import Cotrace
from tests.command_line import CommandLine, command_line
from tests.story import Riverside
from web import create_app

TODAY = date(2026, 6, 15)
CHEAP_ARGON2 = dataclasses.replace(RFC_9106_LOW_MEMORY, time_cost=1, memory_cost=8, parallelism=1)
POSTGRES_DSN = os.environ.get("COTRACE_TEST_POSTGRES", "host=127.0.0.1 port=5432 user=postgres dbname=test")


def _postgres_or_skip():
    import psycopg

    try:
        return psycopg.connect(POSTGRES_DSN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL must answer in CI: {error}")
        pytest.skip(f"no PostgreSQL server answers ({error}); CI runs these")


@contextmanager
def fresh_database(prefix: str, scheme: str = "postgresql+psycopg") -> Iterator[str]:
    """A PostgreSQL database of its own, empty, as a URL; dropped afterwards."""
    admin = _postgres_or_skip()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    info = admin.info
    try:
        yield f"{scheme}://{info.user}@{info.host}:{info.port}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    with fresh_database("cotrace_test") as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cotrace.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request) -> str:
    """Runs a test twice: on a SQLite file and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def services(database_url: str) -> Iterator[Services]:
    opened = open_services(database_url, today=lambda: TODAY)
    yield opened
    opened.close()


@pytest.fixture
def memory_app() -> Cotrace:
    """The application on the library's in-memory store: for the domain's rules, in milliseconds."""
    app = Cotrace(today=lambda: TODAY)
    app.create_local_operator()
    return app


@pytest.fixture
def riverside(memory_app: Cotrace) -> Riverside:
    return Riverside.set_up(memory_app, today=TODAY)


@pytest.fixture
def flask_app(database_url: str, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "TODAY": lambda: TODAY,
            "SECRET_KEY": "tests",
        },
        instance_path=str(tmp_path / "instance"),
    )
    yield app
    app.extensions["cotrace"].close()


@pytest.fixture
def runner(flask_app, admin_id) -> CommandLine:
    """The `cotrace` command, on the same application as `flask_app`, where an admin (`ADMIN`)
    can run imports."""
    return command_line(flask_app)


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    """Still argon2id, with full-size salts and hashes; only the cost is a test's."""
    monkeypatch.setattr(passwords, "hasher", PasswordHasher.from_parameters(CHEAP_ARGON2))


@pytest.fixture(autouse=True)
def nothing_kept_from_another_test():
    """The verdicts and facts a process keeps are by database address, policy and stamp: a test's
    database may have the address of an earlier test's, so each test starts with none kept."""
    published_verdicts.forget_what_was_kept()


ADMIN = ("Ada Admin", "ada.admin@example.org")
IMPORTER = ("Ivy Importer", "ivy.importer@example.org")


def importer(services: Services) -> uuid.UUID:
    """The account imports in tests are recorded as (opened on first use)."""
    with services.engine.connect() as conn:
        found = credentials.account_for_email(conn, IMPORTER[1])
    return found or open_account(services, None, *IMPORTER)


@pytest.fixture
def admin_id(flask_app) -> uuid.UUID:
    """An admin account, opened as `cotrace create-admin` opens one."""
    return open_account(flask_app.extensions["cotrace"], None, *ADMIN, is_admin=True)


def signed_in(flask_app, kind: str, principal_id: uuid.UUID, second_factor: bool = True):
    """A browser signed in as an account or a participant: a server-side session, as signing in
    opens one, and its token in the browser's cookie."""
    client = flask_app.test_client()
    with flask_app.extensions["cotrace"].engine.begin() as conn:
        token = sign_in_sessions.open_session(conn, kind, principal_id, datetime.now(UTC), second_factor)
    with client.session_transaction() as cookie:
        cookie["sid"] = token
    return client


def admin_client(flask_app):
    """A browser signed in as a new admin (with a second factor): every page and form is open to it."""
    admin = open_account(flask_app.extensions["cotrace"], None, *ADMIN, is_admin=True)
    return signed_in(flask_app, "account", admin)


@pytest.fixture
def client(flask_app, admin_id):
    """A browser signed in as an admin (with a second factor): every page and form is open to it."""
    return signed_in(flask_app, "account", admin_id)


@pytest.fixture
def public_client(flask_app):
    """A browser with no one signed in: what the public can reach."""
    return flask_app.test_client()
