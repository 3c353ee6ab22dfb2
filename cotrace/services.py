"""The application service and its read models on one database, run a unit of work at a time.

`open_services(url)` wires them together; `open_cotrace(settings)` does it for an installation's
settings (`cotrace.settings`), as the web app and the CLI both do. Same code on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import LRUCache
from eventsourcing.persistence import IntegrityError, Mapper, OperationalError, Recording
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from cotrace import checkpoints, connections, personal_data, sealing, sign_in_tables, submissions
from cotrace.connections import ConnectionSettings
from cotrace.personal_data import PersonalDataMapper, PersonalKeys
from cotrace.sealing import Stored
from cotrace.settings import Settings
from domain.application import Cotrace
from domain.errors import NotFound, Problem, RulesBroken
from projections.registry import all_projections
from projections.runner import LostRace, Projection, ReadModels

T = TypeVar("T")
ATTEMPTS = 5
RETRY_PAUSE_SECONDS = 0.005  # the first retry waits up to 5 ms, the fifth up to 80 ms
STORED_FIELDS = ("id", "originator_id", "originator_version", "topic", "state")
CACHED_AGGREGATES = 5000


class _TriedOnly(Exception):
    """Raised to roll back a command that was only being checked."""


class Conflict(Exception):
    """Someone else kept changing the same records while a command ran: nothing was saved."""


class ServedCotrace(Cotrace):
    """The application as served: it hands the recordings of a unit of work to the projections."""

    name = Cotrace.name  # the name picks the tables: a subclass must keep its parent's log
    # `Services` forgets every cached aggregate when a unit of work fails, so a command may change
    # the cached aggregate itself: it is kept only if its events were saved.
    copy_cached_aggregates = False

    def __init__(self, env: Any = None, today: Callable[[], date] = date.today) -> None:
        # Made before the parent builds the mapper; it reaches the recorder only once one exists.
        self.personal_keys = PersonalKeys(lambda commit: self.recorder.datastore.transaction(commit))  # type: ignore[attr-defined]
        super().__init__(env, today)
        self.recordings: list[Recording] | None = None  # a list while a unit of work runs

    def _record(self, processing_event: Any) -> list[Recording]:
        """Stores the events and seals them in one transaction (the unit of work's, when one is
        open): an event is stored sealed, or not at all (`cotrace.seal.sealing`)."""
        datastore = self.recorder.datastore  # type: ignore[attr-defined]
        with datastore.transaction(commit=True) as session:
            recordings = super()._record(processing_event)
            sealing.seal(
                session.connection(),
                [Stored(**{f: getattr(r.notification, f) for f in STORED_FIELDS}) for r in recordings],
                self.recorder.events_record_cls.__table__,  # type: ignore[attr-defined]
            )
        return recordings

    def construct_mapper(self) -> Mapper[UUID]:
        """Personal data is encrypted with its owner's key (`cotrace.personal_data`)."""
        return PersonalDataMapper(self.construct_transcoder(), self.personal_keys)

    def _notify(self, recordings: list[Recording]) -> None:
        super()._notify(recordings)
        if self.recordings is not None:
            self.recordings.extend(recordings)


@dataclass
class Services:
    app: ServedCotrace
    read_models: ReadModels
    settings: Settings | None = None  # the installation's, when opened from them (`open_cotrace`)
    # The log's last notification id as this process last knew it: while the log has not moved
    # past it, no other process has written, and the cached aggregates are the stored ones.
    known_head: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def engine(self) -> Engine:
        return self.read_models.engine

    def run(self, command: Callable[[Cotrace, UUID], T], actor: UUID, submission: str | None = None) -> T:
        """Runs one command as one unit of work: its reads, its events and the projections' rows
        commit together or not at all, so the next page read already shows it (read-your-writes).

        A conflict (another save to the same aggregate came first, or another process moved a
        projection) rolls everything back and runs the command again: it reloads its aggregates
        and checks every rule afresh, so running it again is safe.

        `submission`: the id of the form it came from. A form whose command was saved already gets
        that command's result back, and nothing runs again (`cotrace.submissions`).
        """
        with self.lock:  # one unit of work at a time in a process keeps the aggregate cache true
            for attempt in range(ATTEMPTS):
                try:
                    return self._run_once(command, actor, submission, first_in_line=attempt > 0)
                except (IntegrityError, OperationalError, LostRace):
                    # A pause of random length, longer after each loss: two writers busy on one
                    # meeting that both retried at once would collide again, five times running.
                    time.sleep(random.uniform(0, RETRY_PAUSE_SECONDS * 2**attempt))
            raise Conflict()

    def problems_of(self, command: Callable[[Cotrace, UUID], Any], actor: UUID) -> list[Problem]:
        """The problems a command would raise, found by running it and rolling everything back."""
        with self.lock:
            try:
                with self.read_models.datastore.transaction(commit=True):
                    command(self.app, actor)
                    raise _TriedOnly()
            except RulesBroken as broken:
                return broken.problems
            except (_TriedOnly, NotFound):
                # NotFound: a stand-in for what the form left out (no policy chosen) names nothing
                # that exists, so the command cannot look further; the form's own problems stand.
                return []
            finally:
                self.forget_cached_state()

    def _run_once(
        self,
        command: Callable[[Cotrace, UUID], T],
        actor: UUID,
        submission: str | None,
        first_in_line: bool = False,
    ) -> T:
        self.app.recordings = []
        try:
            with self.read_models.datastore.transaction(commit=True) as session:
                if first_in_line:
                    self._wait_for_other_writers(session)
                head = self.read_models.head()
                if head != self.known_head:
                    self.forget_cached_state()
                if submission is not None:
                    sent_before = submissions.earlier(session, submission)
                    if sent_before is not None:
                        return sent_before.result  # type: ignore[return-value]
                result = command(self.app, actor)
                self.known_head = self.read_models.apply_recorded(self.app.recordings, head)
                if submission is not None and submissions.can_keep(result):
                    submissions.keep(session, submission, result)  # type: ignore[arg-type]
            return result
        except BaseException:
            # The cache took this unit's aggregates as saved; the rollback unsaved them.
            self.forget_cached_state()
            raise
        finally:
            self.app.recordings = None

    def _wait_for_other_writers(self, session: Any) -> None:
        """After a lost race, on PostgreSQL: takes now the lock on the log that saving takes anyway
        (the recorder's `LOCK TABLE ... IN EXCLUSIVE MODE`), so the command reads and saves with no
        other writer in between and cannot lose again. Without it a writer that must reload a busy
        meeting lost to one working from its cache five times running (found by
        tests/integration/test_concurrent_writers.py). On SQLite the same with SQLite's one write
        lock, taken at once (`BEGIN IMMEDIATE`) rather than at the command's first write."""
        if self.engine.dialect.name == "postgresql":
            table = self.app.recorder.events_table_name  # type: ignore[attr-defined]
            session.execute(text(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE'))
        elif self.engine.dialect.name == "sqlite":
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")

    def forget_cached_state(self) -> None:
        """Forgets the cached aggregates and keys: the next command reads them from the store."""
        self.known_head = None
        self.app.repository.cache = LRUCache(maxsize=CACHED_AGGREGATES)
        # Keys too: another process may have erased someone, and an erased key must not be used.
        self.app.personal_keys.forget()

    def close(self) -> None:
        self.app.close()
        self.engine.dispose()


def open_services(
    url: str,
    today: Callable[[], date] = date.today,
    projections: list[Projection] | None = None,
    connection_settings: ConnectionSettings | None = None,
    catch_up: bool = True,
) -> Services:
    """The application and its read models on one database; `projections` only to measure fewer.

    Opened in each process that uses it (each web worker opens its own, after the fork): its
    connections are never shared. `catch_up=False` leaves the read models where they stand, for
    `cotrace doctor` to report how far behind they are."""
    if url.startswith("sqlite:///"):
        _create_private_sqlite_file(Path(url.removeprefix("sqlite:///").partition("?")[0]))
    with _one_process_setting_up(url):
        services = _set_up(url, today, projections, connection_settings)
    if catch_up:
        services.read_models.catch_up()
    return services


def _set_up(
    url: str,
    today: Callable[[], date],
    projections: list[Projection] | None,
    connection_settings: ConnectionSettings | None,
) -> Services:
    app = ServedCotrace(
        env={
            "PERSISTENCE_MODULE": "eventsourcing_sqlalchemy",
            "SQLALCHEMY_URL": url,
            # Aggregates are cached between commands; `Services.run` drops the cache whenever the
            # log has moved in a way this process did not see, so no command decides on stale state.
            "AGGREGATE_CACHE_MAXSIZE": str(CACHED_AGGREGATES),
            "AGGREGATE_CACHE_FASTFORWARD": "n",
        },
        today=today,
    )
    connections.configure(app.recorder.datastore.engine, connection_settings or ConnectionSettings())  # type: ignore[attr-defined]
    read_models = ReadModels(app, all_projections() if projections is None else projections)
    read_models.create_tables()
    submissions.metadata.create_all(read_models.engine)
    personal_data.metadata.create_all(read_models.engine)
    personal_data.encrypt_events_stored_in_clear(app)
    sealing.create_tables(read_models.engine)
    sealing.seal_events_from_before_the_seal(app)
    checkpoints.create_tables(read_models.engine)
    sign_in_tables.create_tables(read_models.engine)
    return Services(app=app, read_models=read_models)


# Any number, the same in every process: the key of the lock taken while setting up.
SETTING_UP_LOCK = 0x636F7472  # "cotr"


@contextmanager
def _one_process_setting_up(url: str) -> Iterator[None]:
    """On PostgreSQL, one process at a time creates what is missing (tables, indexes, the seal's
    first leaves): two creating the same catalogue rows at once fail with "tuple concurrently
    updated", as `cotrace serve` and `cotrace worker` started together on a new database did. A
    session-level advisory lock on a connection of its own, let go when the set-up is done. SQLite
    needs none: a writer holds the whole file."""
    if url.startswith("sqlite"):
        yield
        return
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SETTING_UP_LOCK})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SETTING_UP_LOCK})
    finally:
        engine.dispose()


def _create_private_sqlite_file(path: Path) -> None:
    """A new SQLite file, readable by its owner alone: it holds names and contact addresses.

    SQLite gives its -wal and -shm files the database file's permissions. A file that exists
    already is left as its owner set it."""
    if str(path) in ("", ":memory:") or path.exists():
        return
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # another process made it first


def open_cotrace(settings: Settings, catch_up: bool = True) -> Services:
    """The application and its read models as an installation's settings name them."""
    services = open_services(
        settings.database_url,
        today=settings.today,
        connection_settings=ConnectionSettings.of(settings),
        catch_up=catch_up,
    )
    services.settings = settings
    return services
