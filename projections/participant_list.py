"""Reads about participants: the list an admin looks through (for erasure), a page at a time, and
the partnerships and policies a participant belongs to."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Connection, and_, or_, select, tuple_

from domain.people import ERASED_NAME
from projections.directory import members, participants, partnerships, policies


def participants_page(conn: Connection, after: UUID | None, limit: int) -> list[dict[str, Any]]:
    """Participants by name then id, from the one after `after` (a participant's id: a page's
    address names no one). An erased participant reads as erased (their name is gone)."""
    query = select(participants.c.id, participants.c.name, participants.c.stakeholder_group)
    if after is not None:
        name = conn.scalar(select(participants.c.name).where(participants.c.id == after))
        if name is not None:
            query = query.where(
                or_(participants.c.name > name, and_(participants.c.name == name, participants.c.id > after))
                if conn.dialect.name == "sqlite"
                else tuple_(participants.c.name, participants.c.id) > tuple_(name, after)
            )
    query = query.order_by(participants.c.name, participants.c.id).limit(limit)
    return [{**row._asdict(), "erased": row.name == ERASED_NAME} for row in conn.execute(query)]


def partnerships_of(conn: Connection, participant_id: UUID) -> list[str]:
    """The names of the partnerships a participant is a member of."""
    query = (
        select(partnerships.c.name)
        .join(members, members.c.partnership_id == partnerships.c.id)
        .where(members.c.participant_id == participant_id)
        .order_by(partnerships.c.name)
    )
    return list(conn.scalars(query))


def policies_open_to(conn: Connection, participant_id: UUID) -> list[dict[str, Any]]:
    """The policies of the participant's partnerships that are not retired: those they may give
    their input on, at the stage each stands at."""
    query = (
        select(policies.c.id, policies.c.title, policies.c.stage, policies.c.cycle)
        .join(members, members.c.partnership_id == policies.c.partnership_id)
        .where(members.c.participant_id == participant_id)
        .where(policies.c.retired_on.is_(None))
        .where(policies.c.stage.is_not(None))
        .order_by(policies.c.title, policies.c.id)
    )
    return [row._asdict() for row in conn.execute(query)]
