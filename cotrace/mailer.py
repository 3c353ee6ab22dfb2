"""Sends the follow-up messages the outbox holds: through the configured SMTP server, or with none
configured, as .eml files in the instance's outbox folder.

Each message is sent, then marked sent. A crash between the two leaves it queued, and the next run
sends it again with the same Message-ID, so the recipient's mail client can tell it is the same
message (at least once, never lost). Written as a file, a message sent again replaces its own file.

Settings (the web app's config, or the environment with the `COTRACE_` prefix): `SMTP_HOST`, `SMTP_PORT`
(25), `SMTP_USERNAME`, `SMTP_PASSWORD`, `SMTP_STARTTLS` (false), `MAIL_FROM`, `BASE_URL` (where
the unsubscribe link points), `OUTBOX_FOLDER` (instance/outbox).
"""

from __future__ import annotations

import fcntl
import logging
import os
import smtplib
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, func, select, update

from cotrace.private_links import unsubscribe_token
from domain.addresses import is_one_address
from domain.wording import one_line
from projections.followups import outbox

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 10
# Requests served on threads each send after their command: one at a time in a process, so two
# never read the same queued message and both send it; and one process at a time (`_one_sender`),
# as the web's workers and `cotrace worker` all send.
_sending = threading.Lock()
# How long a sender waits for another process to finish sending before leaving it to that one,
# which sends everything queued before it stops, this one's messages included.
SENDER_WAIT_SECONDS = 10
# The PostgreSQL advisory lock the senders take turns at (any number, the same in every process).
SENDER_LOCK = 0x636F7472616365  # "cotrace"
# Header lines up to RFC 5322's limit: folded at 78, the unsubscribe link (one long word) would be
# MIME-encoded, and a mail client would no longer find the URL in List-Unsubscribe.
MAIL_POLICY = policy.default.clone(max_line_length=998)


@dataclass(frozen=True)
class MailSettings:
    mail_from: str
    base_url: str
    outbox_folder: Path
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False

    @classmethod
    def of(cls, config: Mapping[str, Any], instance_path: str | Path) -> MailSettings:
        """From settings by name (`cotrace.settings.Settings.values`, or the web app's config)."""
        return cls(
            mail_from=config.get("MAIL_FROM") or "Cotrace <cotrace@localhost>",
            base_url=(config.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/"),
            outbox_folder=Path(config.get("OUTBOX_FOLDER") or Path(instance_path) / "outbox"),
            smtp_host=config.get("SMTP_HOST") or None,
            smtp_port=int(config.get("SMTP_PORT") or 25),
            smtp_username=config.get("SMTP_USERNAME") or None,
            smtp_password=config.get("SMTP_PASSWORD") or None,
            smtp_starttls=_true(config.get("SMTP_STARTTLS")),
        )


@dataclass(frozen=True)
class Sent:
    message_id: str
    to_address: str
    subject: str
    where: str  # "smtp" or the path of the .eml file


@dataclass(frozen=True)
class Failed:
    """A message that cannot be sent as it stands, marked `failed`. The reason names no address."""

    message_id: str
    reason: str


class Unsendable(Exception):
    """What is queued cannot make a message (recorded before the checks that now refuse it)."""


def send_followups(
    engine: Engine,
    settings: MailSettings,
    unsubscribe_url: Callable[[UUID], str],
    failed: list[Failed] | None = None,
) -> list[Sent]:
    """Sends every queued message, oldest first, marking each sent as soon as it has gone. One that
    cannot be made or taken is marked failed (and added to `failed`); the rest are still sent."""
    with _sending, _one_sender(engine) as turn:
        if not turn:
            log.info("Another process is sending the follow-up messages; it sends these too")
            return []
        return _send_queued(engine, settings, unsubscribe_url, [] if failed is None else failed)


@contextmanager
def _one_sender(engine: Engine) -> Iterator[bool]:
    """Whether this process has the turn to send, which it holds until it has sent: two processes
    reading the same queued message would both send it. The turn is a PostgreSQL advisory lock,
    or on SQLite a lock on a file beside the database; released by the system if the process dies."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            taken = _poll(lambda: conn.execute(select(func.pg_try_advisory_lock(SENDER_LOCK))).scalar())
            conn.commit()  # a session's lock outlives the transaction: none is left open meanwhile
            try:
                yield bool(taken)
            finally:
                if taken:
                    conn.execute(select(func.pg_advisory_unlock(SENDER_LOCK)))
                    conn.commit()
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or "mode=memory" in str(engine.url):
        yield True  # one process alone can open the store
        return
    descriptor = os.open(f"{database}.sending", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        taken = _poll(lambda: _try_flock(descriptor))
        try:
            yield taken
        finally:
            if taken:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def _try_flock(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _poll(take: Callable[[], Any]) -> bool:
    deadline = time.monotonic() + SENDER_WAIT_SECONDS
    while not take():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _send_queued(
    engine: Engine, settings: MailSettings, unsubscribe_url: Callable[[UUID], str], failed: list[Failed]
) -> list[Sent]:
    """Sends until nothing new is queued, so that what was queued while it sent goes too (another
    process that waited for its turn and gave up left its messages to this one)."""
    sent: list[Sent] = []
    tried: set[str] = set()
    while True:
        queued = [message_id for message_id in _queued_ids(engine) if message_id not in tried]
        if not queued:
            return sent
        tried.update(queued)
        sent.extend(_send_these(engine, settings, unsubscribe_url, failed, queued))


def _send_these(
    engine: Engine,
    settings: MailSettings,
    unsubscribe_url: Callable[[UUID], str],
    failed: list[Failed],
    queued: list[str],
) -> list[Sent]:
    sent = []
    with _transport(settings) as deliver:
        for message_id in queued:
            row = _still_queued(engine, message_id)  # consent may have been taken back meanwhile
            if row is None:
                continue
            try:
                message = _message(row, settings, unsubscribe_url(row.participant_id))
                where = deliver(message, message_id)
            except Unsendable as unsendable:
                # Left queued, it would stop every later message at the head of the queue, for ever.
                _fail(engine, failed, message_id, str(unsendable))
                continue
            except smtplib.SMTPNotSupportedError:
                # An international address and a server without SMTPUTF8: sending again fails again.
                _fail(engine, failed, message_id, "the mail server cannot take an international address")
                continue
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as refused:
                # Refused for good (no such mailbox): sending again would refuse again, and a
                # message left queued at the head of the queue would hold back everyone's.
                log.warning("Follow-up %s refused by the mail server: %s", message_id, refused)
                _mark(engine, message_id, "refused")
                continue
            _mark_sent(engine, message_id)
            sent.append(Sent(message_id, row.to_address, row.subject, where))
    return sent


def _fail(engine: Engine, failed: list[Failed], message_id: str, reason: str) -> None:
    # The message id, never the address: a log is no place for personal data.
    log.warning("Follow-up %s failed: %s", message_id, reason)
    _mark(engine, message_id, "failed")
    failed.append(Failed(message_id, reason))


def _queued_ids(engine: Engine) -> list[str]:
    query = select(outbox.c.message_id).where(outbox.c.status == "queued")
    with engine.connect() as conn:
        return list(conn.scalars(query.order_by(outbox.c.position, outbox.c.message_id)))


def _still_queued(engine: Engine, message_id: str) -> Any:
    query = select(outbox).where(outbox.c.message_id == message_id).where(outbox.c.status == "queued")
    with engine.connect() as conn:
        return conn.execute(query).first()


def _mark_sent(engine: Engine, message_id: str) -> None:
    _mark(engine, message_id, "sent")


def _mark(engine: Engine, message_id: str, status: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(outbox)
            .where(outbox.c.message_id == message_id)
            .where(outbox.c.status == "queued")
            .values(status=status, sent_at=datetime.now(UTC), to_address=None, body=None)
        )


def send_outbox(
    engine: Engine, settings: MailSettings, secret_key: str, failed: list[Failed] | None = None
) -> list[Sent]:
    """Sends with an installation's settings; its secret key signs the unsubscribe links."""

    def unsubscribe_url(participant_id: UUID) -> str:
        return f"{settings.base_url}/unsubscribe/{unsubscribe_token(secret_key, participant_id)}"

    return send_followups(engine, settings, unsubscribe_url, failed)


def send_quietly(send: Callable[[], Any]) -> None:
    """After a command: whatever goes wrong in sending (a mail server down, a busy database), the
    command is saved and must not be shown as failed; what is not sent stays queued for the next
    command or `cotrace send-followups`."""
    try:
        send()
    except Exception:
        log.exception("Follow-up messages stay queued: sending failed")


class Postman:
    """Sends the follow-ups a command queued on a thread of its own, so a slow mail server never
    holds up the page of the person who recorded it.

    A thread is started when there is something to send and ends when there is nothing left, so an
    idle process keeps none. Asked again while sending, it goes round once more. `send` sends what
    is queued; whatever it raises is logged and the messages stay queued (`send_quietly`).
    """

    def __init__(self, send: Callable[[], Any]) -> None:
        self._send = send
        self._lock = threading.Lock()
        self._due = False
        self._thread: threading.Thread | None = None

    def nudge(self) -> None:
        with self._lock:
            self._due = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._deliver, name="cotrace-followups", daemon=True)
                self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Until what was due has gone (or failed and stays queued); the tests wait on it."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _deliver(self) -> None:
        while True:
            with self._lock:
                if not self._due:
                    self._thread = None
                    return
                self._due = False
            send_quietly(self._send)


def _message(row: Any, settings: MailSettings, unsubscribe_url: str) -> EmailMessage:
    """Raises Unsendable for what was recorded before addresses and titles were checked as now:
    an address that is not exactly one (a comma adds a recipient, a line break a header), or a
    subject with a line break."""
    if not row.to_address or not is_one_address(row.to_address):
        raise Unsendable("the address is not one well-formed email address")
    if not one_line(row.subject):
        raise Unsendable("the subject (the policy's title) has a line break")
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = settings.mail_from  # the installation's setting: wrong for every message alike
    try:
        message["To"] = row.to_address
        message["Subject"] = row.subject
    except ValueError:  # email.message refuses a header it cannot write safely
        raise Unsendable("the address or the subject cannot be written in a mail header") from None
    message["Date"] = format_datetime(_aware(row.queued_at))
    message["Message-ID"] = row.message_id
    # RFC 8058: a mail client may offer "unsubscribe" and POST to the link without a page.
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        f"{row.body}\n\n"
        "--\n"
        "You are told this because you asked to hear by email what became of your input.\n"
        f"To stop these emails: {unsubscribe_url}\n",
        cte="quoted-printable",  # 7-bit safe for any mail server, still readable as a file
    )
    return message


Deliver = Callable[[EmailMessage, str], str]


@contextmanager
def _transport(settings: MailSettings) -> Iterator[Deliver]:
    if not settings.smtp_host:
        yield lambda message, message_id: _write_eml(settings.outbox_folder, message, message_id)
        return
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")

        def deliver(message: EmailMessage, message_id: str) -> str:
            smtp.send_message(message)
            return "smtp"

        yield deliver


def _write_eml(folder: Path, message: EmailMessage, message_id: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{message_id.strip('<>')}.eml"
    # Written whole or not at all: a crash never leaves half a message for a reader to pick up.
    with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".part", delete=False) as part:
        part.write(message.as_bytes())
    os.replace(part.name, path)
    return str(path)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite gives naive UTC back


def _true(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true", "yes", "on")


def send_one(settings: MailSettings, to_address: str, subject: str, body: str) -> str:
    """Sends one message now (a sign-in or password-reset link): not queued, as a link that arrives
    late has expired. Raises Unsendable for an address that is not exactly one; SMTP errors are the
    caller's to show ("we could not send the email")."""
    if not is_one_address(to_address) or not one_line(subject):
        raise Unsendable("the address is not one well-formed email address")
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = settings.mail_from
    message["To"] = to_address
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message_id = make_msgid(domain="cotrace")
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body, cte="quoted-printable")
    with _transport(settings) as deliver:
        return deliver(message, message_id)
