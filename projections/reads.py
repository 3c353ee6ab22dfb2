"""What the pages read: plain rows from the projections, in the shape each page needs."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Connection, func, select

from projections import audit_trail, directory
from projections.directory import (
    attendance,
    decisions,
    meetings,
    members,
    participants,
    partnerships,
    policies,
    stages,
)

Row = dict[str, Any]


def _rows(conn: Connection, query: Any) -> list[Row]:
    return [dict(row._mapping) for row in conn.execute(query)]


def _one(conn: Connection, query: Any) -> Row | None:
    row = conn.execute(query).first()
    return dict(row._mapping) if row else None


def all_partnerships(conn: Connection) -> list[Row]:
    policy_count = (
        select(func.count()).where(policies.c.partnership_id == partnerships.c.id).scalar_subquery()
    )
    member_count = select(func.count()).where(members.c.partnership_id == partnerships.c.id).scalar_subquery()
    query = select(
        partnerships.c.id,
        partnerships.c.name,
        policy_count.label("policies"),
        member_count.label("members"),
    ).order_by(partnerships.c.name)
    return _rows(conn, query)


def partnership(conn: Connection, partnership_id: UUID) -> Row | None:
    return _one(conn, select(partnerships).where(partnerships.c.id == partnership_id))


def partnership_members(conn: Connection, partnership_id: UUID) -> list[Row]:
    query = (
        select(participants.c.id, participants.c.name, members.c.stakeholder_group)
        .join(members, members.c.participant_id == participants.c.id)
        .where(members.c.partnership_id == partnership_id)
        .order_by(participants.c.name)
    )
    return _rows(conn, query)


def partnership_policies(conn: Connection, partnership_id: UUID) -> list[Row]:
    query = select(policies).where(policies.c.partnership_id == partnership_id).order_by(policies.c.title)
    return _rows(conn, query)


def partnership_meetings(conn: Connection, partnership_id: UUID) -> list[Row]:
    query = (
        select(meetings)
        .where(meetings.c.partnership_id == partnership_id)
        .order_by(meetings.c.held_on.desc(), meetings.c.title)
    )
    return _rows(conn, query)


def policy(conn: Connection, policy_id: UUID) -> Row | None:
    return _one(conn, select(policies).where(policies.c.id == policy_id))


def policy_stages(conn: Connection, policy_id: UUID) -> list[Row]:
    query = select(stages).where(stages.c.policy_id == policy_id).order_by(stages.c.position)
    return _rows(conn, query)


def policy_trail(conn: Connection, policy_id: UUID) -> list[Row]:
    trail = audit_trail.trail
    query = select(trail).where(trail.c.policy_id == policy_id).order_by(trail.c.position)
    return _rows(conn, query)


def meeting(conn: Connection, meeting_id: UUID) -> Row | None:
    return _one(conn, select(meetings).where(meetings.c.id == meeting_id))


def meeting_attendance(conn: Connection, meeting_id: UUID) -> dict[UUID, str]:
    query = select(attendance.c.participant_id, attendance.c.status).where(
        attendance.c.meeting_id == meeting_id
    )
    return {row.participant_id: row.status for row in conn.execute(query)}


def meeting_decisions(conn: Connection, meeting_id: UUID) -> list[Row]:
    query = (
        select(decisions, policies.c.title.label("policy_title"))
        .join(policies, policies.c.id == decisions.c.policy_id)
        .where(decisions.c.meeting_id == meeting_id)
        .order_by(decisions.c.position)
    )
    return _rows(conn, query)


def names(conn: Connection) -> dict[str, str]:
    """Participants' and operators' names by id (as text, as ids appear in templates and JSON)."""
    found = {}
    for table in (participants, directory.operators):
        found.update({str(row.id): row.name for row in conn.execute(select(table.c.id, table.c.name))})
    return found
