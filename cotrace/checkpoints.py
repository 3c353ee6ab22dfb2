"""Signed checkpoints of the sealed log, the key that signs them, and receipts for contributions.

The key lives outside the database, in a file (the setting `SIGNING_KEY`, default `signing_key` in
the instance folder, 0600) holding a C2SP signed-note private key string, so that whoever can read
or restore the database still cannot sign. `keygen` writes it; the verifier key it prints is what an
auditor trusts.

A checkpoint (C2SP tlog-checkpoint) is the root of the tree of the sealed leaves at a size, signed.
Before one is stored it must be consistent with the latest one stored (RFC 9162 consistency proof
over the leaves): a log that signs two trees no proof joins has rewritten its history, and this
refuses to be the one that signs the second. Checkpoints are kept in `cotrace_checkpoints`, which,
like the seal, refuses UPDATE and DELETE.

`sign_checkpoint(services)` is what `cotrace worker` calls on a schedule (`cotrace.worker`);
`cotrace checkpoint` and a receipt without a covering checkpoint call it on demand.

A receipt (C2SP tlog-proof) for a contribution: the index of the leaf of its `Submitted` event, the
inclusion proof to the latest checkpoint, that checkpoint, and the leaf's canonical JSON as the
proof's extra data, so that anyone can re-hash the entry and check it against the signed root.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from uuid import UUID

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    LargeBinary,
    MetaData,
    Table,
    Text,
    insert,
    select,
    text,
)

from cotrace import sealing
from cotrace.seal import merkle, proofs
from cotrace.seal.checkpoint import Checkpoint
from cotrace.seal.checkpoint import sign_checkpoint as sign_note_of
from cotrace.seal.signed_note import NoteError, Signer, generate_key
from cotrace.settings import Settings, write_private_file

if TYPE_CHECKING:  # services.py creates these tables when it opens a database
    from cotrace.services import Services

KEY_FILE = "signing_key"
DEFAULT_BASE_URL = "http://127.0.0.1:5000"

metadata = MetaData()
checkpoints = Table(
    "cotrace_checkpoints",
    metadata,
    # An id of its own, not the size: a new key signs the same tree anew, and both notes are kept.
    Column("id", sealing.NUMBER, primary_key=True, autoincrement=True),
    Column("size", sealing.NUMBER, nullable=False, index=True),
    Column("root", LargeBinary(32), nullable=False),
    Column("note", Text, nullable=False),  # the signed note, verbatim: what a receipt carries
    Column("signed_at", DateTime(timezone=True), nullable=False),
)

APPEND_ONLY = "the checkpoints of the log are append-only"


class NoSigningKey(Exception):
    """There is no signing key where the settings say, or it cannot be read as one."""


class KeyExists(Exception):
    """keygen would overwrite a key: checkpoints already given out would no longer verify."""


class Inconsistent(Exception):
    """The log as sealed now is not an extension of the latest checkpoint stored."""


@dataclass(frozen=True)
class StoredCheckpoint:
    size: int
    root: bytes
    note: str
    signed_at: datetime
    new: bool = False  # signed just now, rather than the latest already stored


@dataclass(frozen=True)
class Receipt:
    text: str  # the tlog-proof
    index: int
    entry: bytes  # the canonical JSON of the leaf, as sealing.leaf_entry writes it
    checkpoint: StoredCheckpoint


def create_tables(engine: Engine) -> None:
    metadata.create_all(engine)
    with engine.begin() as conn:
        for statement in sealing.append_only_statements(
            engine.dialect.name, "cotrace_checkpoints", APPEND_ONLY
        ):
            conn.execute(text(statement))


# The key and the log's name.


def key_path(settings: Settings) -> Path:
    configured = settings.get("SIGNING_KEY")
    return Path(configured) if configured else settings.instance_path / KEY_FILE


def log_origin(settings: Settings) -> str:
    """The log's name: the setting `LOG_ORIGIN`, else the host Cotrace is served at + "/cotrace"."""
    configured = settings.get("LOG_ORIGIN")
    if configured:
        return str(configured)
    host = urlsplit(str(settings.get("BASE_URL") or DEFAULT_BASE_URL)).hostname or "localhost"
    return f"{host}/cotrace"


def keygen(settings: Settings, origin: str | None = None, force: bool = False) -> str:
    """Writes a new signing key for the log `origin` (default: the log's configured name) and
    returns its verifier key string. Refuses to replace an existing key unless `force`."""
    path = key_path(settings)
    if path.exists() and not force:
        raise KeyExists(
            f"A signing key already exists at {path}: it was not replaced. Checkpoints it signed "
            "verify only with its verifier key; to replace it anyway, add --force."
        )
    skey, vkey = generate_key(origin or log_origin(settings))  # NoteError for a name with a space or "+"
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    write_private_file(path, skey + "\n")
    return vkey


def signer(settings: Settings) -> Signer:
    """The installation's signing key, checked: it must be for the log the settings name."""
    path = key_path(settings)
    try:
        skey = path.read_text().strip()
    except FileNotFoundError:
        raise NoSigningKey(
            f"There is no signing key at {path}: run `cotrace keygen` to create one."
        ) from None
    except OSError as error:
        raise NoSigningKey(f"The signing key at {path} cannot be read ({error.strerror}).") from None
    try:
        key = Signer.from_skey(skey)
    except NoteError as error:
        raise NoSigningKey(f"The file {path} does not hold a signing key: {error}.") from None
    origin = log_origin(settings)
    if key.name != origin:
        raise NoSigningKey(
            f"The signing key at {path} is for the log {key.name!r}, but this installation's log is "
            f"{origin!r}: set COTRACE_LOG_ORIGIN={key.name}, or run `cotrace keygen --force`."
        )
    return key


def signer_of(services: Services, settings: Settings | None = None) -> Signer:
    """The signing key of the installation these services were opened for (`signer`)."""
    settings = settings or services.settings
    if settings is None:
        raise NoSigningKey("These services were opened without settings, so without a signing key.")
    return signer(settings)


# Checkpoints.


def latest(conn: Connection) -> StoredCheckpoint | None:
    row = conn.execute(
        select(checkpoints).order_by(checkpoints.c.size.desc(), checkpoints.c.id.desc()).limit(1)
    ).first()
    return _stored(row) if row else None


def _stored(row: object, new: bool = False) -> StoredCheckpoint:
    return StoredCheckpoint(
        row.size,  # type: ignore[attr-defined]
        bytes(row.root),  # type: ignore[attr-defined]
        row.note,  # type: ignore[attr-defined]
        _utc(row.signed_at),  # type: ignore[attr-defined]
        new,
    )


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite forgets the zone


def leaf_hashes(conn: Connection, size: int | None = None) -> list[bytes]:
    """The sealed leaves' hashes in order (the first `size` of them). 32 bytes each: a million
    events take some 40 MB, which proofs need whole (a root alone needs O(log n): merkle.CompactRange)."""
    query = select(sealing.leaves.c.leaf_hash).order_by(sealing.leaves.c.sequence)
    if size is not None:
        query = query.where(sealing.leaves.c.sequence < size)
    return [bytes(h) for h in conn.scalars(query)]


def check_consistent(earlier: StoredCheckpoint | None, size: int, root: bytes, hashes: list[bytes]) -> None:
    """Raises Inconsistent unless the tree (size, root) of `hashes` extends `earlier`."""
    if earlier is None or earlier.size == 0:
        return  # every tree extends the empty tree
    if earlier.size > size:
        raise Inconsistent(
            f"The log holds {size} sealed events, fewer than the {earlier.size} of the checkpoint "
            f"signed {earlier.signed_at:%Y-%m-%d %H:%M} UTC: no checkpoint was signed."
        )
    if earlier.size == size:
        consistent = earlier.root == root
    else:
        proof = merkle.consistency_proof(hashes, earlier.size, size)
        consistent = merkle.verify_consistency(earlier.size, size, earlier.root, root, proof)
    if not consistent:
        raise Inconsistent(
            f"The log as sealed now does not extend the checkpoint of {earlier.size} events signed "
            f"{earlier.signed_at:%Y-%m-%d %H:%M} UTC: its first {earlier.size} events are not the ones "
            "that checkpoint signed. No checkpoint was signed: run `cotrace verify`, and keep the "
            "checkpoints given out so far as evidence."
        )


def sign_checkpoint(services: Services, settings: Settings | None = None) -> StoredCheckpoint:
    """Signs a checkpoint of the log as sealed now, once it is consistent with the latest stored;
    returns the latest, unchanged, when it already signs this very tree with this key. For the
    worker too (`cotrace.worker`). Raises NoSigningKey or Inconsistent."""
    key = signer_of(services, settings)
    with services.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # One signer at a time: two checkpoints stored out of order would read as a shrinking log.
            # (SQLite lets one writer commit; a second that read before it fails rather than commits.)
            conn.execute(text("LOCK TABLE cotrace_checkpoints IN SHARE ROW EXCLUSIVE MODE"))
        earlier = latest(conn)
        hashes = leaf_hashes(conn)
        root = merkle.root(hashes)
        check_consistent(earlier, len(hashes), root, hashes)
        note = sign_note_of(Checkpoint(key.name, len(hashes), root), key)
        if earlier is not None and earlier.note == note:
            return earlier  # Ed25519 is deterministic: the same tree and key give the same note
        signed_at = datetime.now(UTC)
        conn.execute(insert(checkpoints).values(size=len(hashes), root=root, note=note, signed_at=signed_at))
    return StoredCheckpoint(len(hashes), root, note, signed_at, new=True)


# Receipts.


class NotSealed(Exception):
    """The contribution's record has no sealed event (it does not exist)."""


def receipt(services: Services, contribution_id: UUID, settings: Settings | None = None) -> Receipt:
    """The tlog-proof that the contribution's `Submitted` event is in the signed log, against the
    latest checkpoint (one is signed now when none covers the event yet).

    Raises NotSealed, NoSigningKey, Inconsistent, or sealing.LogTampered when the event's stored
    bytes are no longer those sealed (its receipt would prove nothing)."""
    events = services.app.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
    with services.engine.connect() as conn:
        row = conn.execute(
            select(events, sealing.leaves.c.sequence, sealing.leaves.c.leaf_hash)
            .join(sealing.leaves, sealing.leaves.c.notification_id == events.c.id)
            .where(events.c.originator_id == contribution_id, events.c.originator_version == 1)
        ).first()
        if row is None:
            raise NotSealed(f"No sealed record of contribution {contribution_id}.")
        stored = sealing.Stored(
            row.id, row.originator_id, row.originator_version, row.topic, bytes(row.state)
        )
        entry = sealing.leaf_entry(row.sequence, stored)
        if merkle.leaf_hash(entry) != bytes(row.leaf_hash):
            raise sealing.LogTampered(
                f"Event {row.id} (contribution {contribution_id}) is not as it was sealed: "
                "its stored bytes changed"
            )
        covering = latest(conn)
    if covering is None or covering.size <= row.sequence:
        covering = sign_checkpoint(services, settings)
    with services.engine.connect() as conn:
        hashes = leaf_hashes(conn, covering.size)
    proof = merkle.inclusion_proof(hashes, row.sequence, covering.size)
    return Receipt(
        proofs.format_proof(row.sequence, proof, covering.note, extra=entry), row.sequence, entry, covering
    )
