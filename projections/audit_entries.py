"""How the audit trail writes an entry, and the lookups its entries make.

Names and groups come from the lookup tables the audit trail keeps for itself (`audit_tables`), as
they stood when the fact was recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from domain.dates import format_date
from domain.vocabulary import CONTRIBUTION_KINDS, group_label
from projections.audit_tables import decisions, lookups, meetings, policies, trail, trail_groups
from projections.batch import Batch, Row
from projections.people_lookup import Person, people_in
from projections.runner import recorded_day


def write_entry(conn: Batch, event: Any, position: int, groups: Iterable[str] = (), **values: Any) -> None:
    """One row of the trail, at the event's position, with the groups it concerns."""
    if "recorded_by_name" not in values:
        values["recorded_by_name"] = people_named(conn, {event.recorded_by})[event.recorded_by]["name"]
    if values.get("stage") is None:
        # A fact without a stage of its own (a rating, a version) belongs to the stage the
        # policy was at when it was recorded.
        current = conn.row(policies, values["policy_id"])
        assert current is not None, values["policy_id"]
        values.update(stage=current["stage"], cycle=current["cycle"])
    conn.insert(
        trail,
        dict(
            position=position,
            recorded_at=event.timestamp,
            recorded_on=recorded_day(event.timestamp),
            **values,
        ),
    )
    if groups:
        conn.insert(
            trail_groups,
            [
                {"position": position, "policy_id": values["policy_id"], "stakeholder_group": group}
                for group in sorted(groups)
            ],
        )


def people_named(conn: Batch, ids: set[UUID]) -> dict[UUID, Person]:
    """The people an event names, as the audit trail's people table has them."""
    return people_in(conn, lookups.people, ids)


def cited(contribution: Row) -> dict[str, str]:
    return {
        "id": str(contribution["id"]),
        "contributor": contribution["contributor"],
        "group": group_label(contribution["stakeholder_group"]),
        "kind": CONTRIBUTION_KINDS[contribution["kind"]],
        "text": contribution["text"],
    }


def meeting_title(conn: Batch, meeting_id: UUID | None) -> str | None:
    if meeting_id is None:
        return None
    meeting = conn.row(meetings, meeting_id)
    return meeting and meeting["title"]


def decision_row(conn: Batch, decision_id: UUID) -> Row:
    found = conn.row(decisions, decision_id)
    assert found is not None, decision_id  # a decision the log names was recorded before
    return found


def decision_named(conn: Batch, decision_id: UUID | None) -> dict[str, str] | None:
    if decision_id is None:
        return None
    earlier = decision_row(conn, decision_id)
    return {
        "id": str(earlier["id"]),
        "text": earlier["text"],
        "happened_on": format_date(earlier["happened_on"]),
    }
