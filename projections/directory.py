"""The directory: partnerships, their members, policies and stages, meetings, attendance, decisions.

Pages list and look up things from here; the audit trail has tables of its own so each projection
can be rebuilt alone.
"""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

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
    delete,
    insert,
    update,
)

from domain.decisions import Decision
from domain.meetings import Meeting
from domain.partnerships import Partnership
from domain.people import Operator, Participant
from domain.policies import Policy

metadata = MetaData()
_position = BigInteger().with_variant(Integer(), "sqlite")

operators = Table(
    "directory_operators",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False),
)
participants = Table(
    "directory_participants",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("stakeholder_group", String(32), nullable=False),
)
partnerships = Table(
    "directory_partnerships",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("chair_id", Uuid),
)
members = Table(
    "directory_members",
    metadata,
    Column("partnership_id", Uuid, primary_key=True),
    Column("participant_id", Uuid, primary_key=True),
    Column("stakeholder_group", String(32), nullable=False),
    Column("joined_on", Date, nullable=False),
)
policies = Table(
    "directory_policies",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("partnership_id", Uuid, nullable=False, index=True),
    Column("title", String(300), nullable=False),
    Column("initiated_by", String(32), nullable=False),
    Column("started_on", Date, nullable=False),
    Column("stage", String(32)),
    Column("cycle", Integer),
)
stages = Table(
    "directory_stages",
    metadata,
    Column("policy_id", Uuid, primary_key=True),
    Column("cycle", Integer, primary_key=True),
    Column("stage", String(32), primary_key=True),
    Column("entered_on", Date, nullable=False),
    Column("position", _position, nullable=False),
)
meetings = Table(
    "directory_meetings",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("partnership_id", Uuid, nullable=False, index=True),
    Column("title", String(300), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("place", String(300), nullable=False),
)
attendance = Table(
    "directory_attendance",
    metadata,
    Column("meeting_id", Uuid, primary_key=True),
    Column("participant_id", Uuid, primary_key=True),
    Column("status", String(16), nullable=False),
)
decisions = Table(
    "directory_decisions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("policy_id", Uuid, nullable=False, index=True),
    Column("meeting_id", Uuid, index=True),
    Column("stage", String(32), nullable=False),
    Column("cycle", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("proposed_by", Uuid, nullable=False),
    Column("decided_by", JSON, nullable=False),
    Column("decision_maker_groups", JSON, nullable=False),
    Column("method", String(32), nullable=False),
    Column("votes", JSON),
    Column("happened_on", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", Uuid, nullable=False),
    Column("position", _position, nullable=False),
)


class Directory:
    name = "directory"
    metadata = metadata

    def apply(self, conn: Connection, event: Any, position: int) -> None:
        self._on(event, conn, position)

    @singledispatchmethod
    def _on(self, event: Any, conn: Connection, position: int) -> None:
        """Events the directory does not show are passed over."""

    @_on.register
    def _(self, event: Operator.Created, conn: Connection, position: int) -> None:
        conn.execute(insert(operators).values(id=event.originator_id, name=event.name))

    @_on.register
    def _(self, event: Participant.Registered, conn: Connection, position: int) -> None:
        conn.execute(
            insert(participants).values(
                id=event.originator_id,
                name=event.name,
                stakeholder_group=event.stakeholder_group,
            )
        )

    @_on.register
    def _(self, event: Partnership.Formed, conn: Connection, position: int) -> None:
        conn.execute(insert(partnerships).values(id=event.originator_id, name=event.name))

    @_on.register
    def _(self, event: Partnership.MemberJoined, conn: Connection, position: int) -> None:
        conn.execute(
            insert(members).values(
                partnership_id=event.originator_id,
                participant_id=event.participant_id,
                stakeholder_group=event.stakeholder_group,
                joined_on=event.joined_on,
            )
        )

    @_on.register
    def _(self, event: Partnership.ChairAppointed, conn: Connection, position: int) -> None:
        conn.execute(
            update(partnerships)
            .where(partnerships.c.id == event.originator_id)
            .values(chair_id=event.participant_id)
        )

    @_on.register
    def _(self, event: Policy.Started, conn: Connection, position: int) -> None:
        conn.execute(
            insert(policies).values(
                id=event.originator_id,
                partnership_id=event.partnership_id,
                title=event.title,
                initiated_by=event.initiated_by,
                started_on=event.started_on,
            )
        )

    @_on.register
    def _(self, event: Policy.StageEntered, conn: Connection, position: int) -> None:
        conn.execute(
            insert(stages).values(
                policy_id=event.originator_id,
                cycle=event.cycle,
                stage=event.stage,
                entered_on=event.entered_on,
                position=position,
            )
        )
        conn.execute(
            update(policies)
            .where(policies.c.id == event.originator_id)
            .values(stage=event.stage, cycle=event.cycle)
        )

    @_on.register
    def _(self, event: Meeting.Scheduled, conn: Connection, position: int) -> None:
        conn.execute(
            insert(meetings).values(
                id=event.originator_id,
                partnership_id=event.partnership_id,
                title=event.title,
                held_on=event.held_on,
                place=event.place,
            )
        )

    @_on.register
    def _(self, event: Meeting.AttendanceRecorded, conn: Connection, position: int) -> None:
        conn.execute(delete(attendance).where(attendance.c.meeting_id == event.originator_id))
        rows = [
            {"meeting_id": event.originator_id, "participant_id": person, "status": status}
            for status, people in (("present", event.present), ("apologies", event.apologies))
            for person in people
        ]
        if rows:
            conn.execute(insert(attendance), rows)

    @_on.register
    def _(self, event: Decision.Recorded, conn: Connection, position: int) -> None:
        conn.execute(
            insert(decisions).values(
                id=event.originator_id,
                policy_id=event.policy_id,
                meeting_id=event.meeting_id,
                stage=event.stage,
                cycle=event.cycle,
                text=event.text,
                proposed_by=event.proposed_by,
                decided_by=[str(p) for p in event.decided_by],
                decision_maker_groups=list(event.decision_maker_groups),
                method=event.method,
                votes=event.votes,
                happened_on=event.happened_on,
                recorded_at=event.timestamp,
                recorded_by=event.recorded_by,
                position=position,
            )
        )
