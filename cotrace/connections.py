"""How every connection Cotrace opens to its database is set up, whichever process opens it.

SQLite: the write-ahead log (`journal_mode=WAL`, so readers never wait on a writer and a writer never
waits on readers), `synchronous=FULL` (a command acknowledged is on disk, even if the machine loses
power, not only if the process crashes), and a busy timeout long enough for the web workers, the
worker and a command-line import to take turns at the one write lock. The library switches WAL on
once; each connection is given all three here, so none depends on what another process did first.

Writing the write-ahead log back into the database file (a WAL checkpoint) is the worker's job
(`checkpoint_wal`, every round), not a request's: SQLite's default runs one inside whichever commit
takes the log past 1,000 pages, every twenty or so commands, and on a large store that commit took
two to three times as long, which was a command's p95 (`bench/commands.py`: a decision's p95 2.1-2.4
times its empty store's with it, 0.95 without). A commit still checkpoints past
`WAL_AUTOCHECKPOINT_PAGES`, so the log stays bounded when no worker runs.

PostgreSQL: `statement_timeout` and `lock_timeout`, so that a statement stuck behind a lock, or one
that runs away, fails (and its unit of work is tried again, or reported) instead of holding a web
worker for ever. They are libpq connection options, set as the connection opens, so no transaction
can roll them back. `cotrace doctor` reads them back from a connection of the app's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event

from cotrace.settings import Settings

WAL_AUTOCHECKPOINT_PAGES = 20_000  # about 80 MB of 4 KiB pages: only when no worker runs
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}",
)
SQLITE_FULL = 2  # what `PRAGMA synchronous` answers for FULL


@dataclass(frozen=True)
class ConnectionSettings:
    """Defaults: a page that takes more than 30 s has failed anyway; a lock awaited for 10 s means
    something holds it that should not (every unit of work is milliseconds); SQLite's writers wait
    up to 10 s for their turn (Python's default is 5 s, for one process, not seven)."""

    statement_timeout_ms: int = 30_000
    lock_timeout_ms: int = 10_000
    sqlite_busy_timeout_ms: int = 10_000

    @classmethod
    def of(cls, settings: Settings) -> ConnectionSettings:
        """From the settings `STATEMENT_TIMEOUT` and `LOCK_TIMEOUT`, in seconds."""
        default = cls()
        return cls(
            statement_timeout_ms=_milliseconds(
                settings.get("STATEMENT_TIMEOUT"), default.statement_timeout_ms
            ),
            lock_timeout_ms=_milliseconds(settings.get("LOCK_TIMEOUT"), default.lock_timeout_ms),
        )


def _milliseconds(seconds: Any, default: int) -> int:
    if seconds in (None, ""):
        return default
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        raise ValueError(f"A timeout is a number of seconds, such as 30, not {seconds!r}.") from None
    if value < 0:
        raise ValueError(f"A timeout is a number of seconds, 0 or more, not {seconds!r}.")
    return round(value * 1000)


def configure(engine: Engine, settings: ConnectionSettings) -> None:
    """Sets up every connection the engine opens from now on, and closes those it opened already
    (the library made some while creating its tables), so that none is left without."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect(settings))
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "do_connect", _postgresql_connect(settings))
    engine.dispose()


def _sqlite_connect(settings: ConnectionSettings) -> Any:
    def connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={int(settings.sqlite_busy_timeout_ms)}")
            for pragma in SQLITE_PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()

    return connect


def _postgresql_connect(settings: ConnectionSettings) -> Any:
    ours = (
        f"-c statement_timeout={int(settings.statement_timeout_ms)} "
        f"-c lock_timeout={int(settings.lock_timeout_ms)}"
    )

    def do_connect(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
        given = str(cparams.get("options") or "")
        # Options the URL gives itself (`?options=...`) come last: PostgreSQL takes the last of each.
        cparams["options"] = f"{ours} {given}".strip()

    return do_connect


def checkpoint_wal(engine: Engine) -> int:
    """Writes what SQLite's write-ahead log holds back into the database file, without waiting on a
    reader or a writer (PASSIVE: what they still need stays for the next time). Returns how many
    pages the log held; 0 on PostgreSQL, which has no such log to write back."""
    if engine.dialect.name != "sqlite":
        return 0
    with engine.connect() as conn:
        row = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").first()
    return int(row[1]) if row is not None and row[1] > 0 else 0
