"""How a read model looks up the people an event names, and how it shows one.

Every read model keeps a people table of its own, so that it can be dropped and rebuilt alone; they
share how a name is read from it and shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import Table

from domain.vocabulary import group_label
from projections.batch import Batch

Person = dict[str, str | None]  # name, group code, group label


def people_in(batch: Batch, people: Table, ids: Iterable[UUID]) -> dict[UUID, Person]:
    """Names, group codes and group labels of the people with these ids, from a read model's
    people table: those the batch has not seen read in one query."""
    return {
        key: {
            "name": row["name"],
            "code": row["stakeholder_group"],
            "group": group_label(row["stakeholder_group"]) if row["stakeholder_group"] else None,
        }
        for key, row in batch.rows(people, ids).items()
    }


def shown(person: Person) -> Person:
    """A person as a page shows them: their name and their group's label."""
    return {"name": person["name"], "group": person["group"]}


def dissenters(event: Any) -> list[UUID]:
    """Those a decision's notes of dissent name (a note may name no one)."""
    return [UUID(str(note["by"])) for note in event.dissent if note.get("by")]


def named_by_decision(event: Any) -> list[UUID]:
    """Everyone a recorded decision names: who recorded and proposed it, its decision makers, those
    consulted and informed, and the dissenters."""
    return [
        event.recorded_by,
        event.proposed_by,
        *event.decided_by,
        *event.consulted,
        *event.informed,
        *dissenters(event),
    ]
