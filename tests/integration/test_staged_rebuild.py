"""A rebuild on SQLite written into a file of its own, then copied into the store
(`projections.staging`, issue 14): the rows copied are those the live catch-up wrote, the indexes
are there again, what was recorded meanwhile is applied after the copy, the file is readable by its
user alone and gone at the end however the rebuild ends, and the follow-up outbox, kept through
a rebuild, stays in the store."""

from __future__ import annotations

import re
import stat

import pytest
from sqlalchemy import Engine, event, text

from cotrace import rebuilding
from cotrace.erasure import erase_participant
from projections.staging import can_stage, staged, store_file
from tests.conftest import TODAY
from tests.integration.test_rebuild import every_row, lived
from tests.story import Riverside


def _indexes(services) -> list[tuple[str, str]]:
    with services.engine.connect() as conn:
        found = conn.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
        )
        return [tuple(row) for row in found]


@pytest.fixture
def store(sqlite_url):
    from cotrace.services import open_services

    opened = open_services(sqlite_url, today=lambda: TODAY)
    yield opened
    opened.close()


def test_a_staged_rebuild_copies_in_the_rows_the_live_catch_up_wrote_with_every_index(store):
    lived(store)
    live, indexes = every_row(store), _indexes(store)
    head = store.app.recorder.max_notification_id()
    shown: list[tuple[int, int]] = []
    staging = rebuilding.staging_file(store.engine, 0)
    staged_while = []

    def progress(done: int, total: int) -> None:
        shown.append((done, total))
        staged_while.append(staging.exists())

    applied = rebuilding.rebuild(store, progress=progress).applied

    assert applied == head
    assert every_row(store) == live
    assert _indexes(store) == indexes
    assert store.read_models.positions() == {p.name: head for p in store.read_models.projections}
    # One bar from nothing to the whole, whichever part (in the file, then in place) it was at.
    assert [done for done, _ in shown] == sorted(done for done, _ in shown)
    assert shown[-1] == (head, head)
    assert any(staged_while)  # the rows were written in a file of their own first
    assert list(store_file(store.engine).parent.glob("*.rebuild-*")) == []
    # The copies went through the write-ahead log: written back, and the log cut short.
    assert store_file(store.engine).with_suffix(".db-wal").stat().st_size == 0


def test_what_is_recorded_while_the_file_is_written_is_applied_after_the_copy(store):
    lived(store)
    read_models = store.read_models
    chosen = read_models.reset()
    assert can_stage(read_models.engine)
    staging = chosen
    path = rebuilding.staging_file(read_models.engine, 0)

    with staged(store.app, read_models.engine, staging, path) as rebuild:
        rebuild.catch_up(batch_size=7)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # the read models' rows hold personal data
        story = Riverside.set_up(store.app, TODAY)  # recorded before the copy, not in the file
        story.app.start_policy(story.actor, story.partnership, "Late policy", "authority", TODAY)
        copied_to = rebuild.copy_into_store()
        positions = read_models.positions()
        assert {p.name: positions[p.name] for p in staging} == {p.name: copied_to for p in staging}
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_trail")).scalar() > 0
    assert not path.exists()
    assert copied_to < store.app.recorder.max_notification_id()
    read_models.catch_up()

    rebuilt = every_row(store)
    lived_again = _lived_in_a_fresh_store_as_served(store)
    assert rebuilt == lived_again


def _lived_in_a_fresh_store_as_served(store) -> dict:
    """The rows the live catch-up gives for the same log: the store rebuilt in place, one batch at a
    time, each read model as the runner alone applies it."""
    read_models = store.read_models
    read_models.reset()
    read_models.catch_up()
    return every_row(store)


def test_a_staged_rebuild_that_fails_leaves_no_file_and_the_read_models_to_catch_up_again(store):
    lived(store)
    live = every_row(store)
    read_models = store.read_models
    chosen = read_models.reset()
    assert can_stage(read_models.engine)
    staging = chosen
    path = rebuilding.staging_file(read_models.engine, 0)

    with (
        pytest.raises(RuntimeError, match="stopped"),
        staged(store.app, read_models.engine, staging, path) as rebuild,
    ):
        rebuild.catch_up(batch_size=7)
        raise RuntimeError("stopped half way")
    assert not path.exists()
    assert set(read_models.positions().values()) == {0}  # nothing was copied in
    read_models.catch_up()
    assert every_row(store) == live


@pytest.mark.postgres
def test_every_read_model_is_staged_on_a_sqlite_file_and_none_on_postgresql(store, postgresql_url):
    from cotrace.services import open_services

    # The follow-up outbox too: its kept table is the store's, written there (the rows compared
    # after a rebuild above include it).
    assert can_stage(store.engine)
    served = open_services(postgresql_url, today=lambda: TODAY)
    try:
        assert not can_stage(served.engine)
    finally:
        served.close()


def test_no_handler_searches_the_staged_file_by_an_index_it_lacks(store):
    """The file has only the indexes the handlers search by (`staged_indexes`): any statement a
    rebuild runs there that reads a read model's table whole, where the store, with every index,
    would search it, names an index the read model must list in its `handler_indexes`."""
    _every_kind_of_event(store)
    plans: dict[str, set[str]] = {}

    def planned(conn, cursor, statement, parameters, context, executemany):
        if ".rebuild-" not in str(conn.engine.url.database) or not statement.lstrip().upper().startswith(
            ("SELECT", "UPDATE", "DELETE")
        ):
            return
        given = parameters[0] if executemany else parameters
        plans.setdefault(statement, set()).update(_scanned(_plan(cursor.connection, statement, given)))

    event.listen(Engine, "before_cursor_execute", planned)
    try:
        rebuilding.rebuild(store)
    finally:
        event.remove(Engine, "before_cursor_execute", planned)

    assert plans  # the handlers' own statements were seen
    tables = {table.name for p in store.read_models.projections for table in p.metadata.sorted_tables}
    raw = store.engine.raw_connection()
    try:
        # For each statement that reads a table whole in the file but not in the store: the
        # indexes the store searches it by, which the file lacks.
        lacking = {}
        for statement, scanned in plans.items():
            in_store = _plan(raw.driver_connection, statement, None)
            if (scanned - _scanned(in_store)) & tables:
                used = set(re.findall(r"USING (?:COVERING )?INDEX (\w+)", in_store))
                lacking[statement] = sorted(name for name in used if not name.startswith("sqlite_autoindex"))
    finally:
        raw.close()
    needed = sorted({name for names in lacking.values() for name in names})
    assert lacking == {}, f"name these in their read model's handler_indexes: {', '.join(needed)}"


def _plan(sqlite, statement: str, parameters) -> str:
    """SQLite's plan for this statement, its lines together."""
    if parameters is None:
        parameters = [None] * statement.count("?")
    return "\n".join(row[-1] for row in sqlite.execute(f"EXPLAIN QUERY PLAN {statement}", parameters))


def _scanned(plan: str) -> set[str]:
    """The tables a plan reads whole (a SCAN, of the table or of an index)."""
    return set(re.findall(r"^SCAN (\w+)", plan, re.MULTILINE))


def _every_kind_of_event(store) -> None:
    """`lived`, and the events it does not record: every event a read model handles is then in
    the log once at least (checked), so that every handler's statements are planned."""
    lived(store)
    app = store.app
    story = Riverside.set_up(app, TODAY)
    admin = app.open_account(story.actor, "Ada Admin", "ada@example.org")
    app.make_admin(story.actor, admin)
    app.revoke_admin(story.actor, admin)
    app.grant_role(story.actor, story.partnership, admin, "auditor")
    app.revoke_role(story.actor, story.partnership, admin, "auditor")
    app.appoint_chair(story.actor, story.partnership, story.people["daniel"])
    app.record_access_adjustment(story.actor, story.meeting, "time", "Held after school hours")
    app.revoke_private_link(story.actor, story.partnership, story.people["tom"])
    app.publish_transparency_page(story.actor, story.policy)
    app.withdraw_transparency_page(story.actor, story.policy, "Published too soon")
    erase_participant(store, story.actor, story.people["grace"])
    with store.engine.connect() as conn:
        recorded = set(conn.scalars(text("SELECT DISTINCT topic FROM cotrace_events")))
    handled = {topic for p in store.read_models.projections for topic in p.topics}
    assert handled - recorded == set()
