"""A read model whose tables change shape is rebuilt from the log when an installation upgrades,
instead of failing on a column its old tables do not have."""

from __future__ import annotations

import dataclasses

from sqlalchemy import inspect, text, update

from cotrace.services import open_services
from projections.evidence import Evidence, stamps
from projections.runner import read_model_versions
from tests.conftest import TODAY
from tests.integration.test_projections import snapshot
from tests.older_shapes import built_at_version
from tests.story import Riverside


def test_an_evidence_table_of_an_older_shape_is_rebuilt_at_start(database_url):
    first = open_services(database_url, today=lambda: TODAY)
    Riverside.set_up(first.app, TODAY)
    first.read_models.catch_up()
    before = snapshot(first)
    # As an installation built before the days of recording were kept: version 1, no such column.
    built_at_version(
        first.engine, "evidence", 1, "ALTER TABLE evidence_policies DROP COLUMN started_recorded_on"
    )
    first.close()

    upgraded = open_services(database_url, today=lambda: TODAY)
    try:
        assert snapshot(upgraded) == before
        with upgraded.engine.connect() as conn:
            version = conn.scalar(
                read_model_versions.select()
                .with_only_columns(read_model_versions.c.version)
                .where(read_model_versions.c.projection == "evidence")
            )
        assert version == Evidence.version
    finally:
        upgraded.close()


def test_an_evidence_model_built_before_verdicts_were_kept_gets_every_policy_stamped(database_url):
    """Version 2 kept no verdicts and no stamps: an upgrade rebuilds it, stamping every policy, so
    the pages can keep their verdicts from the first view."""
    first = open_services(database_url, today=lambda: TODAY)
    story = Riverside.set_up(first.app, TODAY)
    first.read_models.catch_up()
    built_at_version(
        first.engine, "evidence", 2, "DROP TABLE evidence_published", "DROP TABLE evidence_stamps"
    )
    first.close()

    upgraded = open_services(database_url, today=lambda: TODAY)
    try:
        upgraded.read_models.catch_up()
        with upgraded.engine.connect() as conn:
            assert conn.scalar(stamps.select().with_only_columns(stamps.c.policy_id)) == story.policy
    finally:
        upgraded.close()


def test_a_trail_and_a_directory_built_before_their_pages_are_rebuilt_with_their_indexes(database_url):
    """Version 1 of the trail and 2 of the directory had none of the indexes the pages' lists are
    read by (nor each contribution's partnership): an upgrade rebuilds them, to the same rows."""
    first = open_services(database_url, today=lambda: TODAY)
    story = Riverside.set_up(first.app, TODAY)
    story.app.submit_contribution(
        story.actor, story.policy, story.people["amira"], "view", "Ask us first", "email", TODAY
    )
    first.read_models.catch_up()
    before = snapshot(first)
    with first.engine.begin() as conn:
        for index in (
            "audit_trail_by_policy",
            "directory_meetings_by_day",
            "directory_contributions_awaiting",
        ):
            conn.execute(text(f"DROP INDEX {index}"))
        for name, version in (("audit_trail", 1), ("directory", 2)):
            conn.execute(
                update(read_model_versions)
                .where(read_model_versions.c.projection == name)
                .values(version=version)
            )
    first.close()

    upgraded = open_services(database_url, today=lambda: TODAY)
    try:
        assert snapshot(upgraded) == before
        indexes = {
            index["name"]
            for table in ("audit_trail", "directory_meetings", "directory_contributions")
            for index in inspect(upgraded.engine).get_indexes(table)
        }
        assert {
            "audit_trail_by_policy",
            "directory_meetings_by_day",
            "directory_contributions_awaiting",
        } <= indexes
    finally:
        upgraded.close()


def test_read_models_built_before_meetings_could_move_their_records_are_rebuilt_at_start(database_url):
    """Evidence 5, directory 4 and provenance 1 had no columns for a date replaced by a meeting's
    correction: an upgrade rebuilds them, to the same rows, and a date can then be corrected."""
    first = open_services(database_url, today=lambda: TODAY)
    story = Riverside.set_up(first.app, TODAY)
    first.read_models.catch_up()
    before = snapshot(first)
    for name, version, statement in (
        ("evidence", 5, "ALTER TABLE evidence_decisions DROP COLUMN dated_ref"),
        ("directory", 4, "ALTER TABLE directory_decision_changes DROP COLUMN previous_on"),
        ("provenance", 1, "ALTER TABLE provenance_amendments DROP COLUMN previous_on"),
    ):
        built_at_version(first.engine, name, version, statement)
    first.close()

    upgraded = open_services(database_url, today=lambda: TODAY)
    try:
        assert snapshot(upgraded) == before
        dataclasses.replace(story, app=upgraded.app).decide()
        upgraded.run(
            lambda app, actor: app.correct_meeting(
                actor, story.meeting, TODAY.replace(day=14), "Library", "Wrong day", TODAY
            ),
            story.actor,
        )
        with upgraded.engine.connect() as conn:
            assert conn.scalar(text("SELECT previous_on FROM provenance_amendments")) is not None
    finally:
        upgraded.close()
