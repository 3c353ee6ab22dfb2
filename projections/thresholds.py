"""The thresholds each partnership's policies are judged by: every change, with its values, its
reason, when it was agreed and recorded, and who recorded it.

A verdict reads them to say what it was judged by and where that differs from the defaults
(DESIGN.md, "Thresholds"); a partnership that never changed them is judged by the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, Column, Connection, Date, MetaData, Table, Text, Uuid, insert, select

from domain.evidence import DEFAULT_THRESHOLDS, Stated, Thresholds, stated
from domain.partnerships import Partnership
from projections.read_model import ReadModel
from projections.runner import POSITION, recorded_day

metadata = MetaData()

changes = Table(
    "thresholds_changes",
    metadata,
    Column("ref", POSITION, primary_key=True),
    Column("partnership_id", Uuid, nullable=False, index=True),
    Column("thresholds", JSON, nullable=False),  # all five, by name
    Column("reason", Text, nullable=False),
    Column("happened_on", Date, nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("recorded_by", Uuid, nullable=False),
)


class PartnershipThresholds(ReadModel):
    name = "thresholds"
    metadata = metadata

    @singledispatchmethod
    def _on(self, event: Any, conn: Connection, position: int) -> None:
        """Events that do not change thresholds are passed over."""

    @_on.register
    def _(self, event: Partnership.ThresholdsChanged, conn: Connection, position: int) -> None:
        conn.execute(
            insert(changes),
            dict(
                ref=position,
                partnership_id=event.originator_id,
                thresholds=event.values,
                reason=event.reason,
                happened_on=event.happened_on,
                recorded_on=recorded_day(event.timestamp),
                recorded_by=event.recorded_by,
            ),
        )


@dataclass(frozen=True)
class JudgedBy:
    """What a verdict states: the thresholds, each with its default where it differs, and the last
    change (its reason and dates), or None while the defaults stand."""

    thresholds: Thresholds
    stated: list[Stated]
    last_change: dict[str, Any] | None


def changes_of(conn: Connection, partnership_id: UUID) -> list[dict[str, Any]]:
    """Every change the partnership made to its thresholds, the latest first."""
    query = select(changes).where(changes.c.partnership_id == partnership_id).order_by(changes.c.ref.desc())
    return [dict(row._mapping) for row in conn.execute(query)]


def judged_by(
    conn: Connection, partnership_id: UUID, as_of: date | None = None, as_recorded: bool = False
) -> JudgedBy:
    """The thresholds in force: now, or at the end of `as_of` in one of the two readings (agreed by
    then; and, as recorded, also recorded by then), so a past verdict is judged as it was then."""
    known = [
        change
        for change in changes_of(conn, partnership_id)
        if as_of is None
        or (change["happened_on"] <= as_of and (not as_recorded or change["recorded_on"] <= as_of))
    ]
    latest = max(known, key=lambda change: (change["happened_on"], change["ref"]), default=None)
    thresholds = Thresholds(**latest["thresholds"]) if latest else DEFAULT_THRESHOLDS
    return JudgedBy(thresholds, stated(thresholds), latest)


def thresholds_for(conn: Connection, partnership_id: UUID) -> Thresholds:
    """The thresholds the partnership's policies are judged by: the defaults until it changes them."""
    return judged_by(conn, partnership_id).thresholds
