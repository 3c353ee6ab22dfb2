"""A per-session token on every form, so another site cannot make a browser post to Cotrace."""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, abort, request, session


def token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csrf_token"] = token

    @app.before_request
    def check_token() -> None:
        if request.method in ("GET", "HEAD", "OPTIONS") or app.config.get("CSRF_DISABLED"):
            return
        sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token", "")
        expected = session.get("csrf")
        if not expected or not hmac.compare_digest(sent, expected):
            abort(400, "The form has expired: go back, reload the page and try again.")
