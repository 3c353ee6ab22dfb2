"""`cotrace rebuild` at scale (issue 14): in batches of its own size, one read model alone, on SQLite
and PostgreSQL; every table's rows after a rebuild are those the live catch-up wrote."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from cotrace import rebuilding
from projections.runner import REBUILD_BATCH, UnknownReadModel
from tests.conftest import TODAY
from tests.integration.test_read_models import rows
from tests.policy_life import PolicyLife
from tests.story import Riverside


def every_row(services) -> dict[str, dict[str, list[tuple]]]:
    """Every read model's rows, its kept tables too, by read model."""
    with services.engine.connect() as conn:
        return {p.name: rows(conn, p) for p in services.read_models.projections}


def lived(services) -> None:
    """A whole policy life, and a second partnership's meetings and decisions, caught up as served."""
    life = PolicyLife.lived(Riverside.set_up(services.app, TODAY), retire=True)
    story = life.story
    chair = story.app.open_account(story.actor, "Carla Chair", "carla@example.org")
    story.app.grant_role(story.actor, story.partnership, chair, "chair")
    story.app.reissue_private_link(story.actor, story.partnership, story.people["tom"])
    minutes = story.app.write_minutes(story.actor, story.meeting, "Agreed to ask families first")
    story.app.approve_minutes(story.actor, story.meeting, [story.people["amira"]], TODAY, minutes)
    story.app.change_thresholds(
        story.actor, story.partnership, "Citizens hold most seats", TODAY, citizen_share=0.6
    )
    for number in range(12):
        meeting = story.meeting_on(TODAY - timedelta(days=number + 2), ["amira", "daniel", "tom"])
        story.app.record_decision(
            story.actor,
            meeting_id=meeting,
            policy_id=story.app.start_policy(
                story.actor, story.partnership, f"Policy {number}", "authority", TODAY - timedelta(days=60)
            ),
            text=f"Decision {number}",
            stage="co_commission",
            proposed_by=story.people["tom"],
            decided_by=[story.people["amira"], story.people["daniel"]],
            method="consensus",
        )
    _corrected(story, meeting)
    services.read_models.catch_up()


def _corrected(story: Riverside, meeting) -> None:
    """A contribution, its response, an action, an agenda item, a meeting and a
    member's name, group and email address, each recorded wrong
    and then corrected."""
    app, actor, day = story.app, story.actor, TODAY - timedelta(days=2)
    policy = app.start_policy(actor, story.partnership, "Corrected policy", "citizens", day)
    said = app.submit_contribution(
        actor, policy, story.people["tom"], "view", "Misheard words", "email", happened_on=day
    )
    app.respond_to_contribution(actor, said, "adopted", "", story.people["daniel"], day)
    app.correct_contribution(actor, said, "The words said", "Misheard", TODAY)
    app.correct_response(actor, said, "adapted", "In part", "Recorded wrong", TODAY)
    action = app.agree_action(actor, meeting, "Write to families", story.people["tom"], TODAY)
    app.complete_action(actor, meeting, action, TODAY)
    app.reopen_action(actor, meeting, action, "Marked done by mistake", TODAY)
    app.add_agenda_item(actor, meeting, "Terms of referance", policy)
    app.correct_agenda_item(actor, meeting, 0, "Terms of reference", "Spelling", TODAY)
    moved = app.schedule_meeting(actor, story.partnership, "Workshop", TODAY, "Town Hall")
    app.correct_meeting(actor, moved, day, "Library", "Held a day earlier, at the library", TODAY)
    # A meeting's date corrected after what was said and decided at it: both move with it.
    held = app.schedule_meeting(actor, story.partnership, "Evening meeting", TODAY - timedelta(days=1), "")
    there = [story.people["tom"], story.people["daniel"]]
    app.record_attendance(actor, held, there, [])
    said_there = app.submit_contribution(
        actor, policy, story.people["tom"], "view", "Said there", "meeting", meeting_id=held
    )
    app.record_decision(
        actor,
        held,
        policy,
        "Decided there",
        "co_commission",
        there[0],
        there,
        "consensus",
        cites=[said_there],
    )
    app.correct_meeting(actor, held, day, "", "Held on the Saturday", TODAY)
    app.correct_member_name(actor, story.partnership, story.people["grace"], "Grace O.", "Her choice", TODAY)
    app.correct_member_group(actor, story.partnership, story.people["grace"], "home_educator", "Typo", TODAY)
    app.set_contact_preferences(actor, story.people["grace"], "grace@exmaple.org", True)
    app.correct_member_email(
        actor, story.partnership, story.people["grace"], "grace@example.org", "Typo", TODAY
    )


# Each batch holds its writes and looks its rows up in memory (projections/batch.py): a batch of one
# event writes as the events were once applied, a statement at a time; a batch of 7 ends inside one
# meeting's events, and of one policy's.
@pytest.mark.parametrize("batch_size", [REBUILD_BATCH, 7, 1])
def test_a_rebuild_in_batches_gives_every_table_the_rows_the_live_catch_up_wrote(services, batch_size):
    lived(services)
    live = every_row(services)

    applied = services.read_models.rebuild(batch_size=batch_size)

    assert applied == services.app.recorder.max_notification_id() > 90
    assert every_row(services) == live
    assert [name for name, tables in live.items() if not any(tables.values())] == []  # none is empty


def test_one_read_model_rebuilds_alone_and_the_others_are_left_as_they_stand(services):
    lived(services)
    live = every_row(services)
    head = services.app.recorder.max_notification_id()
    with (
        services.engine.begin() as conn
    ):  # a mark in another read model's table: a rebuild of it would drop it
        directory = next(p for p in services.read_models.projections if p.name == "directory")
        partnerships = directory.metadata.tables["directory_partnerships"]
        conn.execute(partnerships.update().values(name="Marked"))

    applied = services.read_models.rebuild(only=["audit_trail"])

    assert applied == head
    after = every_row(services)
    assert after["audit_trail"] == live["audit_trail"]
    with services.engine.connect() as conn:
        assert set(conn.scalars(select(partnerships.c.name))) == {"Marked"}
    assert services.read_models.positions() == {p.name: head for p in services.read_models.projections}


def test_a_rebuild_of_a_read_model_that_does_not_exist_names_those_that_do(services):
    with pytest.raises(UnknownReadModel) as refused:
        services.read_models.rebuild(only=["audit_trail", "audit"])
    assert str(refused.value) == (
        "There is no read model called 'audit'. The read models are: directory, audit_trail, evidence, "
        "thresholds, provenance, followups, access, private_links, minutes"
    )


def test_reading_the_log_alone_reads_every_notification(services):
    lived(services)
    assert services.read_models.read_the_log(batch_size=10) == services.app.recorder.max_notification_id()


def test_cotrace_rebuild_only_prints_its_progress_and_the_ratio_to_reading_the_log(runner, flask_app):
    services = flask_app.extensions["cotrace"]
    lived(services)
    live = every_row(services)
    events = services.app.recorder.max_notification_id()

    result = runner.invoke(
        ["rebuild", "--only", "evidence", "--only", "provenance", "--batch", "50", "--processes", "1"]
    )

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Rebuilding evidence, provenance."
    assert lines[1].startswith(f"Rebuilt 50 of {events:,} events (")  # the first batch, then every 5 s
    assert "events/s, about " in lines[1] and lines[1].endswith(" left")
    assert lines[-3].startswith(f"Rebuilt {events:,} of {events:,} events (100 %)")
    assert lines[-2].startswith(f"Applied {events} events in ")
    assert lines[-1].startswith(
        f"Reading the notification log alone ({events} notifications, as stored) took "
    )
    assert lines[-1].endswith(" times as long.")
    assert every_row(services) == live


def test_cotrace_rebuild_of_an_unknown_read_model_is_a_plain_error(runner):
    result = runner.invoke(["rebuild", "--only", "trail"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: There is no read model called 'trail'. The read models are: directory, audit_trail, "
        "evidence, thresholds, provenance, followups, access, private_links, minutes\n"
    )


def test_a_rebuild_on_postgresql_leaves_its_tables_analyzed(services):
    """A table dropped and filled again has no statistics until autovacuum reaches it (never where it
    is off): the rebuild analyzes the tables it rebuilt, and only those, so the planner finds the
    trail's rows by key. SQLite's planner keeps no statistics of ours: nothing is done there."""
    Riverside.set_up(services.app, TODAY)
    rebuilt = rebuilding.rebuild(services, only=["audit_trail"])
    assert rebuilt.applied > 0
    with services.engine.connect() as conn:
        if conn.dialect.name != "postgresql":
            assert services.read_models.refresh_statistics(services.read_models.named(["audit_trail"])) == []
            return
        analyzed = dict(
            conn.execute(
                text("SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname IN "
                     "('audit_trail', 'audit_contributions', 'directory_decisions')")
            ).all()
        )  # fmt: skip
    assert analyzed["audit_trail"] and analyzed["audit_contributions"]
    assert not analyzed["directory_decisions"]  # not rebuilt: left to autovacuum


def test_a_batch_reads_the_notifications_the_recorder_would_give(services):
    lived(services)
    read_models = services.read_models
    head = read_models.head()
    with read_models.datastore.transaction(commit=False) as session:
        for start, limit in ((0, head + 5), (3, 7), (head - 2, 10), (head, 10)):
            expected = services.app.recorder.select_notifications(start, limit, inclusive_of_start=False)
            assert read_models._notifications_after(session, start, limit) == expected
    assert len(expected) == 0 and head > 100
