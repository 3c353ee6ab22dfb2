"""What the pages read: plain rows from the projections, in the shape each page needs."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Connection, func, select

from projections import audit_trail, directory
from projections.directory import (
    actions,
    adjustments,
    agenda,
    attendance,
    citations,
    contributions,
    decision_changes,
    decisions,
    meetings,
    members,
    participants,
    partnerships,
    policies,
    stages,
    versions,
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
    """The meeting's decisions, each with the contributions it cites and what became of it since."""
    query = (
        select(decisions, policies.c.title.label("policy_title"))
        .join(policies, policies.c.id == decisions.c.policy_id)
        .where(decisions.c.meeting_id == meeting_id)
        .order_by(decisions.c.position)
    )
    return _with_citations_and_changes(conn, _rows(conn, query))


def _with_citations_and_changes(conn: Connection, found: list[Row]) -> list[Row]:
    ids = [row["id"] for row in found]
    cited = _rows(
        conn,
        select(citations.c.decision_id, contributions)
        .join(contributions, contributions.c.id == citations.c.contribution_id)
        .where(citations.c.decision_id.in_(ids))
        .order_by(contributions.c.position),
    )
    changes = _rows(
        conn,
        select(decision_changes)
        .where(decision_changes.c.decision_id.in_(ids))
        .order_by(decision_changes.c.position),
    )
    for row in found:
        row["cites"] = [c for c in cited if c["decision_id"] == row["id"]]
        row["changes"] = [c for c in changes if c["decision_id"] == row["id"]]
    return found


def meeting_agenda(conn: Connection, meeting_id: UUID) -> list[Row]:
    query = (
        select(agenda, policies.c.title.label("policy_title"))
        .outerjoin(policies, policies.c.id == agenda.c.policy_id)
        .where(agenda.c.meeting_id == meeting_id)
        .order_by(agenda.c.position)
    )
    return _rows(conn, query)


def meeting_adjustments(conn: Connection, meeting_id: UUID) -> list[Row]:
    query = select(adjustments).where(adjustments.c.meeting_id == meeting_id).order_by(adjustments.c.position)
    return _rows(conn, query)


def meeting_actions(conn: Connection, meeting_id: UUID) -> list[Row]:
    query = select(actions).where(actions.c.meeting_id == meeting_id).order_by(actions.c.position)
    return _rows(conn, query)


def meeting_contributions(conn: Connection, meeting_id: UUID) -> list[Row]:
    query = (
        select(contributions, policies.c.title.label("policy_title"))
        .join(policies, policies.c.id == contributions.c.policy_id)
        .where(contributions.c.meeting_id == meeting_id)
        .order_by(contributions.c.position)
    )
    return _rows(conn, query)


def partnership_contributions(conn: Connection, partnership_id: UUID) -> list[Row]:
    """Every contribution on the partnership's policies, oldest first, with its policy's title."""
    query = (
        select(contributions, policies.c.title.label("policy_title"))
        .join(policies, policies.c.id == contributions.c.policy_id)
        .where(policies.c.partnership_id == partnership_id)
        .order_by(policies.c.title, contributions.c.position)
    )
    return _rows(conn, query)


def contribution(conn: Connection, contribution_id: UUID) -> Row | None:
    query = (
        select(contributions, policies.c.title.label("policy_title"), policies.c.partnership_id)
        .join(policies, policies.c.id == contributions.c.policy_id)
        .where(contributions.c.id == contribution_id)
    )
    return _one(conn, query)


def decisions_citing(conn: Connection, contribution_ids: list[UUID]) -> list[Row]:
    """Decisions that cite any of the contributions, each row naming the contribution it cites."""
    query = (
        select(citations.c.contribution_id, decisions)
        .join(decisions, decisions.c.id == citations.c.decision_id)
        .where(citations.c.contribution_id.in_(contribution_ids))
        .order_by(decisions.c.position)
    )
    return _rows(conn, query)


def participant(conn: Connection, participant_id: UUID) -> Row | None:
    return _one(conn, select(participants).where(participants.c.id == participant_id))


def contributions_by(conn: Connection, participant_id: UUID) -> list[Row]:
    """A participant's own contributions, newest first, with where their policy stands now."""
    query = (
        select(
            contributions,
            policies.c.title.label("policy_title"),
            policies.c.stage.label("policy_stage"),
            policies.c.cycle.label("policy_cycle"),
            policies.c.adopted_on.label("policy_adopted_on"),
            policies.c.retired_on.label("policy_retired_on"),
        )
        .join(policies, policies.c.id == contributions.c.policy_id)
        .where(contributions.c.contributor_id == participant_id)
        .order_by(contributions.c.position.desc())
    )
    return _rows(conn, query)


def latest_versions(conn: Connection, policy_ids: list[UUID]) -> dict[UUID, Row]:
    """Each policy's latest published document version, for those that have one."""
    query = select(versions).where(versions.c.policy_id.in_(policy_ids)).order_by(versions.c.position)
    return {row["policy_id"]: row for row in _rows(conn, query)}


def names(conn: Connection) -> dict[str, str]:
    """Participants' and operators' names by id (as text, as ids appear in templates and JSON)."""
    found = {}
    for table in (participants, directory.operators):
        found.update({str(row.id): row.name for row in conn.execute(select(table.c.id, table.c.name))})
    return found
