"""Each meeting's minutes: every version written or attached, and which one was approved.

The meeting page shows the latest version (its words, or the file's name and SHA-256 checksum) and,
once approved, the checksum of the version the approvers read. Who approved, and when, the
directory keeps with the meeting.
"""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    select,
)

from domain.meetings import Meeting
from projections import directory_tables as directory
from projections.batch import Batch
from projections.read_model import ReadModel
from projections.runner import POSITION

metadata = MetaData()

versions = Table(
    "minutes_versions",
    metadata,
    Column("position", POSITION, primary_key=True),
    Column("meeting_id", Uuid, nullable=False),
    Column("number", Integer, nullable=False),
    Column("text", Text, nullable=False),  # empty when a file was attached
    Column("file_name", String(200), nullable=False),  # empty when the minutes were written here
    Column("content_hash", String(64), nullable=False),
    Column("recorded_by", Uuid, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("minutes_versions_meeting", "meeting_id", "position"),
)
approvals = Table(
    "minutes_approvals",
    metadata,
    Column("meeting_id", Uuid, primary_key=True),
    Column("content_hash", String(64)),  # none: approved before Cotrace kept the minutes
    Column("position", POSITION, nullable=False),
)


class Minutes(ReadModel):
    name = "minutes"
    metadata = metadata
    handler_indexes = ("minutes_versions_meeting",)

    @singledispatchmethod
    def _on(self, event: Any, conn: Batch, position: int) -> None:
        """Events that are not about minutes are passed over."""

    @_on.register
    def _(self, event: Meeting.MinutesWritten, conn: Batch, position: int) -> None:
        number = conn.scalar(
            select(versions.c.number)
            .where(versions.c.meeting_id == event.originator_id)
            .order_by(versions.c.position.desc())
            .limit(1)
        )
        conn.insert(
            versions,
            dict(
                position=position,
                meeting_id=event.originator_id,
                number=(number or 0) + 1,
                text=event.text,
                file_name=event.file_name,
                content_hash=event.content_hash,
                recorded_by=event.recorded_by,
                recorded_at=event.timestamp,
            ),
        )

    @_on.register
    def _(self, event: Meeting.MinutesApproved, conn: Batch, position: int) -> None:
        approved = dict(meeting_id=event.originator_id, content_hash=event.content_hash, position=position)
        conn.insert(approvals, approved)


def meeting_minutes(conn: Connection, meeting_id: UUID) -> dict[str, Any]:
    """The meeting's minutes: `latest` (a version with `recorded_by_name`, or None), how many
    versions there are, and `approved` (the version approved, None if none was named)."""
    operators = directory.operators
    rows = [
        dict(row._mapping)
        for row in conn.execute(
            select(versions, operators.c.name.label("recorded_by_name"))
            .outerjoin(operators, operators.c.id == versions.c.recorded_by)
            .where(versions.c.meeting_id == meeting_id)
            .order_by(versions.c.position)
        )
    ]
    approved_hash = conn.scalar(select(approvals.c.content_hash).where(approvals.c.meeting_id == meeting_id))
    approved = next((row for row in reversed(rows) if row["content_hash"] == approved_hash), None)
    return {"latest": rows[-1] if rows else None, "count": len(rows), "approved": approved}
