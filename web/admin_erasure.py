"""Admins erase a participant's personal data, when the person asks or the retention period ends
(docs/privacy.md). The list is paginated by name, so its cost does not grow with the store."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from cotrace.erasure import erase_participant
from domain.errors import RulesBroken
from projections import reads
from projections.participant_list import participants_page, partnerships_of
from web import commands

bp = Blueprint("admin_erasure", __name__)
PAGE = 50
CONFIRM = "Tick the box to confirm that this person's data is to be erased for good"


@bp.get("/admin/participants")
def index() -> ResponseReturnValue:
    after = _uuid(request.args.get("after", ""))
    with commands.reading() as conn:
        found = participants_page(conn, after, PAGE + 1)
    more = len(found) > PAGE
    shown = found[:PAGE]
    next_after = shown[-1]["id"] if more else None
    return render_template(
        "admin/participants.html", participants=shown, next_after=next_after, first=after is None
    )


@bp.route("/admin/participants/<uuid:participant_id>/erase", methods=["GET", "POST"])
def erase(participant_id: UUID) -> ResponseReturnValue:
    with commands.reading() as conn:
        participant = reads.participant(conn, participant_id)
        if participant is None:
            abort(404)
        partnerships = partnerships_of(conn, participant_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if request.form.get("confirm") != "yes":
            errors["confirm"] = CONFIRM
        else:
            try:
                erased = erase_participant(commands.services(), commands.current_actor(), participant_id)
            except RulesBroken as broken:
                errors = {"confirm": broken.problems[0].message}
            else:
                group = erased.stakeholder_group.replace("_", " ")
                flash(f"Erased: the record now shows an erased {group}.")
                return redirect(url_for("admin_erasure.index"), code=303)
    page = render_template(
        "admin/erase_participant.html", participant=participant, partnerships=partnerships, errors=errors
    )
    return page, 422 if errors else 200


def _uuid(text: str) -> UUID | None:
    try:
        return UUID(text) if text else None
    except ValueError:
        return None
