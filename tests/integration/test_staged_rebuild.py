"""A rebuild on SQLite written into a file of its own, then copied into the store
(`projections.staging`, issue 14): the rows copied are those the live catch-up wrote, the indexes
are there again, what was recorded meanwhile is applied after the copy, the file is readable by its
user alone and gone at the end however the rebuild ends, and the follow-up outbox, kept through
a rebuild, stays in the store."""

from __future__ import annotations

import stat

import pytest
from sqlalchemy import text

from cotrace import rebuilding
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
