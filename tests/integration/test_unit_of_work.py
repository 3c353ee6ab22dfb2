"""A command through the served application is one unit of work: its events and the projections'
rows commit together, and it never decides on state another process has since changed."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from cotrace.services import open_services
from domain.errors import RulesBroken
from projections import audit_trail, directory
from projections.runner import projection_positions
from tests.conftest import TODAY
from tests.story import Riverside


def decide(story: Riverside, **changes: Any):
    """The story's decision as a command for `Services.run` (the story holds the same app)."""
    return lambda app, actor: story.decide(**changes)


def count(services, table) -> int:
    with services.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


def test_the_projections_show_a_command_as_soon_as_it_returns(services):
    story = Riverside.set_up(services.app, TODAY)
    services.read_models.catch_up()

    decision_id = services.run(decide(story), story.actor)

    # No catch-up called: the rows were committed with the events.
    with services.engine.connect() as conn:
        row = conn.execute(
            select(audit_trail.trail).where(audit_trail.trail.c.decision_id == decision_id)
        ).one()
    assert row.what == "Start from a blank page"
    head = services.app.recorder.max_notification_id()
    assert services.read_models.positions() == {p.name: head for p in services.read_models.projections}


def test_a_broken_rule_writes_nothing_anywhere(services):
    story = Riverside.set_up(services.app, TODAY)
    services.run(decide(story), story.actor)
    head = services.app.recorder.max_notification_id()

    with pytest.raises(RulesBroken):
        services.run(decide(story, text=""), story.actor)

    assert services.app.recorder.max_notification_id() == head
    assert count(services, directory.decisions) == 1
    assert services.run(decide(story, text="Next"), story.actor)  # and the next command works


def test_a_command_sees_what_another_process_changed(database_url, services):
    story = Riverside.set_up(services.app, TODAY)
    services.run(decide(story), story.actor)  # this process now has the meeting cached

    other = open_services(database_url, today=lambda: TODAY)
    try:
        # Elsewhere, the attendance is corrected: Daniel was not there after all.
        other.run(
            lambda app, actor: app.record_attendance(actor, story.meeting, [story.people["amira"]], []),
            story.actor,
        )
    finally:
        other.close()

    with pytest.raises(RulesBroken) as error:
        services.run(decide(story), story.actor)  # Daniel among the decision makers
    assert "present" in error.value.by_field()["decided_by"]


def test_a_command_leaves_a_read_model_being_rebuilt_to_its_rebuild(services):
    story = Riverside.set_up(services.app, TODAY)
    services.read_models.catch_up()
    services.read_models.batch_size = 5  # "far behind": more than a batch
    (trail,) = services.read_models.named(["audit_trail"])
    with services.engine.begin() as conn:  # the audit trail as a rebuild begins it: empty, at 0
        trail.metadata.drop_all(conn)
        trail.metadata.create_all(conn)
        conn.execute(
            projection_positions.update()
            .where(projection_positions.c.projection == "audit_trail")
            .values(position=0)
        )

    services.run(decide(story), story.actor)

    head = services.app.recorder.max_notification_id()
    positions = services.read_models.positions()
    assert positions.pop("audit_trail") == 0  # left to the rebuild, which applies the decision in turn
    assert set(positions.values()) == {head}  # the others show the decision already
    assert count(services, directory.decisions) == 1
    assert count(services, audit_trail.trail) == 0
    services.read_models.catch_up()
    assert count(services, audit_trail.trail) == 3  # started, stage entered, the decision


def test_a_projection_left_behind_is_caught_up_within_the_next_command(services):
    story = Riverside.set_up(services.app, TODAY)  # written straight to the log, not projected
    assert count(services, audit_trail.trail) == 0

    services.run(decide(story), story.actor)

    assert count(services, audit_trail.trail) == 3
    head = services.app.recorder.max_notification_id()
    assert set(services.read_models.positions().values()) == {head}
