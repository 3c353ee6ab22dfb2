"""Integration fixtures: passwords hashed with cheap argon2id parameters, so the suite stays fast, and
the tables of signing in on each real database."""

from __future__ import annotations

import dataclasses

import pytest
from argon2 import PasswordHasher
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy import create_engine

from cotrace import passwords, sign_in_tables

# Still argon2id, with full-size salts and hashes; only the cost is a test's.
CHEAP = dataclasses.replace(RFC_9106_LOW_MEMORY, time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    monkeypatch.setattr(passwords, "hasher", PasswordHasher.from_parameters(CHEAP))


@pytest.fixture
def sign_in_engine(database_url):
    """An engine on a real database holding the tables of signing in (and nothing else)."""
    engine = create_engine(database_url)
    sign_in_tables.create_tables(engine)
    yield engine
    engine.dispose()
