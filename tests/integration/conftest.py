"""Integration fixtures: passwords hashed with cheap argon2id parameters, so the suite stays fast."""

from __future__ import annotations

import dataclasses

import pytest
from argon2 import PasswordHasher
from argon2.profiles import RFC_9106_LOW_MEMORY

from cotrace import passwords

# Still argon2id, with full-size salts and hashes; only the cost is a test's.
CHEAP = dataclasses.replace(RFC_9106_LOW_MEMORY, time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    monkeypatch.setattr(passwords, "hasher", PasswordHasher.from_parameters(CHEAP))
