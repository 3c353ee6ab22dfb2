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

Events stored before this module existed hold their fields in clear, and are read as they are.
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
from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent
from eventsourcing.utils import get_topic, resolve_topic
from sqlalchemy import Column, LargeBinary, MetaData, Table, Uuid, delete, insert, select
from sqlalchemy.orm import Session

from domain.personal_data import PERSONAL_DATA, PersonalFields

metadata = MetaData()
keys = Table(
    "cotrace_personal_keys",
    metadata,
    Column("owner_id", Uuid, primary_key=True),
    Column("key", LargeBinary(32), nullable=False),
)

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


def erased_fields(topic: str, names: list[str]) -> dict[str, Any]:
    """How an erased owner's fields read: as the domain says, or empty for a field it no longer names."""
    personal = PERSONAL_BY_TOPIC.get(topic)
    erased = personal.erased if personal is not None else {}
    return {name: erased.get(name) for name in names}


def _bound_to(topic: str, originator_id: UUID | str, originator_version: int) -> bytes:
    return f"{topic}|{originator_id}|{originator_version}".encode()
