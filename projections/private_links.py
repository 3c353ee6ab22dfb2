"""Which private link of each participant works, and every change to it: who revoked or reissued
it, when, and for which partnership.

The private pages ask it on every request whether the link they were opened with is the one that
works (one indexed query); the chair's page of a member's link reads its changes. A participant
with no row here never had their link changed: link 0 works, the one every participant registered
before links could be replaced has.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    MetaData,
    Table,
    Uuid,
    func,
    insert,
    select,
)

from domain.people import Participant
from projections import directory_tables as directory
from projections.read_model import ReadModel
from projections.runner import POSITION

metadata = MetaData()

changes = Table(
    "private_links_changes",
    metadata,
    Column("position", POSITION, primary_key=True),
    Column("participant_id", Uuid, nullable=False),
    Column("partnership_id", Uuid),  # none for an erasure, which ends every link of the person
    Column("number", Integer, nullable=False),  # the link that works from then on, unless revoked
    Column("revoked", Boolean, nullable=False),
    Column("recorded_by", Uuid, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("private_links_changes_participant", "participant_id", "position"),
)


@dataclass(frozen=True)
class Link:
    """A participant's private link as it stands: its number, and whether it was revoked."""

    number: int = 0
    revoked: bool = False


class PrivateLinks(ReadModel):
    name = "private_links"
    metadata = metadata
    handler_indexes = ("private_links_changes_participant",)

    @singledispatchmethod
    def _on(self, event: Any, conn: Connection, position: int) -> None:
        """Events that change no one's private link are passed over."""

    @_on.register
    def _(self, event: Participant.PrivateLinkReissued, conn: Connection, position: int) -> None:
        _note(conn, event, position, number=event.number, revoked=False)

    @_on.register
    def _(self, event: Participant.PrivateLinkRevoked, conn: Connection, position: int) -> None:
        _note(conn, event, position, number=current(conn, event.originator_id).number, revoked=True)

    @_on.register
    def _(self, event: Participant.Erased, conn: Connection, position: int) -> None:
        _note(conn, event, position, number=current(conn, event.originator_id).number, revoked=True)


def _note(conn: Connection, event: Any, position: int, number: int, revoked: bool) -> None:
    conn.execute(
        insert(changes),
        dict(
            position=position,
            participant_id=event.originator_id,
            partnership_id=getattr(event, "partnership_id", None),
            number=number,
            revoked=revoked,
            recorded_by=event.recorded_by,
            recorded_at=event.timestamp,
        ),
    )


def current(conn: Connection, participant_id: UUID) -> Link:
    """The participant's private link as it stands now."""
    latest = conn.execute(
        select(changes.c.number, changes.c.revoked)
        .where(changes.c.participant_id == participant_id)
        .order_by(changes.c.position.desc())
        .limit(1)
    ).first()
    return Link() if latest is None else Link(latest.number, latest.revoked)


def revoked_among(conn: Connection, participant_ids: list[UUID]) -> set[UUID]:
    """Those of these participants whose link is revoked, with none reissued since."""
    latest = (
        select(func.max(changes.c.position))
        .where(changes.c.participant_id.in_(participant_ids))
        .group_by(changes.c.participant_id)
    )
    query = select(changes.c.participant_id).where(changes.c.position.in_(latest), changes.c.revoked)
    return set(conn.scalars(query))


def changes_of(conn: Connection, participant_id: UUID, limit: int = 20) -> list[dict[str, Any]]:
    """The latest changes to a participant's private link, newest first, each with the name of
    whoever made it (`recorded_by_name`: an account's, as the directory has it)."""
    operators = directory.operators
    query = (
        select(changes, operators.c.name.label("recorded_by_name"))
        .outerjoin(operators, operators.c.id == changes.c.recorded_by)
        .where(changes.c.participant_id == participant_id)
        .order_by(changes.c.position.desc())
        .limit(limit)
    )
    return [dict(row._mapping) for row in conn.execute(query)]
