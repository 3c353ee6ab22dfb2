"""Personal data in the log, encrypted with a key of its owner's own; erasure destroys the key.

`domain.personal_data` names the personal fields of each event and whose they are. When such an
event is stored, those fields leave the event's state and go, encrypted with AES-GCM under their
owner's key, into one `personal_data` entry: the owner's id, the fields' names and the ciphertext.
The authenticated data binds the ciphertext to its event (topic, aggregate and version), so it
cannot be moved to another event unnoticed. Everything else stays readable as before.

The keys are kept in `cotrace_personal_keys`, beside the log and outside it, in the same
transaction as the events that first need them: an event acknowledged is one whose key is kept.
When a key is gone (the owner erased), the fields read as the domain says erased data reads. The
stored bytes never change, so a later seal over them (a hash of each event's stored bytes) holds.

Events stored before this module existed held their fields in clear: `encrypt_events_stored_in_clear`
encrypts them once, at start, while the log is not yet sealed (a seal over the stored bytes would
make that rewrite impossible, and the clear bytes permanent). An event it has not reached reads as
it is.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from typing import Any, cast
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError, Mapper, MapperDeserialisationError, StoredEvent
from eventsourcing.utils import get_topic, resolve_topic
from sqlalchemy import Column, LargeBinary, MetaData, String, Table, Uuid, delete, insert, select, update
from sqlalchemy.orm import Session

from domain.personal_data import PERSONAL_DATA, PersonalFields

metadata = MetaData()
keys = Table(
    "cotrace_personal_keys",
    metadata,
    Column("owner_id", Uuid, primary_key=True),
    Column("key", LargeBinary(32), nullable=False),
)

# The one-off rewrites this installation has done, by name.
rewrites = Table("cotrace_log_rewrites", metadata, Column("name", String(64), primary_key=True))
CLEAR_EVENTS_ENCRYPTED = "personal data encrypted"

ENTRY = "personal_data"
NONCE_BYTES = 12
PERSONAL_BY_TOPIC: dict[str, PersonalFields] = {
    get_topic(cls): fields for cls, fields in PERSONAL_DATA.items()
}

Transaction = Callable[[], Any]  # a context manager giving the session of the unit of work


class PersonalKeys:
    """The owners' keys, read and made in the caller's transaction (the unit of work's, when one is
    open). Keys found are cached: `forget()` empties the cache, as `Services` does whenever another
    process may have written (an erasure elsewhere moves the log)."""

    def __init__(self, transaction: Callable[[bool], Any]) -> None:
        self._transaction = transaction
        self._cache: dict[UUID, bytes] = {}

    def find(self, owner_id: UUID) -> bytes | None:
        key = self._cache.get(owner_id)
        if key is None:
            with self._transaction(False) as session:
                key = cast(Session, session).scalar(select(keys.c.key).where(keys.c.owner_id == owner_id))
            if key is not None:
                self._cache[owner_id] = key
        return key

    def find_or_make(self, owner_id: UUID) -> bytes:
        key = self.find(owner_id)
        if key is None:
            key = AESGCM.generate_key(bit_length=256)
            with self._transaction(True) as session:
                cast(Session, session).execute(insert(keys).values(owner_id=owner_id, key=key))
            self._cache[owner_id] = key
        return key

    def destroy(self, session: Session, owner_id: UUID) -> None:
        session.execute(delete(keys).where(keys.c.owner_id == owner_id))
        self.forget()

    def forget(self) -> None:
        self._cache.clear()


class PersonalDataMapper(Mapper[UUID]):
    """The library's mapper, with personal fields encrypted on the way in and decrypted (or read as
    erased) on the way out. Its two methods follow the library's own (eventsourcing 9.5) step by
    step, with the personal fields taken out before encoding and put back after decoding, before
    any upcasting, so upcasters see an event as its class wrote it."""

    def __init__(self, transcoder: Any, personal_keys: PersonalKeys) -> None:
        super().__init__(transcoder)
        self.personal_keys = personal_keys

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        topic = get_topic(domain_event.__class__)
        event_state = dict(vars(domain_event))
        originator_id = event_state.pop("originator_id")
        originator_version = event_state.pop("originator_version")
        personal = PERSONAL_BY_TOPIC.get(topic)
        if personal is not None:
            owner = originator_id if personal.owner == "originator_id" else event_state[personal.owner]
            fields = {name: event_state.pop(name) for name in personal.names}
            key = self.personal_keys.find_or_make(owner)
            nonce = os.urandom(NONCE_BYTES)
            sealed = AESGCM(key).encrypt(
                nonce, json.dumps(fields).encode(), _bound_to(topic, originator_id, originator_version)
            )
            event_state[ENTRY] = {
                "owner": str(owner),
                "fields": list(fields),
                "ciphertext": base64.b64encode(nonce + sealed).decode("ascii"),
            }
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            event_state["class_version"] = class_version
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=topic,
            state=self.transcoder.encode(event_state),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        cls = resolve_topic(stored_event.topic)
        try:
            event_state: dict[str, Any] = self.transcoder.decode(stored_event.state)
        except Exception as error:
            raise MapperDeserialisationError(
                f"Failed to deserialise the stored event {stored_event.originator_id} "
                f"v{stored_event.originator_version} ({stored_event.topic}): {error}"
            ) from error
        entry = event_state.pop(ENTRY, None)
        if entry is not None:
            event_state.update(self._personal_fields(stored_event, entry))
        originator_id = stored_event.originator_id
        event_state["originator_id"] = (
            originator_id if isinstance(originator_id, UUID) else UUID(originator_id)
        )
        event_state["originator_version"] = stored_event.originator_version
        class_version = getattr(cls, "class_version", 1)
        from_version = event_state.pop("class_version", 1)
        while from_version < class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(event_state)
            from_version += 1
        domain_event = object.__new__(cls)
        object.__setattr__(domain_event, "__dict__", event_state)
        return cast(DomainEventProtocol[UUID], domain_event)

    def _personal_fields(self, stored_event: StoredEvent, entry: dict[str, Any]) -> dict[str, Any]:
        key = self.personal_keys.find(UUID(entry["owner"]))
        if key is None:
            return erased_fields(stored_event.topic, entry["fields"])
        raw = base64.b64decode(entry["ciphertext"])
        try:
            plain = AESGCM(key).decrypt(
                raw[:NONCE_BYTES],
                raw[NONCE_BYTES:],
                _bound_to(stored_event.topic, stored_event.originator_id, stored_event.originator_version),
            )
        except InvalidTag as error:
            raise MapperDeserialisationError(
                f"The personal data of stored event {stored_event.originator_id} "
                f"v{stored_event.originator_version} does not decrypt: it was altered or moved"
            ) from error
        return cast(dict[str, Any], json.loads(plain))


def encrypt_events_stored_in_clear(app: Any) -> int:
    """Encrypts the personal fields of events stored before they were encrypted, once for an
    installation, in one transaction; returns how many events it rewrote. Each is read as the app
    reads it (upcast to its class's current shape) and stored again as the app now stores it, under
    the same aggregate and version, so nothing else of the log moves."""
    try:
        return _encrypt_events_stored_in_clear(app)
    except IntegrityError:
        return 0  # another process starting at the same moment did it first


def _encrypt_events_stored_in_clear(app: Any) -> int:
    events = app.recorder.events_record_cls.__table__
    mapper = app.mapper
    with app.recorder.datastore.transaction(commit=True) as session:
        if session.scalar(select(rewrites.c.name).where(rewrites.c.name == CLEAR_EVENTS_ENCRYPTED)):
            return 0
        found = session.execute(
            select(events.c.originator_id, events.c.originator_version, events.c.topic, events.c.state)
            .where(events.c.topic.in_(PERSONAL_BY_TOPIC))
            .order_by(events.c.id)
        ).all()
        rewritten = 0
        for row in found:
            stored = StoredEvent(row.originator_id, row.originator_version, row.topic, bytes(row.state))
            if ENTRY in mapper.transcoder.decode(stored.state):
                continue
            again = mapper.to_stored_event(mapper.to_domain_event(stored))
            session.execute(
                update(events)
                .where(events.c.originator_id == row.originator_id)
                .where(events.c.originator_version == row.originator_version)
                .values(state=again.state)
            )
            rewritten += 1
        session.execute(insert(rewrites).values(name=CLEAR_EVENTS_ENCRYPTED))
    return rewritten


def erased_fields(topic: str, names: list[str]) -> dict[str, Any]:
    """How an erased owner's fields read: as the domain says, or empty for a field it no longer names."""
    personal = PERSONAL_BY_TOPIC.get(topic)
    erased = personal.erased if personal is not None else {}
    return {name: erased.get(name) for name in names}


def _bound_to(topic: str, originator_id: UUID | str, originator_version: int) -> bytes:
    return f"{topic}|{originator_id}|{originator_version}".encode()
