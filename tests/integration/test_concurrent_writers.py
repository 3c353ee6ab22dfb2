"""Two writers on the same meeting, each with services of its own on one database (a SQLite file, a
PostgreSQL database): when both save the meeting at once, the store takes one (the other's save of
the same aggregate version fails with the library's IntegrityError); `Services.run` rolls the loser
back and runs its command again on the meeting as it now stands, having first taken the log's write
lock, so it cannot lose twice: both changes are kept and none is lost."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from cotrace.services import open_services
from tests.conftest import TODAY
from tests.integration.test_projections import snapshot
from tests.story import Riverside


@pytest.fixture
def other(database_url, services):
    """A second writer: another process's services on the same database."""
    opened = open_services(database_url, today=lambda: TODAY)
    yield opened
    opened.close()


def agenda(services, meeting) -> list[str]:
    services.forget_cached_state()
    return [item["title"] for item in services.app.repository.get(meeting).agenda]


def add_item(meeting, title):
    return lambda app, actor: app.add_agenda_item(actor, meeting, title)


def elsewhere(writer, command, actor) -> None:
    """Runs a command on another thread, as another process would: the library keeps the open
    transaction per thread (a context variable), so on this thread it would join ours."""
    thread = threading.Thread(target=writer.run, args=(command, actor))
    thread.start()
    thread.join(30)


def test_the_writer_that_loses_the_race_runs_again_and_both_items_are_kept(services, other):
    story = Riverside.set_up(services.app, TODAY)
    services.run(add_item(story.meeting, "Welcome"), story.actor)  # this writer has the meeting cached
    attempts = []

    def add_while_the_other_writer_adds(app, actor):
        attempts.append(len(attempts) + 1)
        if len(attempts) == 1:  # after this one read the meeting, the other saves it first
            app.repository.get(story.meeting)
            elsewhere(other, add_item(story.meeting, "Their item"), story.actor)
        app.add_agenda_item(actor, story.meeting, "My item")

    services.run(add_while_the_other_writer_adds, story.actor)

    assert attempts == [1, 2]  # lost once on the meeting's version, won the second time
    assert agenda(services, story.meeting) == ["Welcome", "Their item", "My item"]
    assert agenda(other, story.meeting) == ["Welcome", "Their item", "My item"]


def test_after_losing_once_a_writer_goes_first_and_the_other_waits_for_it(services, other):
    story = Riverside.set_up(services.app, TODAY)
    services.run(add_item(story.meeting, "Welcome"), story.actor)
    attempts = []
    waiting = []

    def beaten_then_first(app, actor):
        attempts.append(1)
        app.repository.get(story.meeting)
        if len(attempts) == 1:
            elsewhere(other, add_item(story.meeting, "Theirs 1"), story.actor)
        else:  # the other writer tries again now, and must wait until this one has saved
            waiting.append(
                threading.Thread(target=other.run, args=(add_item(story.meeting, "Theirs 2"), actor))
            )
            waiting[0].start()
            waiting[0].join(0.5)
            assert waiting[0].is_alive()
        app.add_agenda_item(actor, story.meeting, "Mine")

    services.run(beaten_then_first, story.actor)
    waiting[0].join(30)

    assert len(attempts) == 2
    assert agenda(services, story.meeting) == ["Welcome", "Theirs 1", "Mine", "Theirs 2"]
    assert services.read_models.pending() == 0


def test_two_writers_adding_to_one_meeting_at_once_lose_no_item(services, other):
    story = Riverside.set_up(services.app, TODAY)
    services.read_models.catch_up()
    start = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def write(writer, name: str) -> None:
        try:
            start.wait()
            for n in range(15):
                writer.run(add_item(story.meeting, f"{name} {n}"), story.actor)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=write, args=(w, n)) for w, n in ((services, "A"), (other, "B"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    items = agenda(services, story.meeting)
    assert sorted(items) == sorted([f"A {n}" for n in range(15)] + [f"B {n}" for n in range(15)])
    # Each writer's own items in the order it added them.
    for name in "AB":
        assert [i for i in items if i.startswith(name)] == [f"{name} {n}" for n in range(15)]
    assert services.read_models.pending() == 0


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_four_writers_and_a_tailing_reader_that_never_skips_an_event(database_url, services):
    """Notification ids are taken as each transaction inserts; were they committed out of order, a
    reader that had moved past a later id would never see the earlier one. The recorder's table
    lock on insert keeps commit order and id order the same: the reader sees every id there is."""
    story = Riverside.set_up(services.app, TODAY)
    services.read_models.catch_up()
    writers = [open_services(database_url, today=lambda: TODAY) for _ in range(4)]
    stop = threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []

    def write(writer, name: str) -> None:
        try:
            n = 0
            while not stop.is_set():
                writer.run(add_item(story.meeting, f"{name} {n}"), story.actor)
                n += 1
        except BaseException as error:
            errors.append(error)

    def tail() -> None:  # as the read models' runner reads: the notifications after the last seen
        # From the head read before any writer started: read here, in this thread, a writer could be
        # ahead already, and what it wrote first would look skipped.
        position = start
        while not stop.is_set():
            found = services.app.recorder.select_notifications(position, 100, inclusive_of_start=False)
            seen.extend(n.id for n in found)
            position = found[-1].id if found else position

    threads = [threading.Thread(target=write, args=(w, str(i))) for i, w in enumerate(writers)]
    threads.append(threading.Thread(target=tail))
    start = services.app.recorder.max_notification_id()
    try:
        for thread in threads:
            thread.start()
        threading.Event().wait(6)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
        for writer in writers:
            writer.close()
    assert not errors, errors
    with services.engine.connect() as conn:
        table = services.app.recorder.events_record_cls.__table__
        stored = list(conn.scalars(select(table.c.id).where(table.c.id > start).order_by(table.c.id)))
    assert len(seen) > 20
    assert seen == [i for i in stored if i <= seen[-1]]  # nothing skipped, nothing twice
    services.read_models.catch_up()
    kept = snapshot(services)
    services.read_models.rebuild()
    assert snapshot(services) == kept
