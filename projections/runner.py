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
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, Notification, OperationalError, Recording
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    exists,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Update

from projections.batch import Batch, Known

# A position in the log: the notification id. SQLite's integer primary keys are 64-bit already.
POSITION = BigInteger().with_variant(Integer(), "sqlite")


def recorded_day(timestamp: datetime) -> date:
    """The UTC day an event was recorded: every projection's "as of" counts days the same way."""
    return timestamp.astimezone(UTC).date()


positions_metadata = MetaData()
projection_positions = Table(
    "cotrace_projection_positions",
    positions_metadata,
    Column("projection", String(64), primary_key=True),
    Column("position", POSITION, nullable=False),
)

# The shape of each read model's tables, as this installation last built them (`ReadModel.version`).
# A read model with no row here was built before versions were kept: version 1.
read_model_versions = Table(
    "cotrace_read_model_versions",
    positions_metadata,
    Column("projection", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
)

MAX_RETRIES = 50
# Notifications a rebuild applies in each transaction: bounded, so a rebuild holds one batch in memory
# whatever the log's length. A batch holds SQLite's write lock (and on PostgreSQL the positions'
# rows) only while its rows are written, after it is applied in memory (`_apply_next_batch`), well
# inside the 10 s a web worker's command waits (`cotrace.connections`). 4,000 rebuilt the 100k
# store in 32.2 s where 1,000 took 37.4-38.9 s (fewer commits, lookups and statements; 170 MB
# against 147 MB at its peak); 10,000 gained nothing more, for 223 MB.
REBUILD_BATCH = 4000

Progress = Callable[[int, int], None]  # (applied so far, total to apply)


class Projection(Protocol):
    """What the runner needs of a read model (`projections.read_model.ReadModel` is one)."""

    name: str
    metadata: MetaData  # dropped and built again by a rebuild
    # A projection may also have `kept_metadata`: tables it writes that a rebuild keeps, because they
    # record what was done outside the database (the follow-up outbox: which messages were sent).

    def process_event(self, conn: Connection | Batch, event: Any, position: int) -> None: ...


@dataclass
class Carry:
    """What one batch of a catch-up hands on to the next: the rows it knew, and the positions it
    left (`Batch.carried`)."""

    known: Known | None = None
    positions: dict[str, int] | None = None


class LostRace(Exception):
    """Another process applied this batch first."""


class UnknownReadModel(ValueError):
    """A rebuild was asked for a read model the registry does not have."""

    def __init__(self, unknown: list[str], known: list[str]) -> None:
        self.unknown, self.known = unknown, known
        called = " or ".join(f"'{name}'" for name in unknown)
        super().__init__(f"There is no read model called {called}. The read models are: {', '.join(known)}")


class ReadModels:
    max_retries = MAX_RETRIES  # a lost race or a busy file, tried again this many times

    def __init__(self, app: Application, projections: Iterable[Projection], batch_size: int = 500) -> None:
        self.app = app
        self.projections = list(projections)
        self.batch_size = batch_size
        self.datastore = app.recorder.datastore  # type: ignore[attr-defined]
        self.engine = self.datastore.engine
        # The two statements every unit of work runs are built once: building a statement costs
        # several times what SQLite takes to run it.
        events = app.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
        self._select_head = select(func.max(events.c.id))
        self._select_after = (
            select(
                events.c.id,
                events.c.originator_id,
                events.c.originator_version,
                events.c.topic,
                events.c.state,
            )
            .where(events.c.id > bindparam("start"))
            .order_by(events.c.id)
            .limit(bindparam("limit"))
        )
        self._move_all = _move_together([p.name for p in self.projections])

    def create_tables(self) -> None:
        """Creates what is missing. A read model whose tables changed shape since this installation
        built them (its `version` differs) is dropped and starts again from position 0: the next
        catch-up rebuilds it from the log, and the others are left as they are."""
        positions_metadata.create_all(self.engine)
        self._drop_changed_read_models()
        for projection in self.projections:
            projection.metadata.create_all(self.engine)
            kept = getattr(projection, "kept_metadata", None)
            if kept is not None:
                kept.create_all(self.engine)
        with self.datastore.transaction(commit=True) as session:
            known = set(session.scalars(select(projection_positions.c.projection)))
            for projection in self.projections:
                if projection.name not in known:
                    session.execute(
                        projection_positions.insert().values(projection=projection.name, position=0)
                    )

    def _drop_changed_read_models(self) -> None:
        with self.datastore.transaction(commit=True) as session:
            rows = session.execute(select(read_model_versions.c.projection, read_model_versions.c.version))
            stored = {row.projection: row.version for row in rows}
            built = set(session.scalars(select(projection_positions.c.projection)))
            for projection in self.projections:
                version = getattr(projection, "version", 1)
                if projection.name in built and stored.get(projection.name, 1) != version:
                    projection.metadata.drop_all(session.connection())
                    session.execute(
                        projection_positions.delete().where(
                            projection_positions.c.projection == projection.name
                        )
                    )
                if stored.get(projection.name) != version:
                    session.execute(
                        read_model_versions.delete().where(
                            read_model_versions.c.projection == projection.name
                        )
                    )
                    session.execute(
                        read_model_versions.insert().values(projection=projection.name, version=version)
                    )

    def positions(self) -> dict[str, int]:
        with self._transaction(commit=False) as session:
            rows = session.execute(select(projection_positions)).all()
        return {row.projection: row.position for row in rows}

    def pending(self) -> int:
        """How many notifications the slowest projection has still to apply."""
        head = self.app.recorder.max_notification_id() or 0
        return max(0, head - min(self.positions().values(), default=0))

    def catch_up(self, progress: Progress | None = None, batch_size: int | None = None) -> int:
        """Applies every notification not yet applied, in transactions of its own of `batch_size`
        notifications (the runner's own, unless given).

        Returns how many were applied. A lost race (another process applied the batch first) or a
        busy SQLite file is retried: the positions are read again.
        """
        size = batch_size or self.batch_size
        total = self.pending() if progress else 0
        applied = 0
        retries = 0
        carry = Carry()
        while True:
            try:
                count = self._apply_next_batch(size, carry=carry)
            except (LostRace, IntegrityError, OperationalError):
                carry = Carry()  # what the failed batch knew was not written
                retries += 1
                if retries > self.max_retries:
                    raise
                continue
            applied += count
            if progress and count:
                progress(applied, max(total, applied))
            if count < size:
                return applied

    def apply_recorded(self, recordings: list[Recording], head_before: int) -> int:
        """Applies, inside the caller's transaction, the events the caller has just recorded, so
        its writes and the projections' rows commit together. Returns the new head of the log.

        When every projection stood at `head_before` and the recordings follow on from it, the
        events are applied as they are, without reading them back. Otherwise (a projection was
        behind, another process wrote) it catches up from the log, but only the projections that
        stood within a batch of `head_before`: one further behind is being rebuilt, or will be, by
        a process of its own (`cotrace rebuild`, the worker), which applies these events in its
        turn; a command that took its rebuild over would hold the request, and SQLite's write lock,
        for as long as the rest of the rebuild. A lost race is raised for the caller to retry the
        whole unit of work.
        """
        if not recordings:
            return head_before
        first, last = recordings[0].notification.id, recordings[-1].notification.id
        with self.datastore.transaction(commit=True) as session:
            if first == head_before + 1 and self._move_all_positions(session, head_before, last):
                batch = Batch(session.connection())
                for recording in recordings:
                    for projection in self.projections:
                        projection.process_event(batch, recording.domain_event, recording.notification.id)
                batch.flush()
                return last
        near = head_before - self.batch_size
        while self._apply_next_batch(self.batch_size, from_at_least=near) == self.batch_size:
            pass
        return last

    def head(self) -> int:
        """The id of the log's last notification, read in the caller's transaction if there is one."""
        with self.datastore.transaction(commit=False) as session:
            return session.scalar(self._select_head) or 0

    def named(self, names: Iterable[str]) -> list[Projection]:
        """The read models of these names, in the registry's order; raises UnknownReadModel."""
        wanted = list(dict.fromkeys(names))
        known = [p.name for p in self.projections]
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise UnknownReadModel(unknown, known)
        return [p for p in self.projections if p.name in wanted]

    def rebuild(
        self,
        progress: Progress | None = None,
        only: Iterable[str] | None = None,
        batch_size: int = REBUILD_BATCH,
    ) -> int:
        """Drops the read models' tables (every one's, or those named in `only`: the others are left
        as they stand), recreates them, and applies the whole log again, `batch_size` notifications
        a transaction. Pages keep reading meanwhile, and see the rebuilt rows grow batch by batch."""
        self.reset(only)
        return self.catch_up(progress, batch_size=batch_size)

    def reset(self, only: Iterable[str] | None = None) -> list[Projection]:
        """A rebuild's start: drops the read models' tables (every one's, or those named in `only`),
        recreates them empty and sets their positions back to 0. Returns the read models reset."""
        chosen = self.projections if only is None else self.named(only)
        names = [p.name for p in chosen]
        for projection in chosen:
            projection.metadata.drop_all(self.engine)
        with self.datastore.transaction(commit=True) as session:
            session.execute(projection_positions.delete().where(projection_positions.c.projection.in_(names)))
            session.execute(read_model_versions.delete().where(read_model_versions.c.projection.in_(names)))
        self.create_tables()
        return chosen

    def refresh_statistics(self, projections: Iterable[Projection]) -> list[str]:
        """On PostgreSQL, ANALYZE each of these read models' tables, and returns their names: a table
        a rebuild dropped and filled again has no statistics until autovacuum gets to it (never, on a
        server where it is off), and its planner then guessed a sequential scan of the audit trail
        for a page's 100 proofs by position (23 ms against under 1 ms by its key, at 100k events).
        SQLite's planner needs none: nothing is done there."""
        if self.engine.dialect.name != "postgresql":
            return []
        tables = [table.name for projection in projections for table in projection.metadata.sorted_tables]
        with self.engine.connect() as conn:
            for name in tables:
                conn.exec_driver_sql(f'ANALYZE "{name}"')
            conn.commit()
        return tables

    def read_the_log(self, batch_size: int = REBUILD_BATCH) -> int:
        """Reads every notification of the log, as stored (not decoded into events), in batches as
        a rebuild reads them, and returns how many: the floor a rebuild's time is measured against."""
        start = count = 0
        while True:
            with self.datastore.transaction(commit=False) as session:
                notifications = self._notifications_after(session, start, batch_size)
            if not notifications:
                return count
            count += len(notifications)
            start = notifications[-1].id

    def rebuild_in_one_transaction(self, progress: Progress | None = None) -> int:
        """Rebuilds every read model, as `rebuild` does, in one transaction: the caller's, when one
        is open. Pages read the old rows until it commits (PostgreSQL's readers wait on the dropped
        tables; SQLite's see the file as it was), and a failure leaves them as they were. For work
        that must commit with the rebuild: an erasure, whose key goes as its words leave the rows."""
        with self.datastore.transaction(commit=True) as session:
            connection = session.connection()
            for projection in self.projections:
                projection.metadata.drop_all(connection)
                projection.metadata.create_all(connection)
            names = [p.name for p in self.projections]
            session.execute(
                update(projection_positions)
                .where(projection_positions.c.projection.in_(names))
                .values(position=0)
            )
            return self.catch_up(progress)

    def _apply_next_batch(
        self, batch_size: int, from_at_least: int | None = None, carry: Carry | None = None
    ) -> int:
        """Applies the next batch to the projections behind; with `from_at_least`, only to those
        that stand at or after it (none: nothing is applied). With `carry`, the batch starts from
        the rows the batch before it knew, if every position stands where that batch left it (no
        other process has written a read model since), and leaves its own for the next."""
        with self._transaction(commit=True) as session:
            positions = self._read_positions(session)
            if from_at_least is not None:
                positions = {name: at for name, at in positions.items() if at >= from_at_least}
                if not positions:
                    return 0
            start = min(positions.values())
            notifications = self._notifications_after(session, start, batch_size)
            if not notifications:
                return 0
            last = notifications[-1].id
            behind = [p for p in self.projections if p.name in positions and positions[p.name] < last]
            known = carry.known if carry is not None and carry.positions == positions else None
            batch = Batch(session.connection(), known)
            for notification in notifications:
                event = self.app.mapper.to_domain_event(notification)
                for projection in behind:
                    if notification.id > positions[projection.name]:
                        projection.process_event(batch, event, notification.id)
            # The positions move once the events are applied in memory and their rows turned into
            # the driver's values, just before the rows are written: SQLite's write lock (taken by
            # the first write) is then held for the writing alone, and processes rebuilding read
            # models of their own each apply their batch while the other writes
            # (`cotrace.rebuilding`). One that applied the same batch is refused.
            batch.prepare()
            for position in {positions[p.name] for p in behind}:
                moving = [p for p in behind if positions[p.name] == position]
                self._move_positions(session, moving, position, last)
            batch.flush()
            if carry is not None:
                carry.known = batch.carried()
                carry.positions = {**positions, **{p.name: last for p in behind}}
            return len(notifications)

    def _transaction(self, commit: bool) -> AbstractContextManager[Session]:
        """A transaction on the database the read models' rows are written to (and the log read
        from): the store's, unless a rebuild writes them elsewhere first (`projections.staging`)."""
        return self.datastore.transaction(commit=commit)

    def _notifications_after(self, session: Session, start: int, limit: int) -> list[Notification]:
        """The notifications after `start`, in order, as the recorder's `select_notifications` gives
        them, read with one statement built once: the recorder builds an ORM object for each row
        first, 3.3 of a rebuild's 90 s under cProfile at 100k events."""
        rows = session.execute(self._select_after, {"start": start, "limit": limit})
        return [
            Notification(
                id=row[0],
                originator_id=row[1],
                originator_version=row[2],
                topic=row[3],
                state=bytes(row[4]) if isinstance(row[4], memoryview) else row[4],
            )
            for row in rows
        ]

    def _read_positions(self, session: Session) -> dict[str, int]:
        rows = session.execute(select(projection_positions)).all()
        found = {row.projection: row.position for row in rows}
        return {p.name: found[p.name] for p in self.projections}

    def _move_all_positions(self, session: Session, start: int, end: int) -> bool:
        """Moves every projection from `start` to `end` in one statement, if all stand at `start`.

        False when one does not (it is behind or ahead): then none has moved.
        """
        moved = session.execute(self._move_all, {"start": start, "end": end})
        if moved.rowcount == 0:
            return False
        if moved.rowcount != len(self.projections):
            raise LostRace(", ".join(p.name for p in self.projections))  # another process moved one
        return True

    @staticmethod
    def _move_positions(session: Session, projections: list[Projection], start: int, end: int) -> None:
        # Compare-and-set, taken before the batch's rows are written (a lookup may have written
        # some already: they roll back with it): a concurrent catch-up of the same read models
        # waits on these rows, then finds them moved and rolls back.
        names = [p.name for p in projections]
        moved = session.execute(
            update(projection_positions)
            .where(projection_positions.c.projection.in_(names))
            .where(projection_positions.c.position == start)
            .values(position=end)
        )
        if moved.rowcount != len(names):
            raise LostRace(", ".join(names))


def _move_together(names: list[str]) -> Update:
    """UPDATE every named position from :start to :end, but only if all of them stand at :start."""
    other = projection_positions.alias("other")
    return (
        update(projection_positions)
        .where(projection_positions.c.projection.in_(names))
        .where(projection_positions.c.position == bindparam("start"))
        .where(~exists().where(other.c.projection.in_(names)).where(other.c.position != bindparam("start")))
        .values(position=bindparam("end"))
    )
