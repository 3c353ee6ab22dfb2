"""How a view runs a command and reads: as the current operator, then projections caught up.

After a command the projections are brought up to date in the same request, so the page the user
sees next already shows what they did (read-your-writes), on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar
from uuid import UUID

from flask import current_app
from sqlalchemy import Connection

from domain.application import Cotrace
from web.operator import current_actor

T = TypeVar("T")


def run(command: Callable[[Cotrace, UUID], T]) -> T:
    return current_app.extensions["cotrace"].run(command, current_actor())


@contextmanager
def reading() -> Iterator[Connection]:
    services = current_app.extensions["cotrace"]
    services.read_models.catch_up()  # cheap when nothing is pending; covers other processes' writes
    with services.engine.connect() as conn:
        yield conn
