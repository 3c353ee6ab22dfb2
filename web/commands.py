"""How a view runs a command and reads: as the current operator, then projections caught up.

After a command the projections are brought up to date in the same request, so the page the user
sees next already shows what they did (read-your-writes), on SQLite and on PostgreSQL alike. The
follow-up messages the command queued are sent once the page has gone to the browser, so a slow
mail server never holds up the person recording; any left unsent wait for the next command or
`cotrace send-followups`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TypeVar
from uuid import UUID

from flask import Flask, Response, after_this_request, current_app, g
from sqlalchemy import Connection

from domain.application import Cotrace
from domain.errors import Problems
from web.mailer import send_quietly
from web.operator import current_actor

T = TypeVar("T")


def run(command: Callable[[Cotrace, UUID], T], actor: UUID | None = None) -> T:
    result = current_app.extensions["cotrace"].run(command, actor or current_actor())
    _send_followups_once_answered()
    return result


def _send_followups_once_answered() -> None:
    """Sends what the command queued after the response has been written to the browser (the WSGI
    server closes it then), in the request's own thread: no thread of ours to manage or lose."""
    if g.get("followups_due"):
        return
    g.followups_due = True
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]

    @after_this_request
    def send_when_answered(response: Response) -> Response:
        response.call_on_close(lambda: _send_from(app))
        return response


def _send_from(app: Flask) -> None:
    with app.app_context():
        send_quietly(app)


def today() -> date:
    """The application's today: a stand-in for a date the form did not give in a readable way."""
    return current_app.extensions["cotrace"].app.today()


def run_after(problems: Problems, command: Callable[[Cotrace, UUID], T]) -> T:
    """Runs a command once the form it came from has been read.

    When reading the form already found problems (a date that is not a date), the command is tried
    without saving, with stand-ins for what could not be read, so the page can show its problems
    too, all at once: the GOV.UK pattern, one summary for every mistake.
    """
    if not problems:
        return run(command)
    for problem in current_app.extensions["cotrace"].problems_of(command, current_actor()):
        if not problems.has(problem.field):
            problems.add(problem.field, problem.message)
    problems.raise_if_any()
    raise AssertionError("unreachable: problems were found")


@contextmanager
def reading() -> Iterator[Connection]:
    services = current_app.extensions["cotrace"]
    services.read_models.catch_up()  # cheap when nothing is pending; covers other processes' writes
    with services.engine.connect() as conn:
        yield conn
