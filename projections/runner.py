"""Keeps projections caught up with the event log, each event applied exactly once.

Every projection has a position (the id of the last notification it applied) in one tracking table.
A catch-up reads the notifications after the lowest position in batches and, for each batch, writes the
projections' rows and their new positions in one transaction. A position moves only from the value the
batch started from (compare-and-set), so two processes catching up at once cannot both apply an event:
the loser rolls back and reads again.

The library's own projection runner needs `recorder.subscribe()`, which works only on PostgreSQL; this
works on SQLite too, and a request can call `catch_up()` to read its own writes without sleeping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, OperationalError
from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, select, update
from sqlalchemy.orm import Session

positions_metadata = MetaData()
projection_positions = Table(
    "cotrace_projection_positions",
    positions_metadata,
    Column("projection", String(64), primary_key=True),
    Column("position", BigInteger().with_variant(Integer(), "sqlite"), nullable=False),
)

MAX_RETRIES = 50

Progress = Callable[[int, int], None]  # (applied so far, total to apply)


class Projection(Protocol):
    name: str
    metadata: MetaData

    def apply(self, session: Session, event: Any, position: int) -> None: ...


class LostRace(Exception):
    """Another process applied this batch first."""


class ReadModels:
    def __init__(self, app: Application, projections: Iterable[Projection], batch_size: int = 500) -> None:
        self.app = app
        self.projections = list(projections)
        self.batch_size = batch_size
        self.datastore = app.recorder.datastore  # type: ignore[attr-defined]
        self.engine = self.datastore.engine

    def create_tables(self) -> None:
        positions_metadata.create_all(self.engine)
        for projection in self.projections:
            projection.metadata.create_all(self.engine)
        with self.datastore.transaction(commit=True) as session:
            known = set(session.scalars(select(projection_positions.c.projection)))
            for projection in self.projections:
                if projection.name not in known:
                    session.execute(
                        projection_positions.insert().values(projection=projection.name, position=0)
                    )

    def positions(self) -> dict[str, int]:
        with self.datastore.transaction(commit=False) as session:
            rows = session.execute(select(projection_positions)).all()
        return {row.projection: row.position for row in rows}

    def pending(self) -> int:
        """How many notifications the slowest projection has still to apply."""
        head = self.app.recorder.max_notification_id() or 0
        return max(0, head - min(self.positions().values(), default=0))

    def catch_up(self, progress: Progress | None = None) -> int:
        """Applies every notification not yet applied; returns how many were applied."""
        applied = 0
        total = self.pending()
        retries = 0
        while True:
            try:
                count = self._apply_next_batch()
            except (LostRace, IntegrityError, OperationalError):
                # Someone else moved a position (or SQLite was busy): read the positions again.
                retries += 1
                if retries > MAX_RETRIES:
                    raise
                continue
            if count == 0:
                return applied
            applied += count
            if progress:
                progress(applied, max(total, applied))

    def rebuild(self, progress: Progress | None = None) -> int:
        """Drops every projection's tables, recreates them, and applies the whole log again."""
        for projection in self.projections:
            projection.metadata.drop_all(self.engine)
        with self.datastore.transaction(commit=True) as session:
            session.execute(projection_positions.delete())
        self.create_tables()
        return self.catch_up(progress)

    def _apply_next_batch(self) -> int:
        with self.datastore.transaction(commit=True) as session:
            positions = {
                row.projection: row.position for row in session.execute(select(projection_positions)).all()
            }
            start = min(positions[p.name] for p in self.projections)
            notifications = self.app.recorder.select_notifications(
                start, self.batch_size, inclusive_of_start=False
            )
            if not notifications:
                return 0
            last = notifications[-1].id
            behind = [p for p in self.projections if positions[p.name] < last]
            for projection in behind:
                self._move_position(session, projection.name, positions[projection.name], last)
            for notification in notifications:
                event = self.app.mapper.to_domain_event(notification)
                for projection in behind:
                    if notification.id > positions[projection.name]:
                        projection.apply(session, event, notification.id)
            return len(notifications)

    @staticmethod
    def _move_position(session: Session, name: str, start: int, end: int) -> None:
        # Taken first, so a concurrent catch-up waits on this row and then finds it moved.
        moved = session.execute(
            update(projection_positions)
            .where(projection_positions.c.projection == name)
            .where(projection_positions.c.position == start)
            .values(position=end)
        )
        if moved.rowcount != 1:
            raise LostRace(name)
