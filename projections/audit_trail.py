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
from sqlalchemy.orm import Session

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

    def apply(self, session: Session, event: Any, position: int) -> None:
        self._on(event, session, position)

    @singledispatchmethod
    def _on(self, event: Any, session: Session, position: int) -> None:
        """Events that are not part of a policy's trail are passed over."""

    @_on.register
    def _(self, event: Operator.Created, session: Session, position: int) -> None:
        session.execute(insert(people).values(id=event.originator_id, name=event.name))

    @_on.register
    def _(self, event: Participant.Registered, session: Session, position: int) -> None:
        session.execute(
            insert(people).values(
                id=event.originator_id,
                name=event.name,
                stakeholder_group=event.stakeholder_group,
            )
        )

    @_on.register
    def _(self, event: Meeting.Scheduled, session: Session, position: int) -> None:
        session.execute(
            insert(meetings).values(id=event.originator_id, title=event.title, held_on=event.held_on)
        )

    @_on.register
    def _(self, event: Policy.Started, session: Session, position: int) -> None:
        self._row(
            session,
            event,
            position,
            policy_id=event.originator_id,
            kind="policy_started",
            what=f"Policy started: {event.title}. Initiated by {INITIATORS[event.initiated_by].lower()}.",
            happened_on=event.started_on,
        )

    @_on.register
    def _(self, event: Policy.StageEntered, session: Session, position: int) -> None:
        self._row(
            session,
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
    def _(self, event: Decision.Recorded, session: Session, position: int) -> None:
        meeting = None
        if event.meeting_id is not None:
            found = session.execute(select(meetings).where(meetings.c.id == event.meeting_id)).one()
            meeting = found.title
        self._row(
            session,
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
            proposer=_person(session, event.proposed_by),
            decision_makers=[_person(session, p) for p in event.decided_by],
            decision_maker_groups=[group_label(g) for g in event.decision_maker_groups],
            votes=event.votes,
        )

    @staticmethod
    def _row(session: Session, event: Any, position: int, **values: Any) -> None:
        session.execute(
            insert(trail).values(
                position=position,
                recorded_at=event.timestamp,
                recorded_by_name=_person(session, event.recorded_by)["name"],
                **values,
            )
        )


def _person(session: Session, person_id: UUID) -> dict[str, str | None]:
    row = session.execute(select(people).where(people.c.id == person_id)).one()
    group = group_label(row.stakeholder_group) if row.stakeholder_group else None
    return {"name": row.name, "group": group}
