"""The log on real databases, the projections built from it, and their rebuild: SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta
from uuid import UUID

from sqlalchemy import func, select

from cotrace.services import open_services
from projections import audit_trail, directory
from projections.reads import policy_trail
from tests.conftest import TODAY
from tests.story import Riverside


def snapshot(services) -> dict[str, list[tuple]]:
    """Every row of every projection table, in a stable order."""
    tables = {}
    with services.engine.connect() as conn:
        for projection in services.read_models.projections:
            for table in projection.metadata.sorted_tables:
                rows = conn.execute(select(table)).all()
                tables[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return tables


def test_the_log_survives_closing_and_reopening(database_url, services):
    story = Riverside.set_up(services.app, TODAY)
    decision_id = story.decide()
    services.close()

    reopened = open_services(database_url, today=lambda: TODAY)
    try:
        assert reopened.app.repository.get(decision_id).text == "Start from a blank page"
        assert reopened.app.create_local_operator() == story.actor  # found, not created again
    finally:
        reopened.close()


def test_a_decision_is_in_the_audit_trail_once_caught_up(services):
    story = Riverside.set_up(services.app, TODAY)
    decision_id = story.decide(stage="co_design")
    services.read_models.catch_up()

    with services.engine.connect() as conn:
        trail = policy_trail(conn, story.policy)
    assert [row["kind"] for row in trail] == [
        "policy_started",
        "stage_entered",
        "stage_entered",
        "decision_recorded",
    ]
    decision = trail[-1]
    assert decision["decision_id"] == decision_id
    assert decision["happened_on"] == TODAY
    assert decision["recorded_by_name"] == "Local operator"
    assert decision["meeting"] == "Partnership meeting"
    assert decision["decision_maker_groups"] == ["Home educator", "Local authority"]
    assert decision["decision_makers"] == [
        {"name": "Amira", "group": "Home educator"},
        {"name": "Daniel", "group": "Local authority"},
    ]
    assert decision["recorded_at"] is not None


def test_each_event_is_applied_exactly_once(services):
    story = Riverside.set_up(services.app, TODAY)
    story.decide()
    services.read_models.catch_up()
    assert services.read_models.catch_up() == 0  # nothing left, nothing applied twice

    with services.engine.connect() as conn:
        rows = conn.scalar(select(func.count()).select_from(audit_trail.trail))
        positions = services.read_models.positions()
    assert rows == 3  # started, stage entered, decision
    head = services.app.recorder.max_notification_id()
    assert positions == {p.name: head for p in services.read_models.projections}


def test_two_processes_catching_up_at_once_apply_each_event_once(database_url, services):
    story = Riverside.set_up(services.app, TODAY)
    for number in range(30):
        story.decide(text=f"Decision {number}")
    others = [open_services(database_url, today=lambda: TODAY) for _ in range(3)]
    try:
        threads = [threading.Thread(target=o.read_models.catch_up) for o in [services, *others]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for other in others:
            other.close()

    with services.engine.connect() as conn:
        decisions = conn.scalar(select(func.count()).select_from(directory.decisions))
        trail_rows = conn.scalar(select(func.count()).select_from(audit_trail.trail))
    assert decisions == 30
    assert trail_rows == 32  # started, stage entered, and the 30 decisions


def test_a_rebuilt_projection_equals_the_one_built_live(services):
    story = Riverside.set_up(services.app, TODAY)
    story.decide()
    story.decide(stage="co_design", method="delegated", decided_by=[story.people["daniel"]])
    later = story.meeting_on(TODAY - timedelta(days=1), ["amira", "tom"])
    story.app.record_attendance(story.actor, later, [story.people["amira"]], [story.people["tom"]])
    services.read_models.catch_up()
    live = snapshot(services)

    applied = services.read_models.rebuild()

    assert applied == services.app.recorder.max_notification_id()
    assert snapshot(services) == live
    assert live["audit_trail"] and live["directory_decisions"]


def test_a_rebuild_reports_its_progress(services):
    Riverside.set_up(services.app, TODAY)
    seen: list[tuple[int, int]] = []
    services.read_models.rebuild(lambda done, total: seen.append((done, total)), batch_size=4)
    total = services.app.recorder.max_notification_id()
    assert seen[-1] == (total, total)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert len(seen) > 1


def test_participants_are_listed_with_their_groups(services):
    story = Riverside.set_up(services.app, TODAY)
    services.read_models.catch_up()
    with services.engine.connect() as conn:
        rows = conn.execute(
            select(directory.members.c.participant_id, directory.members.c.stakeholder_group)
        ).all()
    assert {row.participant_id: row.stakeholder_group for row in rows} == {
        story.people["amira"]: "home_educator",
        story.people["tom"]: "home_educator",
        story.people["daniel"]: "local_authority",
        story.people["sophie"]: "he_organisation",
        story.people["grace"]: "parent_carer",
    }
    assert all(isinstance(row.participant_id, UUID) for row in rows)


def test_the_served_application_keeps_the_log_in_cotrace_events(services):
    from sqlalchemy import inspect

    assert services.app.recorder.events_table_name == "cotrace_events"
    assert "cotrace_events" in inspect(services.engine).get_table_names()
