"""Accounts as the application opens them: the account's facts in the log (`domain.accounts`), its
sign-in address and password outside it (`cotrace.credentials`).

An address names one account: the log holds addresses encrypted, so the credentials table, which
holds them once each, is what says whether one is taken.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from cotrace import credentials, submissions
from cotrace.passwords import password_problems
from cotrace.services import Services
from domain.errors import Problems

TAKEN = "An account with this email address already exists"


def open_account(
    services: Services,
    actor: UUID | None,
    name: str,
    email: str,
    is_admin: bool = False,
    submission: str | None = None,
) -> UUID:
    """Records the account, then keeps its address for signing in. Raises RulesBroken (on "name",
    "email") with nothing written. `submission`: the form's id, so the same form sent again (a double
    click) is known for what it is by `opened_by`."""
    with services.engine.connect() as conn:
        taken = credentials.account_for_email(conn, email) is not None
    problems = Problems()
    if taken and email.strip():
        problems.add("email", TAKEN)
    problems.raise_if_any()
    account_id = services.run(lambda app, by: app.open_account(by, name, email, is_admin), actor, submission)  # type: ignore[arg-type]
    with services.engine.begin() as conn:
        credentials.set_email(conn, account_id, email)
    return account_id


def create_admin(services: Services, name: str, email: str, password: str, now: datetime) -> UUID:
    """The first admin (or another), from the command line: checks everything before writing."""
    problems = Problems()
    for message in password_problems(password, email=email, name=name):
        problems.add("password", message)
    problems.raise_if_any()
    account_id = open_account(services, None, name, email, is_admin=True)
    with services.engine.begin() as conn:
        credentials.set_password(conn, account_id, password, now)
    return account_id


def opened_by(services: Services, submission: str | None) -> UUID | None:
    """The account a form already opened, when this form was sent before; None otherwise."""
    if submission is None:
        return None
    with services.read_models.datastore.transaction(commit=False) as session:
        found = submissions.earlier(session, submission)
    return found.result if found else None
