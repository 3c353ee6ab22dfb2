"""`cotrace worker`: what must not wait on a request, done in rounds by a process of its own.

A round catches the read models up with the log (what another process recorded: an import, a
command-line erasure), sends the follow-up messages waiting in the outbox, keeps today's verdicts
ready for the pages of every policy an event changed (cotrace/published_verdicts.py), signs a checkpoint
of the log when it has grown and the last one is `CHECKPOINT_EVERY` seconds old (there is no
signing key: it says so once, and goes on with the rest), and on SQLite writes the write-ahead log
back into the database file, which a request's commit would otherwise do (cotrace/connections.py).
Something that fails in a round (the mail server is down, the database is restarting) is logged
and tried again in the next one.

Between rounds it waits for the log to move. On PostgreSQL the library NOTIFYs the events table's
channel with every write, and the worker LISTENs on it, so a round starts as soon as a command
commits; on SQLite it looks at the log's last notification id every `SQLITE_POLL_SECONDS`, one
indexed read. Either way a round runs at least every `interval` seconds, so mail that could not go
is tried again and checkpoints fall due with nothing new recorded.

The log says what was done in plain words, counts and ids, never a name or an address.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cotrace import checkpoints, published_verdicts, sealing
from cotrace.connections import checkpoint_wal
from cotrace.mailer import Failed, MailSettings, send_outbox
from cotrace.services import Services
from cotrace.settings import Settings

log = logging.getLogger("cotrace.worker")

DEFAULT_CHECKPOINT_EVERY = 300  # seconds: an auditor's checkpoint is at most five minutes behind
DEFAULT_INTERVAL = 60  # seconds between rounds when nothing is recorded
SQLITE_POLL_SECONDS = 2  # a glance at the log's head: cheap enough to do often, rare enough to be gentle
WAIT_SLICE_SECONDS = 0.5  # how soon a stop is noticed while waiting
# Seconds before each try to listen again once the connection is lost: soon after a blip, then more
# gently while the server stays away (a round runs between tries, and logs what failed).
RECONNECT_DELAYS = (0.5, 1, 2, 5, 10, 30)


@dataclass
class Round:
    """What one round did."""

    applied: int = 0
    sent: int = 0
    failed: list[Failed] = field(default_factory=list)
    checkpoint_size: int | None = None  # a checkpoint signed in this round, of this many events
    warmed: int = 0  # policies whose verdicts for today were computed and kept for their pages
    wal_pages: int = 0  # pages of SQLite's write-ahead log written back into the database file
    problems: list[str] = field(default_factory=list)  # what went wrong, to be tried again

    @property
    def ok(self) -> bool:
        return not self.problems


class Worker:
    def __init__(self, services: Services, settings: Settings, interval: float = DEFAULT_INTERVAL) -> None:
        self.services = services
        self.settings = settings
        self.interval = interval
        self.checkpoint_every = float(settings.get("CHECKPOINT_EVERY") or DEFAULT_CHECKPOINT_EVERY)
        self.mail = MailSettings.of(settings.values, settings.instance_path)
        self._said: set[str] = set()  # what was logged once and need not be said every round

    # One round.

    def round(self) -> Round:
        done = Round()
        self._step(done, "catching up the read models", self._catch_up)
        self._step(done, "sending follow-up messages", self._send)
        self._step(done, "keeping today's verdicts ready", self._warm)
        self._step(done, "signing a checkpoint", self._checkpoint)
        self._step(done, "writing SQLite's write-ahead log into the database file", self._write_back)
        return done

    def _step(self, done: Round, what: str, step: Any) -> None:
        try:
            step(done)
        except Exception as error:  # the round goes on; the next one tries again
            # The exception's class and first line: a database's or mail server's message, which
            # names no one (sending logs by Message-ID; the SQL of a failed statement has no values).
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            problem = f"{what} failed: {type(error).__name__}{': ' + first if first else ''}"
            log.error("%s; tried again next round", problem)
            done.problems.append(problem)

    def _catch_up(self, done: Round) -> None:
        done.applied = self.services.read_models.catch_up()
        if done.applied:
            log.info("Applied %d events to the read models", done.applied)

    def _warm(self, done: Round) -> None:
        """Today's verdicts of every policy an event changed (or of all, when the day turns), so the
        first page to show them after a change reads them as every later one does
        (cotrace/published_verdicts.py)."""
        done.warmed = published_verdicts.warm(self.services.engine, self.services.app.today())
        if done.warmed:
            log.info("Kept today's verdicts of %d policies", done.warmed)

    def _send(self, done: Round) -> None:
        sent = send_outbox(self.services.engine, self.mail, self.settings.secret_key, done.failed)
        done.sent = len(sent)
        if sent:
            log.info("Sent %d follow-up message%s", len(sent), "" if len(sent) == 1 else "s")
        for message in done.failed:  # by Message-ID and reason, which name no address
            log.warning("Follow-up %s failed and will not be sent: %s", message.message_id, message.reason)

    def _checkpoint(self, done: Round) -> None:
        try:
            checkpoints.signer(self.settings)  # said in the first round, whether one is due or not
            if not self._checkpoint_due():
                return
            signed = checkpoints.sign_checkpoint(self.services, self.settings)
        except checkpoints.NoSigningKey as missing:
            self._say_once(f"Checkpoints are not signed: {missing}")
            return
        except checkpoints.Inconsistent as refused:
            self._say_once(str(refused), logging.ERROR)
            done.problems.append(str(refused))
            return
        if signed.new:
            done.checkpoint_size = signed.size
            log.info("Signed a checkpoint of %d events", signed.size)

    def _write_back(self, done: Round) -> None:
        """SQLite's WAL checkpoint, here rather than in a request's commit (cotrace/connections.py)."""
        done.wal_pages = checkpoint_wal(self.services.engine)

    def _checkpoint_due(self) -> bool:
        """The log has grown past the latest checkpoint, and that one is old enough (or there is none)."""
        with self.services.engine.connect() as conn:
            size, _ = sealing.last_sealed(conn)
            latest = checkpoints.latest(conn)
        if latest is None:
            return size > 0
        age = (datetime.now(UTC) - latest.signed_at).total_seconds()
        return size > latest.size and age >= self.checkpoint_every

    def _say_once(self, message: str, level: int = logging.WARNING) -> None:
        if message not in self._said:
            self._said.add(message)
            log.log(level, "%s", message)

    # Rounds, until stopped.

    def run(self, stop: threading.Event) -> None:
        """Rounds until `stop` is set; a round under way is finished first."""
        with self._waiter() as wait:
            log.info(
                "Worker started: a round when the log moves (%s), and at least every %g s",
                "LISTEN/NOTIFY" if self._on_postgresql() else f"looked at every {SQLITE_POLL_SECONDS} s",
                self.interval,
            )
            while not stop.is_set():
                self.round()
                wait(stop)
        log.info("Worker stopped")

    def _on_postgresql(self) -> bool:
        return self.services.engine.dialect.name == "postgresql"

    @contextmanager
    def _waiter(self) -> Iterator[Any]:
        if self._on_postgresql():
            with self._notifications() as wait:
                yield wait
        else:
            yield self._poll

    def _poll(self, stop: threading.Event) -> None:
        """Until the log's head moves, `interval` passes, or `stop`."""
        seen = self.services.read_models.head()
        deadline = time.monotonic() + self.interval
        while not stop.is_set() and time.monotonic() < deadline:
            stop.wait(min(SQLITE_POLL_SECONDS, max(0.0, deadline - time.monotonic())))
            if not stop.is_set() and self.services.read_models.head() != seen:
                return

    @contextmanager
    def _notifications(self) -> Iterator[Any]:
        """A connection of its own that LISTENs on the log's channel (not one of the pool's: it stays
        listening for the worker's life). Notifications that came during a round are waiting on it,
        so none is missed between rounds.

        When the server closes it (a restart, a failover, `pg_terminate_backend`) the wait ends,
        the worker connects again, waiting longer after each failure (`RECONNECT_DELAYS`), and once
        listening again it runs a round: what was recorded while it was away is caught up."""
        listener = _Listener(
            self.services.engine.url.set(drivername="postgresql").render_as_string(hide_password=False),
            self.services.app.recorder.channel_name,  # type: ignore[attr-defined]
            self.interval,
        )
        try:
            yield listener.wait
        finally:
            listener.close()


class _Listener:
    """The worker's LISTEN connection, opened again whenever the server closes it."""

    def __init__(self, conninfo: str, channel: str, interval: float) -> None:
        self.conninfo = conninfo
        self.channel = channel
        self.interval = interval
        self.conn: Any = None
        self.failures = 0
        self._connect()

    def _connect(self) -> None:
        import psycopg

        conn = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=10)
        try:
            conn.execute(f'LISTEN "{self.channel}"')
        except BaseException:
            conn.close()
            raise
        self.conn = conn

    def wait(self, stop: threading.Event) -> None:
        """Until a notification, `interval`, or `stop`; or the connection is lost and made again."""
        import psycopg

        if self.conn is None:
            self._reconnect(stop)
            return
        deadline = time.monotonic() + self.interval
        try:
            while not stop.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                # In slices, so that a stop is noticed soon; the first notification ends the wait,
                # and those that came with it are drained, as one round answers them all.
                if any(True for _ in self.conn.notifies(timeout=min(WAIT_SLICE_SECONDS, left), stop_after=1)):
                    for _ in self.conn.notifies(timeout=0):
                        pass
                    return
        except psycopg.Error as lost:
            log.warning(
                "Lost the connection that listens for new events (%s); connecting again", _first_line(lost)
            )
            self.close()
            self._reconnect(stop)

    def _reconnect(self, stop: threading.Event) -> None:
        """Connects again after a pause that grows with each failure; returns, connected or not, so
        a round runs (and tries the database) in between."""
        import psycopg

        delay = RECONNECT_DELAYS[min(self.failures, len(RECONNECT_DELAYS) - 1)]
        if stop.wait(delay):
            return
        try:
            self._connect()
        except psycopg.Error as refused:
            self.failures += 1
            log.warning(
                "Could not listen for new events yet (%s); trying again in %g s",
                _first_line(refused),
                RECONNECT_DELAYS[min(self.failures, len(RECONNECT_DELAYS) - 1)],
            )
            return
        self.failures = 0
        log.info("Listening again for new events; catching up what was recorded meanwhile")

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
