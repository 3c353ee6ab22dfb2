"""A rebuild on SQLite written into a file of its own first, then copied into the store at once.

Rebuilt in place, each batch of 4,000 events wrote about 120 MB of pages on a store of 857,024
events (docs/performance.md): most rows go into B-trees keyed by random UUIDs, so each batch
touches pages all over them, and each page went through the write-ahead log and back into the
file, under the one write lock the rebuild's processes took in turn. Here a process applies the
log to its read models' tables in a file of its own, next to the store's (read through `ATTACH`),
with no journal and no syncing: nothing in it is a record (a rebuild that fails leaves the file to
be removed, and starts again), and no other process waits on it. Its tables have only the indexes
the handlers search by (`staged_indexes`). Once it has caught up, its rows are copied into the
store's tables in one transaction, in the order of their keys, each table's indexes (every one,
those only pages read too) made again after its rows (by sorting, not row by row), and the read
models' positions set to where the file stood; the events recorded meanwhile are applied in place
as any catch-up does.

Pages meanwhile read the read models as `ReadModels.reset` left them (empty) until the copy
commits, then whole. A table a read model keeps through a rebuild (`kept_metadata`: the follow-up
outbox, which records what was sent) is not in the file: the file's connection finds it in the
store, and writes it there batch by batch, as a rebuild in place does.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from sqlalchemy import Engine, Index, Table, create_engine, event, insert
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateIndex, CreateTable

from projections.runner import (
    Progress,
    Projection,
    ReadModels,
    positions_metadata,
    projection_positions,
)

# The page cache of the file being written, KiB: a batch's rows land all over the read models'
# B-trees, and pages kept need not be read back from the file for the next batch.
STAGING_CACHE_KIB = 64 * 1024
# How long the copy waits for the store's write lock: a command holds it for milliseconds, but the
# copy of another process's file can hold it for as long as the copy takes.
COPY_WAIT_MS = 600_000


def can_stage(engine: Engine) -> bool:
    """The read models can be rebuilt in a file of their own when the store is a SQLite file. The
    tables one keeps through a rebuild (`kept_metadata`) are not made in the file: their names are
    found in the store, and written there, as a rebuild in place writes them."""
    return store_file(engine) is not None


def store_file(engine: Engine) -> Path | None:
    """The store's file, when it is a SQLite file (not one in memory)."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


class StagedRebuild:
    """The read models `projections`, reset in the store (positions at 0), rebuilt in the file at
    `path` (made afresh, readable by this user alone) and copied into the store's tables."""

    def __init__(
        self, app: Application, store: Engine, projections: Iterable[Projection], path: Path
    ) -> None:
        self.app, self.store, self.path = app, store, path
        self.projections = list(projections)
        source = store_file(store)
        if source is None:
            raise ValueError("A rebuild is staged in a file of its own only for a SQLite file store.")
        _new_private_file(path)
        self.engine = _staging_engine(path, source)
        self.read_models = _StagedReadModels(app, self.projections, self.engine)

    def catch_up(self, progress: Progress | None = None, batch_size: int | None = None) -> int:
        """Applies the log to the file's read models, in batches; returns how many were applied."""
        return self.read_models.catch_up(progress, batch_size=batch_size)

    def copy_into_store(self) -> int:
        """Replaces the read models' rows in the store with the file's, in one transaction, and sets
        their positions to where the file's stand; returns that position."""
        position = min(self.read_models.positions().values())
        self.engine.dispose()  # the file is read by the store's connection from here
        raw: Any = self.store.raw_connection()
        try:
            sqlite = raw.driver_connection
            waited = sqlite.execute("PRAGMA busy_timeout").fetchone()[0]
            sqlite.execute(f"PRAGMA busy_timeout={COPY_WAIT_MS}")
            sqlite.execute("ATTACH DATABASE ? AS staged", (str(self.path),))
            try:
                sqlite.execute("BEGIN IMMEDIATE")
                try:
                    for projection in self.projections:
                        for table in projection.metadata.sorted_tables:
                            self._copy(sqlite, table)
                    names = [p.name for p in self.projections]
                    sqlite.execute(
                        f"UPDATE main.{projection_positions.name} SET position = ? "
                        f"WHERE projection IN ({', '.join('?' for _ in names)})",
                        (position, *names),
                    )
                    sqlite.execute("COMMIT")
                except BaseException:
                    sqlite.execute("ROLLBACK")
                    raise
            finally:
                sqlite.execute("DETACH DATABASE staged")
                # Also when the copy failed: the connection goes back to the pool, for commands.
                sqlite.execute(f"PRAGMA busy_timeout={waited}")
        finally:
            raw.close()
        return position

    def _copy(self, sqlite: Any, table: Table) -> None:
        """One table's rows, in the order of its key (so the key's B-tree is written page after
        page, not a page here and there through a small cache), with its secondary indexes dropped
        first and made again after, by sorting."""
        dialect = self.store.dialect
        quoted = dialect.identifier_preparer.quote
        columns = ", ".join(quoted(column.name) for column in table.columns)
        order = ", ".join(quoted(column.name) for column in table.primary_key.columns) or "rowid"
        for index in table.indexes:
            sqlite.execute(f"DROP INDEX IF EXISTS main.{quoted(index.name)}")
        sqlite.execute(f"DELETE FROM main.{quoted(table.name)}")
        sqlite.execute(
            f"INSERT INTO main.{quoted(table.name)} ({columns}) "
            f"SELECT {columns} FROM staged.{quoted(table.name)} ORDER BY {order}"
        )
        for index in table.indexes:
            sqlite.execute(str(CreateIndex(index).compile(dialect=dialect)))

    def remove(self) -> None:
        """Removes the file (done with, or left by a rebuild that failed)."""
        self.engine.dispose()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def cut_write_ahead_log(engine: Engine) -> None:
    """After a rebuild's copies: they went through the store's write-ahead log, as large as their
    rows, which is written back into the file (the copy's commit did most of it) and cut short,
    rather than left on the disk at that size. Waits for the store's writers, not for ever: a reader
    still in the log keeps it for the worker's next checkpoint. Not done by each copy: it would hold
    up another process's copy for as long."""
    if store_file(engine) is None:
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


@contextlib.contextmanager
def staged(
    app: Application, store: Engine, projections: Iterable[Projection], path: Path
) -> Iterator[StagedRebuild]:
    """A `StagedRebuild` whose file is removed at the end, however it ends."""
    rebuild = StagedRebuild(app, store, projections, path)
    try:
        yield rebuild
    finally:
        rebuild.remove()


class _StagedReadModels(ReadModels):
    """The runner, writing to the staging file: its tables and positions are the file's own, and
    the log is the store's, found through the file's connection (SQLite looks a name up in the
    file first, then in the databases attached to it)."""

    max_retries = 0  # nothing else writes to the file; and with no journal a rollback undoes nothing

    def __init__(self, app: Application, projections: list[Projection], engine: Engine) -> None:
        super().__init__(app, projections)
        self.engine = engine
        with engine.begin() as conn:
            positions_metadata.create_all(conn, tables=[projection_positions], checkfirst=False)
            for projection in projections:
                # Made before the log is looked up in it: a table of the same name in the store
                # must not be taken for this file's (`checkfirst` would find it there).
                for table in projection.metadata.sorted_tables:
                    conn.execute(CreateTable(table))
                    for index in staged_indexes(projection, table):
                        conn.execute(CreateIndex(index))
            conn.execute(
                insert(projection_positions), [{"projection": p.name, "position": 0} for p in projections]
            )

    @contextlib.contextmanager
    def _transaction(self, commit: bool) -> Iterator[Session]:
        with Session(self.engine) as session:
            if commit:
                with session.begin():
                    yield session
            else:
                yield session


def staged_indexes(projection: Projection, table: Table) -> list[Index]:
    """The indexes of this table that the file has while the log is applied: those the read model's
    handlers search by (its `handler_indexes`); its key's is the table's own. The others only pages
    read, and each cost every row written a B-tree more to insert it in (without them, 134.4 s
    against 155.3 s to rebuild the directory, provenance and follow-ups of 999,460 events): they are
    made in the store, once, as the rows are copied in (`StagedRebuild._copy`)."""
    wanted = getattr(projection, "handler_indexes", ())
    return [index for index in table.indexes if index.name in wanted]


def _staging_engine(path: Path, source: Path) -> Engine:
    # Pooled: one connection, kept, keeps its page cache from one batch to the next.
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            for pragma in (
                "PRAGMA journal_mode=OFF",
                "PRAGMA synchronous=OFF",
                f"PRAGMA cache_size=-{STAGING_CACHE_KIB}",
                # Its batches wait for the store's write lock only to write a kept table (the
                # outbox), which the copy of another process's file may hold for a while.
                f"PRAGMA busy_timeout={COPY_WAIT_MS}",
            ):
                cursor.execute(pragma)
            cursor.execute("ATTACH DATABASE ? AS store", (str(source),))
        finally:
            cursor.close()

    return engine


def _new_private_file(path: Path) -> None:
    """An empty file at `path`, readable and writable by this user alone (it holds the read
    models' rows, personal data among them); one left by a rebuild that failed is replaced."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
