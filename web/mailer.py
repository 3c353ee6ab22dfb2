"""Follow-up mail as the web app sends it: with its config as it stands when sending, after each
command on a thread of its own (`cotrace.mailer` holds how messages are made and sent)."""

from __future__ import annotations

from flask import Flask

from cotrace.mailer import Failed, MailSettings, Postman, Sent, send_outbox
from cotrace.mailer import send_quietly as _send_quietly

__all__ = ["Failed", "Sent", "postman_for", "send_from_app", "send_quietly"]


def send_from_app(app: Flask, failed: list[Failed] | None = None) -> list[Sent]:
    """Sends what is queued with the app's settings and secret key; what fails for good is marked
    failed, logged by message id and added to `failed`."""
    settings = MailSettings.of(app.config, app.instance_path)
    return send_outbox(app.extensions["cotrace"].engine, settings, app.secret_key, failed)


def send_quietly(app: Flask) -> None:
    _send_quietly(lambda: send_from_app(app))


def postman_for(app: Flask) -> Postman:
    return Postman(lambda: send_from_app(app))
