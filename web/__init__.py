"""Cotrace's web layer: a Flask app factory, one blueprint per area, htmx served from our own files."""

from __future__ import annotations

import logging
import os
import re
from datetime import UTC, datetime
from typing import Any

from eventsourcing.domain import OriginatorVersionError
from flask import (
    Flask,
    Response,
    current_app,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from htmx_flask import Htmx
from werkzeug.exceptions import MethodNotAllowed, RequestEntityTooLarge

from cotrace.checkpoints import Inconsistent
from cotrace.private_links import LinkReplaced
from cotrace.sealing import LogTampered
from cotrace.services import Conflict, open_cotrace
from cotrace.settings import Settings
from domain import wording
from domain.dates import format_date
from domain.errors import NotFound
from domain.people import ERASED_NAME
from domain.vocabulary import (
    ACCESS_ADJUSTMENTS,
    ATTENDANCE,
    CHANNELS,
    CONTRIBUTION_KINDS,
    DECISION_METHODS,
    INITIATORS,
    RAG_RATINGS,
    RESPONSES,
    STAGE_LABELS,
    STAGES,
    STAKEHOLDER_GROUPS,
    group_label,
)
from web import access, csrf, forms, glossary, paging
from web.mailer import postman_for

# What became of a decision, as the pages say it.
# The largest request Cotrace reads: room for a published policy document, nothing like a flood.
MAX_REQUEST_BYTES = 20 * 1024 * 1024
# Pages whose address is itself a secret (a participant's link): never kept by a browser or proxy.
PRIVATE_PATH = re.compile(r"/(my-input|unsubscribe|sign-in/email|reset-password)/[^/\s?#\"]+")


class PrivateLinksFilter(logging.Filter):
    """Writes "/my-input/[private]" in the request log for a private link's token, so whoever reads
    the server's log cannot act as the participant it was sent to."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = hide_private_links(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(hide_private_links(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            # gunicorn's access log passes its atoms (path, request line, referrer) as one mapping,
            # of a class of its own that answers "-" for a missing one: changed in place, kept.
            for key, value in record.args.items():
                if isinstance(value, str):
                    record.args[key] = hide_private_links(value)
        return True


def hide_private_links(text: str) -> str:
    return PRIVATE_PATH.sub(lambda match: f"/{match.group(1)}/[private]", text)


# The request logs of Werkzeug's development server and of gunicorn (`cotrace serve`).
REQUEST_LOGS = ("werkzeug", "gunicorn.access")


def _hide_private_links_in_the_request_log() -> None:
    for name in REQUEST_LOGS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, PrivateLinksFilter) for existing in logger.filters):
            logger.addFilter(PrivateLinksFilter())


DECISION_STATUSES = {
    "standing": "Standing",
    "corrected": "Corrected",
    "reversed": "Reversed",
    "superseded": "Superseded",
    "redated": "Date corrected",
}


def favicon() -> ResponseReturnValue:
    return send_from_directory(current_app.static_folder or "static", "icon.svg", mimetype="image/svg+xml")


def create_app(config: dict[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    instance_path = instance_path or os.environ.get("COTRACE_INSTANCE_PATH")  # as `cotrace.settings` reads it
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    app.config.from_prefixed_env("COTRACE")
    app.config.from_mapping(config or {})
    settings = Settings.load(app.config, app.instance_path)
    app.secret_key = settings.secret_key
    # Over HTTPS (BASE_URL says where Cotrace is served), the session cookie is never sent in clear.
    served_over_https = str(settings.get("BASE_URL", "")).lower().startswith("https://")
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default: no limit at all
        app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(app.config.get("SESSION_COOKIE_SECURE")) or served_over_https,
    )
    _hide_private_links_in_the_request_log()
    app.extensions["cotrace"] = open_cotrace(settings)
    app.extensions["postman"] = postman_for(app)

    Htmx(app)
    csrf.init_app(app)
    _register_template_helpers(app)
    paging.init_app(app)

    # One blueprint per area. An area's routes may sit in more than one module (the pages, and the
    # one-thing-per-page forms that record its facts): importing a module adds its routes.
    from web import (  # noqa: F401 - routes of the areas above
        accounts,
        admin_accounts,
        admin_erasure,
        audit_packs,
        contributions,
        corrections,
        decision_records,
        decisions,
        evidence_pages,
        exports,
        followup,
        integrity,
        meeting_minutes,
        meetings,
        member_links,
        my_input,
        own_input,
        partnership_thresholds,
        partnerships,
        policies,
        policy_records,
        public_pages,
        transparency,
    )

    for area in (
        accounts,
        admin_accounts,
        admin_erasure,
        partnerships,
        policies,
        meetings,
        decisions,
        contributions,
        my_input,
        own_input,
        evidence_pages,
        public_pages,
        glossary,
        integrity,
        exports,
        audit_packs,
    ):
        app.register_blueprint(area.bp)
    # Browsers ask for /favicon.ico whatever the page says; it answers with the same SVG as the
    # page's <link rel="icon">, from our own files (no network, within the CSP's img-src 'self').
    app.add_url_rule("/favicon.ico", "favicon", favicon)
    # Who is signed in, then whether they may use the page; an admin first sets up a second factor.
    access.init_app(app, accounts.load_principal)
    app.before_request(accounts.enforce_second_factor_for_admins)

    @app.errorhandler(NotFound)
    @app.errorhandler(404)
    def not_found(error: Exception) -> ResponseReturnValue:
        return render_template("not_found.html"), 404

    @app.errorhandler(LinkReplaced)
    def link_replaced(error: LinkReplaced) -> ResponseReturnValue:
        # Gone, and said kindly: the person holding it did nothing wrong. It names no one, so a link
        # passed on tells whoever has it nothing about whose it was.
        message = (
            "The chair of your partnership has replaced this private link, or turned it off. "
            "Ask your chair for the new one."
        )
        by_email = (url_for("accounts.email_link"), "Or sign in with a link sent to your email address")
        heading = "This link no longer works"
        return render_template("problem.html", heading=heading, message=message, link=by_email), 410

    @app.errorhandler(405)
    def method_not_allowed(error: MethodNotAllowed) -> ResponseReturnValue:
        # Reached by reloading the address a form was sent to, after its mistakes were shown.
        message = (
            "This address only receives a form, so there is nothing to show here. Go back to the page "
            "the form was on and send it again, or start from the list of partnerships."
        )
        page = render_template("problem.html", heading="Nothing to show here", message=message)
        return page, 405, {"Allow": ", ".join(error.valid_methods or [])}

    @app.errorhandler(401)
    def not_signed_in(error: Exception) -> ResponseReturnValue:
        message = "Sign in to do this: nothing was saved."
        page = render_template("problem.html", heading="You need to sign in", message=message)
        return page, 401

    @app.errorhandler(403)
    def forbidden(error: Exception) -> ResponseReturnValue:
        message = (
            "Your account does not give you access to this page. If you need it, ask the chair of "
            "the partnership or an admin of Cotrace to give you the role that does."
        )
        return render_template("problem.html", heading="You cannot use this page", message=message), 403

    @app.errorhandler(400)
    def bad_request(error: Exception) -> ResponseReturnValue:
        message = getattr(error, "description", "") or "Go back, reload the page and try again."
        return render_template("problem.html", heading="Nothing was saved", message=message), 400

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: Exception) -> ResponseReturnValue:
        limit = (app.config.get("MAX_CONTENT_LENGTH") or MAX_REQUEST_BYTES) // (1024 * 1024)
        message = (
            f"What was sent is larger than Cotrace accepts (at most {limit} MB, a document included), "
            "so nothing was saved. Go back and choose a smaller file, or give its checksum instead."
        )
        return render_template("problem.html", heading="Nothing was saved", message=message), 413

    @app.errorhandler(LogTampered)
    @app.errorhandler(OriginatorVersionError)
    def log_tampered(error: Exception) -> ResponseReturnValue:
        # The stored log is not as it was sealed (changed or deleted by hand, outside Cotrace):
        # nothing is written on top of it, and the person is told plainly, never shown a crash.
        app.logger.error("The log failed its integrity check: %s", error)
        message = (
            "Cotrace found that its record was changed outside Cotrace, so it saved nothing, to keep "
            "the evidence as it is. Tell the person who runs Cotrace: they can see what changed "
            "by running 'cotrace verify'."
        )
        page = render_template(
            "problem.html", heading="The record failed its integrity check", message=message
        )
        return page, 503

    @app.errorhandler(Inconsistent)
    def not_consistent(error: Exception) -> ResponseReturnValue:
        # A checkpoint of the log as it stands would not extend the last one signed: a log must never
        # sign two histories, so nothing was signed (a receipt, an audit pack).
        app.logger.error("The log does not extend its latest checkpoint: %s", error)
        message = (
            "Cotrace could not sign the log as it stands: it does not extend the last checkpoint it "
            "signed. Tell the person who runs Cotrace: they can see what changed by running 'cotrace verify'."
        )
        page = render_template(
            "problem.html", heading="The record failed its integrity check", message=message
        )
        return page, 503

    @app.errorhandler(Conflict)
    def conflict(error: Exception) -> ResponseReturnValue:
        message = (
            "Someone else was changing the same record at the same moment, so nothing you entered "
            "was saved. Go back, reload the page and try again."
        )
        return render_template("problem.html", heading="Nothing was saved", message=message), 409

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        # A private link's page, or any page holding this session's form token, is kept by no cache,
        # unless its view chose for itself (the feed: "private", kept by the reader alone).
        if PRIVATE_PATH.match(request.path) or session.accessed:
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app


def any_problem(errors: dict | None) -> bool:
    """Whether a page's errors hold any message: flat (field to message) or by form (form to fields).

    A page with one starts its title with "Error: ", so a screen reader says so first (GOV.UK)."""
    return any(
        any_problem(value) if isinstance(value, dict) else bool(value) for value in (errors or {}).values()
    )


def _register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals["any_problem"] = any_problem
    app.jinja_env.globals["date_parts"] = forms.date_parts
    app.jinja_env.globals["GLOSSARY"] = glossary.GLOSSARY
    app.jinja_env.filters["date"] = lambda day: format_date(day) if day else ""
    app.jinja_env.filters["group_label"] = group_label
    # Sentences from numbers and words (domain/wording.py): "1 decision", "the same day", "online".
    for helper in (
        wording.counted,
        wording.days_after,
        wording.waiting_for,
        wording.at_place,
        wording.vote_tally,
    ):
        app.jinja_env.filters[helper.__name__] = helper
    app.jinja_env.filters["recorded"] = lambda at: f"{format_date(at)}, {at:%H:%M} UTC" if at else ""
    app.jinja_env.globals["printed_at"] = lambda: datetime.now(UTC)  # the print header's "when"
    app.jinja_env.globals.update(
        STAGES=STAGES,
        STAGE_LABELS=STAGE_LABELS,
        GROUPS=STAKEHOLDER_GROUPS,
        METHODS=DECISION_METHODS,
        INITIATORS=INITIATORS,
        ATTENDANCE=ATTENDANCE,
        ADJUSTMENTS=ACCESS_ADJUSTMENTS,
        KINDS=CONTRIBUTION_KINDS,
        CONTRIBUTION_KINDS=CONTRIBUTION_KINDS,
        CHANNELS=CHANNELS,
        ERASED_NAME=ERASED_NAME,
        RESPONSES=RESPONSES,
        RAG_RATINGS=RAG_RATINGS,
        DECISION_STATUSES=DECISION_STATUSES,
    )
