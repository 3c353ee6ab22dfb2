"""Downloads for auditors: a policy's audit trail, decisions and "you said, we did" as CSV or JSON,
and a decision's provenance as W3C PROV-JSON (docs/exports.md).

The rows are built in the application layer (`cotrace.exports`, `cotrace.prov_json`); this module
only checks what was asked for and streams the file. A CSV or JSON export is written row by row as
it is sent, on a connection of its own that lives as long as the download.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from uuid import UUID

from flask import Blueprint, Response, abort, request
from flask.typing import ResponseReturnValue
from sqlalchemy import Connection

from cotrace import exports, prov_json
from projections import reads
from web import commands
from web.policies import trail_filter

bp = Blueprint("exports", __name__)

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _download(body: Iterator[str] | str, media_type: str, name: str) -> Response:
    response = Response(body, mimetype=None, content_type=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    # A copy of the record with people's names and words in it: no cache keeps it.
    response.headers["Cache-Control"] = "no-store"
    return response


def _policy_export(
    policy_id: UUID,
    fmt: str,
    what: str,
    make: Callable[[Connection], exports.Export],
    as_of: date | None = None,
) -> Response:
    with commands.reading() as conn:  # catches the read models up, and finds the policy
        if reads.policy(conn, policy_id) is None:
            abort(404)
    engine = commands.services().engine
    write = exports.as_csv if fmt == "csv" else exports.as_json

    def body() -> Iterator[str]:
        # One connection for the whole file, so every row is read from the same state of the tables.
        with engine.connect() as conn:
            export = make(conn)
            yield from write(export.columns, export.rows)

    name = exports.filename(what, policy_id, commands.today(), fmt, as_of)
    return _download(body(), MEDIA_TYPES[fmt], name)


@bp.get("/policies/<uuid:policy_id>/audit-trail.csv", defaults={"fmt": "csv"})
@bp.get("/policies/<uuid:policy_id>/audit-trail.json", defaults={"fmt": "json"})
def audit_trail(policy_id: UUID, fmt: str) -> ResponseReturnValue:
    only, errors = trail_filter(request.args)
    if errors:
        # A file that silently ignored a filter would be taken for the filtered trail.
        message = " ".join(["The file was not made.", *(f"{problem}." for problem in errors.values())])
        return message, 400, {"Content-Type": "text/plain; charset=utf-8"}
    return _policy_export(
        policy_id,
        fmt,
        "audit-trail",
        lambda conn: exports.audit_trail_export(conn, policy_id, only),
        only.as_of,
    )


@bp.get("/policies/<uuid:policy_id>/decisions.csv", defaults={"fmt": "csv"})
@bp.get("/policies/<uuid:policy_id>/decisions.json", defaults={"fmt": "json"})
def decisions(policy_id: UUID, fmt: str) -> ResponseReturnValue:
    return _policy_export(policy_id, fmt, "decisions", lambda conn: exports.decisions_export(conn, policy_id))


@bp.get("/policies/<uuid:policy_id>/you-said-we-did.csv", defaults={"fmt": "csv"})
@bp.get("/policies/<uuid:policy_id>/you-said-we-did.json", defaults={"fmt": "json"})
def you_said_we_did(policy_id: UUID, fmt: str) -> ResponseReturnValue:
    return _policy_export(
        policy_id, fmt, "you-said-we-did", lambda conn: exports.you_said_we_did_export(conn, policy_id)
    )


@bp.get("/decisions/<uuid:decision_id>/provenance.json")
def decision_prov(decision_id: UUID) -> ResponseReturnValue:
    with commands.reading() as conn:
        document = prov_json.decision_prov(conn, decision_id)
    if document is None:
        abort(404)
    name = f"cotrace-decision-{decision_id}-provenance-{commands.today().isoformat()}.json"
    return _download(json.dumps(document, ensure_ascii=False, indent=2), MEDIA_TYPES["json"], name)
