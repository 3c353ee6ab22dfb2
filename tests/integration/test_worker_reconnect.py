"""`cotrace worker` on PostgreSQL outlives the server closing its connections (a restart, a failover,
an operator's `pg_terminate_backend`): it connects again, with a back-off, and catches up on what was
recorded while it was away. Every wait bounded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_DSN
from tests.followup_story import Followup, Mailbox, followup_app, smtp_server
from tests.integration.test_worker import AMIRA, queue_a_response_to_amira, start_worker
from tests.processes import wait_until

pytestmark = pytest.mark.postgres


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as mailbox:
        yield mailbox


@pytest.fixture
def riverside(postgresql_url: str, tmp_path: Path, mailbox: Mailbox) -> Iterator[Followup]:
    app = followup_app(postgresql_url, tmp_path / "instance", mailbox)
    yield Followup.set_up(app)
    app.extensions["cotrace"].close()


def terminate_backends(database_url: str) -> int:
    """Closes every connection to the test's database, from a superuser's connection of its own."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_DSN, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchall()
    return len(rows)


def test_the_worker_reconnects_after_its_connections_are_killed_and_catches_up(
    postgresql_url, riverside, mailbox, tmp_path
):
    database_url = postgresql_url
    worker = start_worker(database_url, riverside, mailbox, tmp_path / "worker.log")
    try:
        worker.wait_for_output("Worker started: a round when the log moves (LISTEN/NOTIFY)")
        worker.wait_for_output("Checkpoints are not signed")
        riverside.services.engine.dispose()  # this process's own connections go too: start afresh
        assert terminate_backends(database_url) >= 1  # the worker's LISTEN connection at least

        # Recorded while the worker may still be reconnecting: it must not be missed.
        queue_a_response_to_amira(riverside)

        wait_until(lambda: mailbox.to(AMIRA), 30, "the worker to send the follow-up", worker)
        worker.wait_for_output("Listening again", timeout=10)  # said, with no Traceback

        # Killed a second time, after it reconnected: it does so again.
        terminate_backends(database_url)
        riverside.services.engine.dispose()
        said = riverside.contribute("amira", "A second thought")
        riverside.respond(said, "adopted")
        wait_until(lambda: len(mailbox.to(AMIRA)) == 2, 30, "the second follow-up", worker)
        assert worker.stop(timeout=20) == 0
    finally:
        worker.kill()
    assert "Traceback" not in worker.output()
