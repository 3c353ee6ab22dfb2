"""Partnerships: the list, one partnership's members, policies and meetings, and scheduling a meeting."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, redirect, render_template, request, url_for

from domain.errors import Problems, RulesBroken
from projections import reads
from web import commands, forms
from web.private_links import participant_token

bp = Blueprint("partnerships", __name__)


@bp.get("/")
def index():  # noqa: ANN201
    with commands.reading() as conn:
        partnerships = reads.all_partnerships(conn)
    return render_template("index.html", partnerships=partnerships)


@bp.get("/partnerships/<uuid:partnership_id>")
def show(partnership_id: UUID):  # noqa: ANN201
    return _render(partnership_id, values={}, errors={})


@bp.post("/partnerships/<uuid:partnership_id>/meetings")
def schedule_meeting(partnership_id: UUID):  # noqa: ANN201
    form = request.form
    problems = Problems()
    held_on = commands.date_from(problems, form, "held_on", "the date of the meeting")
    try:
        meeting_id = commands.run_after(
            problems,
            lambda app, actor: app.schedule_meeting(
                actor, partnership_id, forms.text(form, "title"), held_on, forms.text(form, "place")
            ),
        )
    except RulesBroken as broken:
        return _render(partnership_id, values=form, errors=broken.by_field()), 422
    return redirect(url_for("meetings.show", meeting_id=meeting_id), code=303)


def _render(partnership_id: UUID, values, errors: dict[str, str]):  # noqa: ANN001, ANN202
    with commands.reading() as conn:
        partnership = reads.partnership(conn, partnership_id)
        if partnership is None:
            abort(404)
        members = reads.partnership_members(conn, partnership_id)
        return render_template(
            "partnership.html",
            partnership=partnership,
            members=members,
            policies=reads.partnership_policies(conn, partnership_id),
            meetings=reads.partnership_meetings(conn, partnership_id),
            names=reads.names(conn),
            private_links={m["id"]: participant_token(m["id"]) for m in members},
            values=values,
            errors=errors,
        )
