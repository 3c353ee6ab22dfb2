"""Personal data is kept encrypted with its owner's key, and erasing a participant destroys the key:
their name, address and words leave every table and the database's files, and every verdict stays."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from sqlalchemy import MetaData, delete, select, text

from cotrace.demo import load_demo
from cotrace.erasure import erase_participant
from cotrace.levels import assessments
from cotrace.personal_data import encrypt_events_stored_in_clear, keys, rewrites
from domain.errors import RulesBroken
from domain.people import ERASED_NAME, ERASED_WORDS, Participant
from projections import reads
from tests.conftest import TODAY, importer

CANARY_NAME = "Zebulon Quillfeather"
CANARY_MISSPELT = "Zebulun Quilfether"  # the name first recorded, then corrected: erased as well
CANARY_EMAIL = "zebulon.quill@example.net"
CANARY_MISTYPED = "zebulun.quil@example.net"  # the address first recorded, then corrected
CANARY_WORDS = "porcupine lantern glockenspiel"
CANARY_CORRECTED = "marmalade zeppelin harpsichord"  # the words as corrected: still the contributor's


@pytest.fixture
def demo(services):
    """The demo partnerships, with one more parent whose every word is a canary."""
    actor = importer(services)

    def load(app, actor):
        riverside, _ = load_demo(app, actor, TODAY)
        return riverside

    riverside = services.run(load, actor)
    with services.engine.connect() as conn:
        members = {row["name"]: row["id"] for row in reads.partnership_members(conn, riverside)}
        policy_ids = [row["id"] for row in reads.partnership_policies(conn, riverside)]

    chair = members["Amira Hassan"]

    def canary(app, actor):
        person = app.register_participant(actor, CANARY_MISSPELT, "parent_carer")
        app.add_member(actor, riverside, person, TODAY)
        app.correct_member_name(actor, riverside, person, CANARY_NAME, f"Not {CANARY_MISSPELT}", TODAY)
        # The reason for a group's correction may say who they are: encrypted and erased as well.
        app.correct_member_group(
            actor, riverside, person, "home_educator", f"{CANARY_MISSPELT} educates", TODAY
        )
        app.set_contact_preferences(actor, person, CANARY_MISTYPED, True)
        app.correct_member_email(actor, riverside, person, CANARY_EMAIL, f"Not {CANARY_MISTYPED}", TODAY)
        said = app.submit_contribution(
            actor,
            policy_ids[0],
            person,
            "suggestion",
            f"Please add {CANARY_WORDS}",
            "email",
            TODAY,
            pseudonym="Quill of Riverside",
        )
        app.respond_to_contribution(actor, said, "adopted", "", chair, TODAY)
        app.correct_contribution(actor, said, f"Please add {CANARY_CORRECTED}", "Misheard", TODAY)
        return person

    members[CANARY_NAME] = services.run(canary, actor)
    return dict(actor=actor, members=members, policies=all_policies(services))


def all_policies(services) -> list[UUID]:
    with services.engine.connect() as conn:
        return [
            row["id"]
            for p in reads.all_partnerships(conn)
            for row in reads.partnership_policies(conn, p["id"])
        ]


def verdicts(services) -> dict[UUID, list]:
    with services.engine.connect() as conn:
        return {policy_id: assessments(conn, policy_id, TODAY, None) for policy_id in all_policies(services)}


def every_row(services) -> str:
    """Every row of every table in the database, as text."""
    tables = MetaData()
    tables.reflect(services.engine)
    found = []
    with services.engine.connect() as conn:
        for table in tables.sorted_tables:
            # In a stable order: the order a table's rows come back in is where they happen to
            # lie (on PostgreSQL, a rebuild's COPY lays them out as executemany did not).
            rows = sorted(map(tuple, conn.exec_driver_sql(f'SELECT * FROM "{table.name}"')), key=repr)
            for row in rows:
                found.append(repr(row))
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        found.append(bytes(value).decode("utf-8", "replace"))
    return "\n".join(found)


def database_files(services) -> bytes:
    path = Path(services.engine.url.database)
    with services.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_personal_data_is_stored_encrypted_and_read_back(services, demo):
    events = services.app.recorder.events_record_cls.__table__
    with services.engine.connect() as conn:
        stored = b"".join(bytes(state) for state in conn.scalars(select(events.c.state)))
        participant = reads.participant(conn, demo["members"][CANARY_NAME])
    for canary in (
        CANARY_NAME,
        CANARY_MISSPELT,
        CANARY_EMAIL,
        CANARY_MISTYPED,
        CANARY_WORDS,
        CANARY_CORRECTED,
        "Quill of Riverside",
        "Grace Okafor",
    ):
        assert canary.encode() not in stored
    assert participant["name"] == CANARY_NAME
    assert participant["email"] == CANARY_EMAIL
    assert services.app.repository.get(demo["members"][CANARY_NAME]).name == CANARY_NAME


def test_erasure_leaves_no_trace_of_the_person_and_every_verdict_as_it_was(services, demo):
    grace = demo["members"]["Grace Okafor"]
    with services.engine.connect() as conn:
        grace_words = [row["text"] for row in reads.contributions_by(conn, grace)]
    assert grace_words
    before = verdicts(services)

    for person in (demo["members"][CANARY_NAME], grace):
        erased = erase_participant(services, demo["actor"], person)
        assert erased.stakeholder_group in ("parent_carer", "home_educator")

    everything = every_row(services)
    for canary in (
        CANARY_NAME,
        CANARY_MISSPELT,
        CANARY_EMAIL,
        CANARY_MISTYPED,
        CANARY_WORDS,
        CANARY_CORRECTED,
        "Quill of Riverside",
        "Grace Okafor",
        *grace_words,
    ):
        assert canary.lower() not in everything.lower(), canary
    if services.engine.dialect.name == "sqlite":
        files = database_files(services).lower()
        for canary in (
            CANARY_NAME,
            CANARY_MISSPELT,
            CANARY_EMAIL,
            CANARY_MISTYPED,
            CANARY_WORDS,
            CANARY_CORRECTED,
            "Grace Okafor",
            *grace_words,
        ):
            assert canary.lower().encode() not in files, canary
    assert verdicts(services) == before
    with services.engine.connect() as conn:
        assert reads.participant(conn, grace)["name"] == ERASED_NAME
        assert {row["text"] for row in reads.contributions_by(conn, grace)} == {ERASED_WORDS}
        assert conn.scalar(select(keys.c.owner_id).where(keys.c.owner_id == grace)) is None


def test_a_rebuild_after_erasure_reads_the_same(services, demo):
    erase_participant(services, demo["actor"], demo["members"]["Grace Okafor"])
    before = (every_row(services), verdicts(services))
    services.read_models.rebuild()
    assert (every_row(services), verdicts(services)) == before


def test_nothing_more_is_recorded_for_an_erased_participant(services, demo):
    person = demo["members"][CANARY_NAME]
    erase_participant(services, demo["actor"], person)
    with pytest.raises(RulesBroken) as broken:
        services.run(
            lambda app, actor: app.set_contact_preferences(actor, person, CANARY_EMAIL, True), demo["actor"]
        )
    assert "erased" in broken.value.problems[0].message
    with pytest.raises(RulesBroken):
        services.run(lambda app, actor: app.erase_participant(actor, person), demo["actor"])


def test_a_failed_erasure_erases_nothing(services, demo, monkeypatch):
    person = demo["members"][CANARY_NAME]

    def broken_rebuild(progress=None):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services.read_models, "rebuild_in_one_transaction", broken_rebuild)
    with pytest.raises(RuntimeError):
        erase_participant(services, demo["actor"], person)
    with services.engine.connect() as conn:
        assert reads.participant(conn, person)["name"] == CANARY_NAME
    assert services.app.repository.get(person).name == CANARY_NAME


def test_an_event_stored_before_encryption_reads_as_it_was_and_is_encrypted_once(services):
    """Events written before personal data was encrypted held it in clear: they stay readable, and
    the installation's first start since encrypts them where they are."""
    person = UUID("5f0c1c1e-0000-4000-8000-000000000001")
    old_shape = {
        "name": "Old Shape",
        "stakeholder_group": "home_educator",
        "recorded_by": {"_type_": "uuid_hex", "_data_": person.hex},
        "timestamp": {"_type_": "datetime_iso", "_data_": "2025-01-01T00:00:00+00:00"},
        "originator_topic": "domain.people:Participant",
    }
    services.app.recorder.insert_events(
        [StoredEvent(person, 1, "domain.people:Participant.Registered", json.dumps(old_shape).encode())]
    )
    assert services.app.repository.get(person).name == "Old Shape"

    with services.engine.begin() as conn:
        conn.execute(delete(rewrites))  # as an installation from before encryption starts
    assert encrypt_events_stored_in_clear(services.app) == 1
    assert encrypt_events_stored_in_clear(services.app) == 0
    events = services.app.recorder.events_record_cls.__table__
    with services.engine.connect() as conn:
        state = bytes(conn.scalar(select(events.c.state).where(events.c.originator_id == person)))
    assert b"Old Shape" not in state and b"personal_data" in state
    services.forget_cached_state()
    participant = services.app.repository.get(person)
    assert isinstance(participant, Participant) and participant.name == "Old Shape"
