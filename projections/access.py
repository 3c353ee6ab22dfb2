"""Who may do what: the accounts, whether each is an admin, the roles they hold in each partnership,
and which partnership a policy, meeting, decision or contribution belongs to.

The web layer asks it once a request (`web.access`); every question is one indexed query, so the
answer costs the same whatever the size of the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    MetaData,
    String,
    Table,
    Uuid,
    delete,
    insert,
    select,
    update,
)

from domain.accounts import MEMBER, Account
from domain.partnerships import Partnership
from domain.people import Participant
from projections import directory_tables as directory
from projections.read_model import ReadModel
from projections.runner import POSITION

metadata = MetaData()

accounts = Table(
    "access_accounts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("is_admin", Boolean, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
)
roles = Table(
    "access_roles",
    metadata,
    Column("account_id", Uuid, primary_key=True),
    Column("partnership_id", Uuid, primary_key=True, index=True),
    Column("role", String(16), primary_key=True),
)
# The partnership's trail of who was given or lost which role, by whom and when.
# Participants' email addresses, as given (stripped, lowercased), for signing in by emailed link.
addresses = Table(
    "access_participant_addresses",
    metadata,
    Column("email", String(254), primary_key=True),
    Column("participant_id", Uuid, primary_key=True, index=True),
)
changes = Table(
    "access_changes",
    metadata,
    Column("ref", POSITION, primary_key=True),
    Column("partnership_id", Uuid, nullable=False, index=True),
    Column("account_name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("granted", Boolean, nullable=False),
    Column("recorded_by_name", String(200), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)


class Access(ReadModel):
    name = "access"
    metadata = metadata
    handler_indexes = ("ix_access_participant_addresses_participant_id",)

    @singledispatchmethod
    def _on(self, event: Any, conn: Connection, position: int) -> None:
        """Events that change no one's access are passed over."""

    @_on.register
    def _(self, event: Account.Opened, conn: Connection, position: int) -> None:
        row = dict(
            id=event.originator_id, name=event.name, is_admin=event.is_admin, opened_at=event.timestamp
        )
        conn.execute(insert(accounts), row)

    @_on.register
    def _(self, event: Account.AdminGranted, conn: Connection, position: int) -> None:
        conn.execute(update(accounts).where(accounts.c.id == event.originator_id).values(is_admin=True))

    @_on.register
    def _(self, event: Account.AdminRevoked, conn: Connection, position: int) -> None:
        conn.execute(update(accounts).where(accounts.c.id == event.originator_id).values(is_admin=False))

    @_on.register
    def _(self, event: Participant.ContactPreferencesSet, conn: Connection, position: int) -> None:
        conn.execute(delete(addresses).where(addresses.c.participant_id == event.originator_id))
        if event.email:
            row = dict(email=event.email.strip().lower(), participant_id=event.originator_id)
            conn.execute(insert(addresses), row)

    @_on.register
    def _(self, event: Participant.EmailCorrected, conn: Connection, position: int) -> None:
        # The address recorded wrong signs no one in; the corrected one does.
        conn.execute(delete(addresses).where(addresses.c.participant_id == event.originator_id))
        if event.email:  # none once they are erased
            row = dict(email=event.email.strip().lower(), participant_id=event.originator_id)
            conn.execute(insert(addresses), row)

    @_on.register
    def _(self, event: Partnership.RoleGranted, conn: Connection, position: int) -> None:
        row = dict(account_id=event.account_id, partnership_id=event.originator_id, role=event.role)
        conn.execute(insert(roles), row)
        _note_change(conn, event, position, granted=True)

    @_on.register
    def _(self, event: Partnership.RoleRevoked, conn: Connection, position: int) -> None:
        conn.execute(
            delete(roles).where(
                roles.c.account_id == event.account_id,
                roles.c.partnership_id == event.originator_id,
                roles.c.role == event.role,
            )
        )
        _note_change(conn, event, position, granted=False)


def _note_change(conn: Connection, event: Any, position: int, granted: bool) -> None:
    named = select(accounts.c.id, accounts.c.name).where(
        accounts.c.id.in_([event.account_id, event.recorded_by])
    )
    names = {row.id: row.name for row in conn.execute(named)}
    row = dict(
        ref=position,
        partnership_id=event.originator_id,
        account_name=names.get(event.account_id, "an account"),
        role=event.role,
        granted=granted,
        recorded_by_name=names.get(event.recorded_by, "an operator"),
        recorded_at=event.timestamp,
    )
    conn.execute(insert(changes), row)


def changes_in(conn: Connection, partnership_id: UUID, limit: int = 50) -> list[dict[str, Any]]:
    """The latest changes to who holds which role in a partnership, newest first."""
    query = select(changes).where(changes.c.partnership_id == partnership_id).order_by(changes.c.ref.desc())
    return [dict(row._mapping) for row in conn.execute(query.limit(limit))]


ACCOUNT, PARTICIPANT = "account", "participant"


@dataclass(frozen=True)
class Grants:
    """What one signed-in person holds: admin of the installation or not, and roles by partnership."""

    name: str
    is_admin: bool = False
    roles: dict[UUID, frozenset[str]] = field(default_factory=dict)

    def has(self, partnership_id: UUID | None, *wanted: str) -> bool:
        return partnership_id is not None and bool(self.roles.get(partnership_id, frozenset()) & set(wanted))


def grants_of(conn: Connection, kind: str, principal_id: UUID) -> Grants | None:
    """An account's grants, or a participant's (a member of each partnership they joined); None for
    someone unknown (an account or participant the log does not hold)."""
    held: dict[UUID, set[str]] = {}
    if kind == ACCOUNT:
        account = conn.execute(select(accounts).where(accounts.c.id == principal_id)).first()
        if account is None:
            return None
        for row in conn.execute(select(roles).where(roles.c.account_id == principal_id)):
            held.setdefault(row.partnership_id, set()).add(row.role)
        frozen = {partnership: frozenset(names) for partnership, names in held.items()}
        return Grants(name=account.name, is_admin=account.is_admin, roles=frozen)
    person = conn.execute(
        select(directory.participants.c.name).where(directory.participants.c.id == principal_id)
    ).first()
    if person is None:
        return None
    joined = select(directory.members.c.partnership_id).where(
        directory.members.c.participant_id == principal_id
    )
    return Grants(
        name=person.name, roles={row.partnership_id: frozenset({MEMBER}) for row in conn.execute(joined)}
    )


def account_rows(conn: Connection, only: UUID | None = None) -> list[dict[str, Any]]:
    """Every account (or `only` that one) with its roles, by name: the admin's list, of a few dozen
    people at most."""
    names = dict(conn.execute(select(directory.partnerships.c.id, directory.partnerships.c.name)).all())
    held: dict[UUID, list[dict[str, Any]]] = {}
    granted = select(roles) if only is None else select(roles).where(roles.c.account_id == only)
    for row in conn.execute(granted):
        held.setdefault(row.account_id, []).append(
            {
                "partnership_id": row.partnership_id,
                "partnership": names.get(row.partnership_id),
                "role": row.role,
            }
        )
    listed = select(accounts).order_by(accounts.c.name)
    if only is not None:
        listed = listed.where(accounts.c.id == only)
    return [
        {
            **dict(row._mapping),
            "roles": sorted(held.get(row.id, []), key=lambda r: (r["partnership"] or "", r["role"])),
        }
        for row in conn.execute(listed)
    ]


# Which partnership a page's subject belongs to, by the kind of id in its address.
_OWNERS = {
    "partnership_id": None,
    "policy_id": (directory.policies.c.id, directory.policies.c.partnership_id, None),
    "meeting_id": (directory.meetings.c.id, directory.meetings.c.partnership_id, None),
    "decision_id": (directory.decisions.c.id, directory.decisions.c.policy_id, "policy_id"),
    "contribution_id": (directory.contributions.c.id, directory.contributions.c.policy_id, "policy_id"),
}


def partnership_of(conn: Connection, kind: str, subject_id: UUID) -> UUID | None:
    """The partnership a partnership, policy, meeting, decision or contribution id belongs to;
    None for an id that names nothing (the page then answers "not found", as it would anyway)."""
    if kind == "partnership_id":
        return subject_id
    key, owner, then = _OWNERS[kind]
    found = conn.execute(select(owner).where(key == subject_id)).scalar()
    if found is None or then is None:
        return found
    return partnership_of(conn, then, found)


def participants_with_address(conn: Connection, email: str) -> list[UUID]:
    """The participants who gave this address (one person may be registered in two partnerships)."""
    query = select(addresses.c.participant_id).where(addresses.c.email == email.strip().lower())
    return list(conn.execute(query).scalars())
