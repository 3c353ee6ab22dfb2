"""A per-session token on every form, so another site cannot make a browser post to Cotrace."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import TypeVar
from uuid import uuid4

from flask import Flask, abort, request, session

F = TypeVar("F", bound=Callable)


def exempt(view: F) -> F:
    """For a route another program posts to without a form of ours (RFC 8058 one-click unsubscribe:
    the mail client posts, with no session). Its URL must carry a secret of its own instead."""
    view.csrf_exempt = True  # type: ignore[attr-defined]
    return view


def token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csrf_token"] = token
    # New each time a form is shown: the same form sent twice records once (cotrace.submissions).
    app.jinja_env.globals["submission_id"] = lambda: uuid4().hex

    @app.before_request
    def check_token() -> None:
        if request.method in ("GET", "HEAD", "OPTIONS") or app.config.get("CSRF_DISABLED"):
            return
        if request.routing_exception is not None:
            return  # no such page, or not for this method: 404 or 405 says so, not "the form expired"
        if getattr(app.view_functions.get(request.endpoint or ""), "csrf_exempt", False):
            return
        sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token", "")
        expected = session.get("csrf")
        # Compared as bytes: compare_digest refuses a str with a character beyond ASCII (a TypeError).
        if not expected or not hmac.compare_digest(sent.encode(), str(expected).encode()):
            abort(400, "The form has expired: go back, reload the page and try again.")
