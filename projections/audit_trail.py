"""The audit trail: one row per fact in a policy's life, with both of its times and who recorded it.

Names and groups are resolved as they stood when the fact was recorded, from lookup tables this
projection keeps for itself, so it can be dropped and rebuilt on its own.
"""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    insert,
    select,
)

from domain.decisions import Decision
from domain.meetings import Meeting
from domain.people import Operator, Participant
from domain.policies import Policy
from domain.vocabulary import DECISION_METHODS, INITIATORS, group_label, stage_label

metadata = MetaData()

people = Table(
    "audit_people",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("stakeholder_group", String(32)),  # None for an operator
)
meetings = Table(
    "audit_meetings",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("title", String(300), nullable=False),
    Column("held_on", Date, nullable=False),
)
trail = Table(
    "audit_trail",
    metadata,
    Column("position", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("policy_id", Uuid, nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("what", Text, nullable=False),
    Column("stage", String(32)),
    Column("cycle", Integer),
    Column("happened_on", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by_name", String(200), nullable=False),
    Column("meeting", String(300)),
    Column("decision_id", Uuid),
    Column("method", String(64)),
    Column("proposer", JSON),
    Column("decision_makers", JSON),
    Column("decision_maker_groups", JSON),
    Column("votes", JSON),
)


class AuditTrail:
    name = "audit_trail"
    metadata = metadata

    def apply(self, conn: Connection, event: Any, position: int) -> None:
        self._on(event, conn, position)

    @singledispatchmethod
    def _on(self, event: Any, conn: Connection, position: int) -> None:
        """Events that are not part of a policy's trail are passed over."""

    @_on.register
    def _(self, event: Operator.Created, conn: Connection, position: int) -> None:
        conn.execute(insert(people).values(id=event.originator_id, name=event.name))

    @_on.register
    def _(self, event: Participant.Registered, conn: Connection, position: int) -> None:
        conn.execute(
            insert(people).values(
                id=event.originator_id,
                name=event.name,
                stakeholder_group=event.stakeholder_group,
            )
        )

    @_on.register
    def _(self, event: Meeting.Scheduled, conn: Connection, position: int) -> None:
        conn.execute(
            insert(meetings).values(id=event.originator_id, title=event.title, held_on=event.held_on)
        )

    @_on.register
    def _(self, event: Policy.Started, conn: Connection, position: int) -> None:
        self._row(
            conn,
            event,
            position,
            policy_id=event.originator_id,
            kind="policy_started",
            what=f"Policy started: {event.title}. Initiated by {INITIATORS[event.initiated_by].lower()}.",
            happened_on=event.started_on,
        )

    @_on.register
    def _(self, event: Policy.StageEntered, conn: Connection, position: int) -> None:
        self._row(
            conn,
            event,
            position,
            policy_id=event.originator_id,
            kind="stage_entered",
            what=f"Entered {stage_label(event.stage)}, cycle {event.cycle}.",
            stage=event.stage,
            cycle=event.cycle,
            happened_on=event.entered_on,
        )

    @_on.register
    def _(self, event: Decision.Recorded, conn: Connection, position: int) -> None:
        meeting = None
        if event.meeting_id is not None:
            meeting = conn.scalar(select(meetings.c.title).where(meetings.c.id == event.meeting_id))
        named = _people(conn, {event.recorded_by, event.proposed_by, *event.decided_by})
        self._row(
            conn,
            event,
            position,
            policy_id=event.policy_id,
            kind="decision_recorded",
            what=event.text,
            stage=event.stage,
            cycle=event.cycle,
            happened_on=event.happened_on,
            meeting=meeting,
            decision_id=event.originator_id,
            method=DECISION_METHODS[event.method],
            recorded_by_name=named[event.recorded_by]["name"],
            proposer=named[event.proposed_by],
            decision_makers=[named[p] for p in event.decided_by],
            decision_maker_groups=[group_label(g) for g in event.decision_maker_groups],
            votes=event.votes,
        )

    @staticmethod
    def _row(conn: Connection, event: Any, position: int, **values: Any) -> None:
        if "recorded_by_name" not in values:
            values["recorded_by_name"] = _people(conn, {event.recorded_by})[event.recorded_by]["name"]
        conn.execute(insert(trail).values(position=position, recorded_at=event.timestamp, **values))


def _people(conn: Connection, ids: set[UUID]) -> dict[UUID, dict[str, str | None]]:
    """Names and group labels of the people named by an event, in one query."""
    rows = conn.execute(select(people).where(people.c.id.in_(ids))).all()
    return {
        row.id: {
            "name": row.name,
            "group": group_label(row.stakeholder_group) if row.stakeholder_group else None,
        }
        for row in rows
    }
