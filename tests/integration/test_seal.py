"""The seal: every event is sealed as it is stored, the seal refuses to be rewritten, and tampering
with the log by hand (an event's bytes changed, one deleted, its number reused) is found."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text, update

from cotrace.demo import load_demo
from cotrace.erasure import erase_participant
from cotrace.seal import merkle
from cotrace.sealing import LogTampered, leaf_entry, leaves, verify_log
from cotrace.services import open_services
from domain.application import Cotrace
from projections import reads
from tests.conftest import TODAY, importer


@pytest.fixture
def demo(services):
    actor = importer(services)
    riverside = services.run(lambda app, actor: load_demo(app, actor, TODAY)[0], actor)
    return actor, riverside


def events_table(services):
    return services.app.recorder.events_record_cls.__table__


def verified(services):
    with services.engine.connect() as conn:
        return verify_log(conn, events_table(services), batch=7)  # small batches: the paging is walked too


def test_every_stored_event_is_sealed_and_the_log_verifies(services, demo):
    result = verified(services)
    assert result.ok, result.problems
    with services.engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(events_table(services)))
        rows = conn.execute(select(events_table(services)).order_by(events_table(services).c.id)).all()
    assert result.size == count > 100
    assert result.root == merkle.root(merkle.leaf_hash(leaf_entry(i, row)) for i, row in enumerate(rows))


def test_the_seal_refuses_to_be_changed_or_deleted(services, demo):
    for statement in (update(leaves).values(leaf_hash=b"\0" * 32), delete(leaves)):
        with pytest.raises(Exception, match="append-only"), services.engine.begin() as conn:
            conn.execute(statement)
    assert verified(services).ok


def test_an_event_whose_bytes_were_changed_by_hand_is_named(services, demo):
    table = events_table(services)
    with services.engine.begin() as conn:
        target = conn.execute(select(table).order_by(table.c.id).offset(40).limit(1)).first()
        # One byte more, and still valid JSON: no reader of the event would notice.
        conn.execute(update(table).where(table.c.id == target.id).values(state=bytes(target.state) + b" "))
    result = verified(services)
    assert not result.ok
    assert result.problems == [
        f"Event {target.id} ({target.topic}, {target.originator_id} v{target.originator_version}) "
        "is not as it was sealed: its stored bytes changed"
    ]


def test_a_deleted_middle_event_is_found(services, demo):
    table = events_table(services)
    with services.engine.begin() as conn:
        target = conn.execute(select(table.c.id).order_by(table.c.id).offset(30).limit(1)).scalar()
        conn.execute(delete(table).where(table.c.id == target))
    result = verified(services)
    gone = [problem for problem in result.problems if "gone from the log" in problem]
    assert gone and f"Event {target} was sealed" in gone[0]


def test_a_reused_number_after_the_last_event_was_deleted_is_refused(services, demo):
    actor, riverside = demo
    table = events_table(services)
    with services.engine.begin() as conn:
        last = conn.scalar(select(func.max(table.c.id)))
        conn.execute(delete(table).where(table.c.id == last))
    if services.engine.dialect.name == "sqlite":  # SQLite gives the next event the deleted one's number
        with pytest.raises(LogTampered, match="a sealed event was deleted and its number reused"):
            services.run(lambda app, actor: app.form_partnership(actor, "Another partnership"), actor)
    result = verified(services)
    assert any(f"Event {last} was sealed" in problem for problem in result.problems)


def test_an_event_stored_around_the_seal_is_refused_and_found(services, demo):
    actor, riverside = demo
    table = events_table(services)
    with services.engine.begin() as conn:
        row = conn.execute(select(table).order_by(table.c.id.desc()).limit(1)).first()
        conn.execute(
            table.insert().values(
                originator_id=row.originator_id,
                originator_version=row.originator_version + 1000,
                topic=row.topic,
                state=row.state,
            )
        )
    assert any("never sealed" in problem for problem in verified(services).problems)
    with pytest.raises(LogTampered, match="never sealed"):
        services.run(lambda app, actor: app.form_partnership(actor, "Another partnership"), actor)


def test_erasing_a_participant_leaves_the_seal_whole(services, demo):
    actor, riverside = demo
    before = verified(services).root
    with services.engine.connect() as conn:
        members = reads.partnership_members(conn, riverside)
    grace = next(m["id"] for m in members if m["name"] == "Grace Okafor")
    erase_participant(services, actor, grace)
    result = verified(services)
    assert result.ok, result.problems
    assert result.size == verified(services).size
    assert before != result.root  # one more leaf: the erasure's own event
    with services.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(leaves)) == result.size


def test_an_installation_from_before_the_seal_seals_its_log_once(database_url):
    unsealed = Cotrace(
        env={"PERSISTENCE_MODULE": "eventsourcing_sqlalchemy", "SQLALCHEMY_URL": database_url},
        today=lambda: TODAY,
    )
    unsealed.create_local_operator()
    unsealed.form_partnership(unsealed.create_local_operator(), "Before the seal")
    unsealed.close()
    services = open_services(database_url, today=lambda: TODAY)
    try:
        result = verified(services)
        assert result.ok and result.size == 2
        with services.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM cotrace_seal_started")).scalar() == 1
    finally:
        services.close()
