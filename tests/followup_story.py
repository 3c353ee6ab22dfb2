"""Follow-up as tests meet it: a real SMTP server that keeps what it receives, and the Riverside story
told through the served application, so every command's events reach the projections at once."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any
from uuid import UUID

from aiosmtpd.controller import Controller
from flask import Flask

from cotrace.services import Services
from tests.conftest import TODAY
from tests.story import Riverside
from web import commands, create_app
from web.mailer import Failed, Sent, send_from_app
from web.private_links import FEED, PAGE, current_token, unsubscribe_token


class Mailbox:
    """An aiosmtpd handler: every message the server accepts, parsed, in the order it came."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.port = 0
        self.unknown: set[str] = set()  # addresses refused at RCPT, as for a mailbox that does not exist
        # When set, a message is accepted only once `held` is set (or after 5 s): a slow mail server.
        self.held: threading.Event | None = None

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.unknown:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.held is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.held.wait, 5)
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


@contextmanager
def smtp_server(**options: Any) -> Iterator[Mailbox]:
    """A real SMTP server on a free local port; `options` go to aiosmtpd's SMTP (authentication)."""
    mailbox = Mailbox()
    with socket.socket() as probe:  # a free port: asked of the system, then handed to the server
        probe.bind(("127.0.0.1", 0))
        mailbox.port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port, **options)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


def followup_app(database_url: str, instance: Path, mailbox: Mailbox | None) -> Flask:
    config: dict[str, Any] = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "TODAY": lambda: TODAY,
        "SECRET_KEY": "tests",
        "MAIL_FROM": "Riverside partnership <cotrace@riverside.example>",
        "BASE_URL": "https://cotrace.riverside.example",
    }
    if mailbox is not None:
        config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port)
    return create_app(config, instance_path=str(instance))


@dataclass
class Followup:
    """Riverside, with the commands follow-up hears about, each run as one unit of work."""

    flask_app: Flask
    story: Riverside

    @classmethod
    def set_up(cls, flask_app: Flask) -> Followup:
        services: Services = flask_app.extensions["cotrace"]
        story = Riverside.set_up(services.app, TODAY)
        services.read_models.catch_up()
        return cls(flask_app, story)

    @property
    def services(self) -> Services:
        return self.flask_app.extensions["cotrace"]

    def person(self, name: str) -> UUID:
        return self.story.people[name]

    def run(self, command: Any) -> Any:
        return self.services.run(command, self.story.actor)

    def agree_to_email(self, name: str, address: str | None, consent: bool = True) -> None:
        self.run(lambda app, actor: app.set_contact_preferences(actor, self.person(name), address, consent))

    def contribute(self, name: str, text: str, pseudonym: str | None = None) -> UUID:
        return self.run(
            lambda app, actor: app.submit_contribution(
                actor,
                self.story.policy,
                self.person(name),
                kind="suggestion",
                text=text,
                channel="survey",
                happened_on=TODAY,
                pseudonym=pseudonym,
            )
        )

    def respond(self, contribution_id: UUID, response: str = "adopted", reason: str = "") -> None:
        self.run(
            lambda app, actor: app.respond_to_contribution(
                actor, contribution_id, response, reason, self.person("daniel"), TODAY
            )
        )

    def decide_citing(self, *contribution_ids: UUID, text: str = "Start from a blank page") -> UUID:
        return self.run(lambda app, actor: self.story.decide(cites=list(contribution_ids), text=text))

    def record_unchecked_address(self, name: str, address: str) -> None:
        """An address as events recorded before today's check hold it: through the aggregate, past
        the command that now refuses it."""

        def old_shaped(app: Any, actor: UUID) -> None:
            participant = app.repository.get(self.person(name))
            participant.set_contact_preferences(email=address, email_consent=True, recorded_by=actor)
            app.save(participant)

        self.run(old_shaped)

    def send(self, failed: list[Failed] | None = None) -> list[Sent]:
        with self.flask_app.app_context():
            return send_from_app(self.flask_app, failed)

    def token(self, name: str) -> str:
        """Their private page's token (My input and its contact form)."""
        with self.flask_app.app_context():
            with commands.reading() as conn:
                return current_token(conn, PAGE, self.person(name))

    def feed_token(self, name: str) -> str:
        """Their private feed's token, which opens the feed alone."""
        with self.flask_app.app_context():
            with commands.reading() as conn:
                return current_token(conn, FEED, self.person(name))

    def unsubscribe_token(self, name: str) -> str:
        """The token their emails carry, which only unsubscribes."""
        with self.flask_app.app_context():
            return unsubscribe_token(self.person(name))
