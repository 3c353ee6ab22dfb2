"""Cotrace's web layer: a Flask app factory, one blueprint per area, htmx served from our own files."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, Response, render_template
from flask.typing import ResponseReturnValue
from htmx_flask import Htmx
from werkzeug.exceptions import MethodNotAllowed

from cotrace.services import Conflict, open_cotrace
from cotrace.settings import Settings
from domain.dates import format_date
from domain.errors import NotFound
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
from web import csrf
from web.mailer import postman_for

# What became of a decision, as the pages say it.
DECISION_STATUSES = {
    "standing": "Standing",
    "corrected": "Corrected",
    "reversed": "Reversed",
    "superseded": "Superseded",
}


def create_app(config: dict[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    instance_path = instance_path or os.environ.get("COTRACE_INSTANCE_PATH")  # as `cotrace.settings` reads it
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    app.config.from_prefixed_env("COTRACE")
    app.config.from_mapping(config or {})
    settings = Settings.load(app.config, app.instance_path)
    app.secret_key = settings.secret_key
    app.extensions["cotrace"] = open_cotrace(settings)
    app.extensions["postman"] = postman_for(app)

    Htmx(app)
    csrf.init_app(app)
    _register_template_helpers(app)

    # One blueprint per area. An area's routes may sit in more than one module (the pages, and the
    # one-thing-per-page forms that record its facts): importing a module adds its routes.
    from web import (  # noqa: F401 - routes of the areas above
        contributions,
        decision_records,
        decisions,
        evidence_pages,
        followup,
        meetings,
        my_input,
        partnership_thresholds,
        partnerships,
        policies,
        policy_records,
    )

    for area in (partnerships, policies, meetings, decisions, contributions, my_input, evidence_pages):
        app.register_blueprint(area.bp)

    @app.errorhandler(NotFound)
    @app.errorhandler(404)
    def not_found(error: Exception) -> ResponseReturnValue:
        return render_template("not_found.html"), 404

    @app.errorhandler(405)
    def method_not_allowed(error: MethodNotAllowed) -> ResponseReturnValue:
        # Reached by reloading the address a form was sent to, after its mistakes were shown.
        message = (
            "This address only receives a form, so there is nothing to show here. Go back to the page "
            "the form was on and send it again, or start from the list of partnerships."
        )
        page = render_template("problem.html", heading="Nothing to show here", message=message)
        return page, 405, {"Allow": ", ".join(error.valid_methods or [])}

    @app.errorhandler(400)
    def bad_request(error: Exception) -> ResponseReturnValue:
        message = getattr(error, "description", "") or "Go back, reload the page and try again."
        return render_template("problem.html", heading="Nothing was saved", message=message), 400

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
    app.jinja_env.filters["date"] = lambda day: format_date(day) if day else ""
    app.jinja_env.filters["group_label"] = group_label
    app.jinja_env.filters["recorded"] = lambda at: f"{format_date(at)}, {at:%H:%M} UTC" if at else ""
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
        RESPONSES=RESPONSES,
        RAG_RATINGS=RAG_RATINGS,
        DECISION_STATUSES=DECISION_STATUSES,
    )
