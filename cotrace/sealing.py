"""The seal of the log: every stored event is a leaf of an RFC 6962 Merkle tree, sealed in the very
transaction that stores it, so an acknowledged event is always sealed.

A leaf commits to a canonical JSON of the event as it is stored: its dense sequence number from 0,
its notification id, its aggregate and version, its topic, the time it was recorded and who
recorded it, and the SHA-256 of its stored bytes. Erasing a person destroys a key and leaves the
bytes as they are, so erasure never breaks the seal; changing a byte of a stored event, deleting one
or reusing its number does, and `verify_log` says which and where.

The leaves are kept in `cotrace_seal_leaves`, which refuses UPDATE and DELETE (triggers on SQLite
and PostgreSQL): the seal is appended to, never rewritten.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    func,
    insert,
    select,
    text,
)

from cotrace.seal import merkle

metadata = MetaData()
# A sequence number, a notification id: 64-bit, as SQLite's integer keys are already.
NUMBER = BigInteger().with_variant(Integer(), "sqlite")
leaves = Table(
    "cotrace_seal_leaves",
    metadata,
    Column("sequence", NUMBER, primary_key=True, autoincrement=False),
    Column("notification_id", NUMBER, nullable=False, unique=True),
    Column("leaf_hash", LargeBinary(32), nullable=False),
)

# When this installation began to seal: the events stored before, sealed then in one go.
started = Table(
    "cotrace_seal_started",
    metadata,
    Column("sealed_up_to", NUMBER, primary_key=True, autoincrement=False),  # the last event stored before
)

APPEND_ONLY = "the seal of the log is append-only"


def append_only_statements(dialect: str, table: str, message: str) -> list[str]:
    """The statements that make a table refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL)."""
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{action.lower()} "
            f"BEFORE {action} ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END"
            for action in ("UPDATE", "DELETE")
        ]
    return [
        f"CREATE OR REPLACE FUNCTION {table}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$",
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse_change()",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse_change()",
    ]


class LogTampered(Exception):
    """The log is not as it was sealed: an event changed, went missing, or was stored unsealed."""


@dataclass(frozen=True)
class Stored:
    """An event as the log stores it (a notification): what its leaf commits to."""

    id: int
    originator_id: Any
    originator_version: int
    topic: str
    state: bytes


def create_tables(engine: Engine) -> None:
    metadata.create_all(engine)
    with engine.begin() as conn:
        for statement in append_only_statements(engine.dialect.name, leaves.name, APPEND_ONLY):
            conn.execute(text(statement))


def seal_events_from_before_the_seal(app: Any, batch: int = 5000) -> int:
    """Seals, once for an installation, the events it stored before it sealed its log; returns how
    many. From then on every event is sealed as it is stored, and one found unsealed is tampering."""
    events_table = app.recorder.events_record_cls.__table__
    with app.recorder.datastore.transaction(commit=True) as session:
        conn = session.connection()
        if conn.scalar(select(started.c.sealed_up_to)) is not None:
            return 0
        head = conn.scalar(select(func.max(events_table.c.id))) or 0
        sealed = 0
        query = select(events_table).where(events_table.c.id <= head).order_by(events_table.c.id)
        for rows in _batches(_in_batches(conn, query, events_table.c.id, batch), batch):
            seal(conn, [_stored(row) for row in rows], events_table)
            sealed += len(rows)
        conn.execute(insert(started).values(sealed_up_to=head))
    return sealed


def _batches(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def leaf_entry(sequence: int, event: Stored) -> bytes:
    """The canonical JSON a leaf hashes: keys sorted, no spaces, UTF-8. The time and recorder are
    read from the stored bytes, which hold them in clear (personal data is encrypted, they are not)."""
    state = bytes(event.state)
    decoded = json.loads(state)
    return json.dumps(
        {
            "sequence": sequence,
            "notification_id": event.id,
            "aggregate_id": str(event.originator_id),
            "aggregate_version": event.originator_version,
            "topic": event.topic,
            "recorded_at": _plain(decoded.get("timestamp")),
            "recorded_by": _plain(decoded.get("recorded_by")),
            "state_sha256": hashlib.sha256(state).hexdigest(),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()


def _plain(value: Any) -> Any:
    """A value as the transcoder stored it, without its type tag ({"_type_", "_data_"})."""
    return value.get("_data_") if isinstance(value, dict) else value


def seal(conn: Connection, events: Iterable[Stored], events_table: Table) -> None:
    """Appends a leaf for each event just stored, in the caller's transaction. Raises LogTampered
    when an event takes a number the seal already holds (a sealed event was deleted and its number
    reused) or when an event stored since the last seal is not among these (stored around the seal)."""
    events = sorted(events, key=lambda e: e.id)
    if not events:
        return
    sequence, last_id = last_sealed(conn)
    if events[0].id <= last_id:
        raise LogTampered(
            f"Event {events[0].id} was stored under a number the seal already holds "
            f"(it has sealed up to {last_id}): a sealed event was deleted and its number reused"
        )
    unsealed = conn.scalar(
        select(events_table.c.id)
        .where(events_table.c.id > last_id)
        .where(events_table.c.id < events[-1].id)
        .where(events_table.c.id.not_in([e.id for e in events]))
        .limit(1)
    )
    if unsealed is not None:
        raise LogTampered(
            f"Event {unsealed} is in the log but was never sealed: it was stored around the seal"
        )
    rows = []
    for event in events:
        rows.append(
            {
                "sequence": sequence,
                "notification_id": event.id,
                "leaf_hash": merkle.leaf_hash(leaf_entry(sequence, event)),
            }
        )
        sequence += 1
    conn.execute(insert(leaves), rows)


def last_sealed(conn: Connection) -> tuple[int, int]:
    """(the number of leaves, the notification id of the last one)."""
    last = conn.execute(
        select(leaves.c.sequence, leaves.c.notification_id).order_by(leaves.c.sequence.desc()).limit(1)
    ).first()
    return (last.sequence + 1, last.notification_id) if last else (0, 0)


@dataclass(frozen=True)
class Verified:
    size: int  # leaves checked
    root: bytes  # of the tree as the leaves stand
    problems: list[str]  # each names what failed and where; empty when the log is as sealed

    @property
    def ok(self) -> bool:
        return not self.problems


MAX_PROBLEMS = 20


def verify_log(conn: Connection, events_table: Table, batch: int = 5000) -> Verified:
    """Walks the log and the seal side by side, in order: every stored event must have the leaf of
    its own bytes, at the next sequence number, and no leaf may be left without its event."""
    problems: list[str] = []
    hashes: list[bytes] = []
    stored = _in_batches(conn, select(events_table).order_by(events_table.c.id), events_table.c.id, batch)
    sealed = _in_batches(conn, select(leaves).order_by(leaves.c.sequence), leaves.c.sequence, batch)
    expected = 0  # the next sequence number: the seal's numbers are dense from 0
    for event, leaf in _pairs(stored, sealed):
        if len(problems) >= MAX_PROBLEMS:
            problems.append("... and more: the first problems are listed")
            break
        if leaf is None:
            problems.append(f"Event {event.id} ({event.topic}) is in the log but was never sealed")
            continue
        hashes.append(bytes(leaf.leaf_hash))
        if leaf.sequence != expected:
            problems.append(f"Leaf {expected} is missing: the seal's numbers jump to {leaf.sequence}")
        expected = leaf.sequence + 1
        if event is None:
            problems.append(
                f"Event {leaf.notification_id} was sealed (leaf {leaf.sequence}) but is gone from the log"
            )
        elif merkle.leaf_hash(leaf_entry(leaf.sequence, _stored(event))) != bytes(leaf.leaf_hash):
            problems.append(
                f"Event {event.id} ({event.topic}, {event.originator_id} v{event.originator_version}) "
                "is not as it was sealed: its stored bytes changed"
            )
    return Verified(size=len(hashes), root=merkle.root(hashes), problems=problems)


def _stored(row: Any) -> Stored:
    return Stored(row.id, row.originator_id, row.originator_version, row.topic, bytes(row.state))


def _in_batches(conn: Connection, query: Any, key: Any, batch: int) -> Iterator[Any]:
    """Rows in key order, a batch at a time, so a million events never sit in memory at once."""
    after = None
    while True:
        page = query if after is None else query.where(key > after)
        rows = conn.execute(page.limit(batch)).all()
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1]._mapping[key.name]


def _pairs(stored: Iterator[Any], sealed: Iterator[Any]) -> Iterator[tuple[Any, Any]]:
    """Events and leaves side by side, matched by notification id where they can be."""
    event, leaf = next(stored, None), next(sealed, None)
    while event is not None or leaf is not None:
        if leaf is not None and (event is None or leaf.notification_id < event.id):
            yield None, leaf  # sealed, and gone from the log
            leaf = next(sealed, None)
        elif event is not None and (leaf is None or event.id < leaf.notification_id):
            yield event, None  # in the log, never sealed
            event = next(stored, None)
        else:
            yield event, leaf
            event, leaf = next(stored, None), next(sealed, None)
