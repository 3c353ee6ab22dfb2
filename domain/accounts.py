"""Accounts: the people who sign in to record, chair, audit or run Cotrace, and what each may do.

An account's roles are per partnership (chair, member, auditor) and granted by events on the
partnership, so the partnership's trail says who gave whom which role; being an admin is an event
on the account. Secrets (password hashes, second factors, sessions) are not facts of the record:
they live outside the log (`cotrace.credentials`).

Citizens (home educators, parent carers, young people) need no account: a participant signs in
with a one-time link to their email, and is a member of the partnerships they joined.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.addresses import is_one_address
from domain.errors import Problems
from domain.wording import NAME, check_length

CHAIR, MEMBER, AUDITOR = "chair", "member", "auditor"
# What each role of a partnership may do, in the words the pages use.
ROLES: dict[str, str] = {
    CHAIR: "Chair: records meetings, decisions and responses",
    MEMBER: "Member: reads the partnership's record and gives their own input",
    AUDITOR: "Auditor: reads everything, provenance and exports included, and changes nothing",
}
EMAIL_FORMAT = "Enter an email address in the right format, like name@example.com"


class Account(Aggregate):
    @event("Opened")
    def __init__(self, id: UUID, name: str, email: str, is_admin: bool, recorded_by: UUID) -> None:  # noqa: A002
        self.name = name
        self.email = email
        self.is_admin = is_admin

    @event("AdminGranted")
    def make_admin(self, recorded_by: UUID) -> None:
        self.is_admin = True

    @event("AdminRevoked")
    def revoke_admin(self, recorded_by: UUID) -> None:
        self.is_admin = False

    @staticmethod
    def check_opening(name: str, email: str) -> None:
        problems = Problems()
        if not name.strip():
            problems.add("name", "Enter the person's name")
        check_length(problems, "name", name, NAME, "The name")
        if not email.strip():
            problems.add("email", "Enter the email address they will sign in with")
        elif not is_one_address(email.strip()):
            problems.add("email", EMAIL_FORMAT)
        problems.raise_if_any()
