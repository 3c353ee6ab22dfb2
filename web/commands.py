"""The one way the web layer reaches the application: `services()`; and how a view runs a command
and reads, as the current operator, with the projections caught up.

After a command the projections are brought up to date in the same request, so the page the user
sees next already shows what they did (read-your-writes), on SQLite and on PostgreSQL alike. The
follow-up messages the command queued are sent on a thread of their own (`web.mailer.Postman`), so a
slow mail server never holds up the page; any left unsent wait for the next command or
`cotrace send-followups`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TypeVar
from uuid import UUID

from flask import current_app, g, has_request_context, request
from sqlalchemy import Connection

from cotrace import submissions
from cotrace.services import Services
from domain.application import Cotrace
from domain.errors import Problems
from web import forms
from web.operator import current_actor

T = TypeVar("T")


def services() -> Services:
    """The application this web app serves (opened by `web.create_app`)."""
    return current_app.extensions["cotrace"]


def run(command: Callable[[Cotrace, UUID], T], actor: UUID | None = None) -> T:
    result = services().run(command, actor or current_actor(), _submission())
    current_app.extensions["postman"].nudge()
    return result


def _submission() -> str | None:
    """The id of the form this request sent, for the first command the request runs (a request runs
    one; a second would be a different thing, and must not be taken for the first sent again)."""
    if not has_request_context() or request.method != "POST" or g.get("submission_used"):
        return None
    g.submission_used = True
    return submissions.well_formed(request.form.get("submission"))


def today() -> date:
    """The application's today: a stand-in for a date the form did not give in a readable way."""
    return services().app.today()


def date_from(problems: Problems, form: forms.Form, name: str, what: str) -> date:
    """The date a form gives; one it does not give readably is a problem, and today stands in for
    it, so the command can still be tried for its other problems (`run_after`)."""
    return forms.a_date(problems, form, name, what) or today()


def run_after(problems: Problems, command: Callable[[Cotrace, UUID], T]) -> T:
    """Runs a command once the form it came from has been read.

    When reading the form already found problems (a date that is not a date), the command is tried
    without saving, with stand-ins for what could not be read, so the page can show its problems
    too, all at once: the GOV.UK pattern, one summary for every mistake.
    """
    if not problems:
        return run(command)
    for problem in services().problems_of(command, current_actor()):
        if not problems.has(problem.field):
            problems.add(problem.field, problem.message)
    problems.raise_if_any()
    raise AssertionError("unreachable: problems were found")


@contextmanager
def reading() -> Iterator[Connection]:
    opened = services()
    opened.read_models.catch_up()  # cheap when nothing is pending; covers other processes' writes
    with opened.engine.connect() as conn:
        yield conn
