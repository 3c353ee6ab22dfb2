"""How a view runs a command and reads: as the current operator, then projections caught up.

After a command the projections are brought up to date in the same request, so the page the user
sees next already shows what they did (read-your-writes), on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from flask import current_app
from sqlalchemy import Connection

from domain.application import Cotrace
from web.operator import current_actor

T = TypeVar("T")
ATTEMPTS = 3


class Conflict(Exception):
    """Someone else kept changing the same record while this command ran."""


def run(command: Callable[[Cotrace, UUID], T]) -> T:
    services = current_app.extensions["cotrace"]
    for attempt in range(ATTEMPTS):
        try:
            result = command(services.app, current_actor())
            break
        except IntegrityError:
            # Another save to the same aggregate came first. The command reloads and rechecks
            # every rule, so running it again is safe.
            if attempt == ATTEMPTS - 1:
                raise Conflict() from None
    services.read_models.catch_up()
    return result


@contextmanager
def reading() -> Iterator[Connection]:
    services = current_app.extensions["cotrace"]
    services.read_models.catch_up()  # cheap when nothing is pending; covers other processes' writes
    with services.engine.connect() as conn:
        yield conn
