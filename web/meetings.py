"""A meeting: attendance and the decisions taken at it, on one page.

Each form posts to its own URL. With htmx the response is the meeting's record, swapped in place;
without JavaScript a success redirects back to the page and an error re-renders it with messages.
"""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from domain.decisions import VoteTally
from domain.errors import Problems, RulesBroken
from projections import reads
from web import commands, forms

bp = Blueprint("meetings", __name__)


@bp.get("/meetings/<uuid:meeting_id>")
def show(meeting_id: UUID):  # noqa: ANN201
    return _render(meeting_id)


@bp.post("/meetings/<uuid:meeting_id>/attendance")
def record_attendance(meeting_id: UUID):  # noqa: ANN201
    form = request.form
    present = forms.uuids(form, "present")
    apologies = forms.uuids(form, "apologies")
    try:
        commands.run(lambda app, actor: app.record_attendance(actor, meeting_id, present, apologies))
    except RulesBroken as broken:
        return _respond_with_errors(meeting_id, "attendance", form, broken)
    return _respond_with_success(meeting_id, "Attendance recorded.", "attendance")


@bp.post("/meetings/<uuid:meeting_id>/decisions")
def record_decision(meeting_id: UUID):  # noqa: ANN201
    form = request.form
    problems = Problems()
    votes = _votes(problems, form)
    try:
        problems.raise_if_any()
        commands.run(
            lambda app, actor: app.record_decision(
                actor,
                meeting_id,
                policy_id=forms.uuid_or_none(form.get("policy_id")),
                text=forms.text(form, "text"),
                stage=forms.text(form, "stage"),
                proposed_by=forms.uuid_or_none(form.get("proposed_by")),
                decided_by=forms.uuids(form, "decided_by"),
                method=forms.text(form, "method"),
                votes=votes,
            )
        )
    except RulesBroken as broken:
        return _respond_with_errors(meeting_id, "decision", form, broken)
    return _respond_with_success(meeting_id, "Decision recorded.", "decisions")


def _votes(problems: Problems, form) -> VoteTally | None:  # noqa: ANN001
    if forms.text(form, "method") != "vote":
        return None
    counts = [
        forms.whole_number(problems, form, name, what)
        for name, what in (
            ("votes_for", "the votes for"),
            ("votes_against", "the votes against"),
            ("abstentions", "the abstentions"),
        )
    ]
    if all(count is None for count in counts):
        return None
    return VoteTally(*(count or 0 for count in counts))


def _respond_with_success(meeting_id: UUID, message: str, anchor: str):  # noqa: ANN202
    if request.htmx:
        return _render(meeting_id, partial=True, status_message=message)
    flash(message)
    return redirect(url_for("meetings.show", meeting_id=meeting_id, _anchor=anchor), code=303)


def _respond_with_errors(meeting_id: UUID, form_name: str, form, broken: RulesBroken):  # noqa: ANN001, ANN202
    return _render(
        meeting_id,
        partial=bool(request.htmx),
        errors={form_name: broken.by_field()},
        values={form_name: form},
    ), 422


def _render(  # noqa: ANN202
    meeting_id: UUID,
    partial: bool = False,
    errors: dict | None = None,
    values: dict | None = None,
    status_message: str | None = None,
):
    with commands.reading() as conn:
        meeting = reads.meeting(conn, meeting_id)
        if meeting is None:
            abort(404)
        context = dict(
            meeting=meeting,
            partnership=reads.partnership(conn, meeting["partnership_id"]),
            members=reads.partnership_members(conn, meeting["partnership_id"]),
            policies=reads.partnership_policies(conn, meeting["partnership_id"]),
            attendance=reads.meeting_attendance(conn, meeting_id),
            decisions=reads.meeting_decisions(conn, meeting_id),
            names=reads.names(conn),
            errors={"attendance": {}, "decision": {}, **(errors or {})},
            values={"attendance": MultiDict(), "decision": MultiDict(), **(values or {})},
            status_message=status_message,
        )
    template = "_meeting_record.html" if partial else "meeting.html"
    return render_template(template, **context)
