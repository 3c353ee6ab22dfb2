"""`cotrace worker`: a round sends the follow-ups waiting, to a real SMTP server, and signs a
checkpoint when there is a key; running, it acts as soon as another process records (LISTEN/NOTIFY
on PostgreSQL, a glance at the log every 2 s on SQLite), and SIGTERM stops it with exit 0. Two
processes sending at once send each message once. SQLite and PostgreSQL; every wait bounded."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cotrace import checkpoints
from cotrace.connections import WAL_AUTOCHECKPOINT_PAGES
from cotrace.worker import Worker
from tests.command_line import command_line
from tests.conftest import POSTGRES_DSN
from tests.followup_story import Followup, Mailbox, followup_app, smtp_server
from tests.processes import Running, cotrace_env, running, wait_until

AMIRA = "amira@example.org"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as mailbox:
        yield mailbox


@pytest.fixture
def riverside(database_url: str, tmp_path: Path, mailbox: Mailbox) -> Iterator[Followup]:
    app = followup_app(database_url, tmp_path / "instance", mailbox)
    yield Followup.set_up(app)
    app.extensions["cotrace"].close()


def queue_a_response_to_amira(riverside: Followup, text: str = "Publish the policy in plain English") -> None:
    """A response to Amira's input, which she asked to hear of by email: one message queued. Run
    through the services alone, so the web's own sending after a command does not send it."""
    riverside.agree_to_email("amira", AMIRA)
    said = riverside.contribute("amira", text)
    riverside.respond(said, "adopted")


def test_one_round_sends_what_is_queued_and_signs_a_checkpoint(riverside, mailbox):
    queue_a_response_to_amira(riverside)
    settings = riverside.services.settings
    checkpoints.keygen(settings)
    cotrace = command_line(riverside.flask_app)

    done = cotrace.invoke(["worker", "--once"])

    assert done.exit_code == 0, done.output
    assert [m["To"] for m in mailbox.messages] == [AMIRA]
    size = riverside.services.app.recorder.max_notification_id()
    assert f"sent 1 follow-up message, signed a checkpoint of {size} events." in done.output
    with riverside.services.engine.connect() as conn:
        assert checkpoints.latest(conn).size == size

    # Nothing new: nothing sent again, and the checkpoint that signs this log is not signed again.
    again = cotrace.invoke(["worker", "--once"])
    assert again.exit_code == 0 and "sent 0 follow-up messages." in again.output
    assert len(mailbox.messages) == 1


def test_a_round_keeps_todays_verdicts_of_the_policies_an_event_changed(riverside, mailbox):
    services = riverside.services
    worker = Worker(services, services.settings)
    assert worker.round().warmed >= 1  # every policy, the first time
    assert worker.round().warmed == 0
    riverside.contribute("amira", "Ask families first")
    assert worker.round().warmed == 1


def test_a_round_writes_sqlites_write_ahead_log_into_the_database_file(riverside, mailbox, database_url):
    """A request's commit leaves the log as it grows (up to WAL_AUTOCHECKPOINT_PAGES); the worker
    writes it back, so a command's p95 does not pay for it. PostgreSQL has no such log."""
    services = riverside.services
    worker = Worker(services, services.settings)
    worker.round()
    riverside.contribute("amira", "Ask families first")

    done = worker.round()

    if database_url.startswith("sqlite"):
        with services.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == WAL_AUTOCHECKPOINT_PAGES
        assert done.wal_pages > 0  # the contribution's pages, written back
        with services.engine.connect() as conn:
            busy, held, written = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").first()
        assert (busy, held) == (0, written)  # nothing left that a reader or writer kept from it
    else:
        assert done.wal_pages == 0


def test_without_a_signing_key_a_round_says_so_and_does_the_rest(riverside, mailbox, caplog):
    queue_a_response_to_amira(riverside)
    with caplog.at_level(logging.INFO, logger="cotrace.worker"):
        done = command_line(riverside.flask_app).invoke(["worker", "--once"])
    assert done.exit_code == 0, done.output
    assert len(mailbox.messages) == 1
    assert "Checkpoints are not signed: There is no signing key at" in caplog.text
    assert "run `cotrace keygen`" in caplog.text
    assert AMIRA not in caplog.text and "Amira" not in caplog.text  # no personal data in the log


def test_a_round_whose_mail_server_is_down_fails_and_leaves_the_mail_queued(database_url, tmp_path, caplog):
    with smtp_server() as gone:
        app = followup_app(database_url, tmp_path / "instance", gone)
    try:  # the server has stopped: its port refuses connections
        riverside = Followup.set_up(app)
        queue_a_response_to_amira(riverside)
        with caplog.at_level(logging.INFO, logger="cotrace.worker"):
            done = command_line(app).invoke(["worker", "--once"])
        assert done.exit_code == 1
        assert "sending follow-up messages failed: ConnectionRefusedError" in caplog.text
        assert AMIRA not in caplog.text
        assert riverside.services.read_models.pending() == 0  # the rest of the round was done
    finally:
        app.extensions["cotrace"].close()


def mail_env(database_url: str, riverside: Followup, mailbox: Mailbox, **more: Any) -> dict[str, str]:
    """The environment of a `cotrace` process on the story's store, sending to the test's mail server."""
    return cotrace_env(
        Path(riverside.flask_app.instance_path),
        DATABASE_URL=database_url,
        SECRET_KEY="tests",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=mailbox.port,
        **more,
    )


def start_worker(database_url: str, riverside: Followup, mailbox: Mailbox, log: Path) -> Running:
    env = mail_env(
        database_url, riverside, mailbox, MAIL_FROM="Riverside partnership <cotrace@riverside.example>"
    )
    # An interval far beyond the test's waits: whatever it does within them, the log's moving woke it for.
    return Running(["worker", "--interval", "600"], env, log)


def test_the_running_worker_acts_when_another_process_records_and_stops_on_sigterm(
    database_url, riverside, mailbox, tmp_path
):
    worker = start_worker(database_url, riverside, mailbox, tmp_path / "worker.log")
    try:
        how = "LISTEN/NOTIFY" if database_url.startswith("postgresql") else "looked at every 2 s"
        worker.wait_for_output(f"Worker started: a round when the log moves ({how})")
        worker.wait_for_output("Checkpoints are not signed")  # said once, at the end of the first round

        queue_a_response_to_amira(riverside)  # recorded by this process, not the worker's

        wait_until(lambda: mailbox.to(AMIRA), 15, "the worker to send the follow-up", worker)
        worker.wait_for_output("Sent 1 follow-up message", timeout=10)
        assert worker.stop(timeout=20) == 0
    finally:
        worker.kill()
    output = worker.output()
    assert "Worker stopped" in output
    assert "Traceback" not in output
    assert AMIRA not in output and "Amira" not in output


def test_two_processes_sending_at_once_send_each_message_once(database_url, riverside, mailbox, tmp_path):
    riverside.agree_to_email("amira", AMIRA)
    for n in range(3):
        riverside.respond(riverside.contribute("amira", f"Idea {n}"), "adopted")
    mailbox.held = threading.Event()  # a slow mail server: the first sender is still sending...
    threading.Timer(4, mailbox.held.set).start()
    env = mail_env(database_url, riverside, mailbox)
    senders = [Running(["send-followups"], env, tmp_path / f"send-{n}.log") for n in range(2)]
    try:
        codes = [sender.process.wait(60) for sender in senders]  # ...when the second one starts
    finally:
        for sender in senders:
            sender.kill()
    assert codes == [0, 0], [s.output() for s in senders]
    ids = [m["Message-ID"] for m in mailbox.messages]
    assert len(ids) == 3 and len(set(ids)) == 3, ids


def test_the_worker_stops_on_sigterm_while_it_waits(tmp_path):
    with running(
        ["worker", "--interval", "600"], cotrace_env(tmp_path / "instance"), tmp_path / "w.log"
    ) as worker:
        worker.wait_for_output("Worker started")
        worker.wait_for_output("Checkpoints are not signed")
        assert worker.stop(timeout=10) == 0
    assert "Worker stopped" in worker.output()


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


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_worker_reconnects_after_its_connections_are_killed_and_catches_up(
    database_url, riverside, mailbox, tmp_path
):
    """On PostgreSQL it outlives the server closing its connections (a restart, a failover,
    `pg_terminate_backend`): it connects again, with a back-off, and catches up on what was
    recorded while it was away."""
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
