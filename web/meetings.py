"""A meeting's whole record on one page: attendance, agenda, access adjustments, contributions made
in the room, decisions, actions and the approval of the minutes.

Each form posts to its own URL. With htmx the response is the meeting's record, swapped in place;
without JavaScript a success redirects back to the page and an error re-renders it with messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from domain.decisions import TALLY_FIELDS, VoteTally
from domain.errors import Problems
from projections import reads
from projections.minutes import meeting_minutes
from web import commands, forms, paging
from web.answers import answer_form
from web.forms import Form

bp = Blueprint("meetings", __name__)

# The contributions the decision form offers to cite, at most, newest first; a search finds others.
CITES_SHOWN = 30
# The partnership's contributions awaiting a response the page lists; the rest are a link away.
AWAITING_SHOWN = 10
# The members the page's forms offer: those the meeting's attendance or a form sent back names, and
# a page of 20 others by name, with links to the pages either side (a partnership can have
# thousands). An address names a member by id alone, never by name.
MEMBERS_SHOWN = 20
# The policies the page's forms offer, as for members: those on the meeting's agenda or in its
# record, any a form sent back (or the search for contributions) names, and a page of 20 others by
# title, which words from a title narrow. An address names a policy by id.
POLICIES_SHOWN = 20

# Every form on the page, by the name its errors and typed values are kept under, and the section
# a plain (no JavaScript) success returns to.
SECTIONS = {
    "attendance": "attendance",
    "agenda": "agenda",
    "adjustment": "adjustments",
    "contribution": "contributions",
    "decision": "decisions",
    "action": "actions",
    "done": "actions",
    "written": "minutes",  # the minutes' words or file (web/meeting_minutes.py)
    "minutes": "minutes",
}


@bp.get("/meetings/<uuid:meeting_id>")
def show(meeting_id: UUID) -> ResponseReturnValue:
    return _render(meeting_id)


@bp.post("/meetings/<uuid:meeting_id>/attendance")
def record_attendance(meeting_id: UUID) -> ResponseReturnValue:
    form = request.form
    return _command(
        meeting_id,
        "attendance",
        "Attendance recorded.",
        lambda app, actor: app.record_attendance(
            actor, meeting_id, forms.uuids(form, "present"), forms.uuids(form, "apologies")
        ),
    )


@bp.post("/meetings/<uuid:meeting_id>/agenda")
def add_agenda_item(meeting_id: UUID) -> ResponseReturnValue:
    form = request.form
    return _command(
        meeting_id,
        "agenda",
        "Agenda item added.",
        lambda app, actor: app.add_agenda_item(
            actor, meeting_id, forms.text(form, "title"), forms.uuid_or_none(form.get("policy_id"))
        ),
    )


@bp.post("/meetings/<uuid:meeting_id>/adjustments")
def record_adjustment(meeting_id: UUID) -> ResponseReturnValue:
    form = request.form
    return _command(
        meeting_id,
        "adjustment",
        "Access adjustment recorded.",
        lambda app, actor: app.record_access_adjustment(
            actor, meeting_id, forms.text(form, "kind"), forms.text(form, "description")
        ),
    )


@bp.post("/meetings/<uuid:meeting_id>/contributions")
def record_contribution(meeting_id: UUID) -> ResponseReturnValue:
    form = request.form
    problems = Problems()
    policy_id = forms.uuid_or_none(form.get("policy_id"))
    if policy_id is None:
        problems.add("policy_id", "Choose the policy the contribution is about")
    return _command(
        meeting_id,
        "contribution",
        "Contribution recorded.",
        lambda app, actor: app.submit_contribution(
            actor,
            policy_id,
            forms.uuid_or_none(form.get("contributor_id")),
            forms.text(form, "kind"),
            forms.text(form, "text"),
            # Given at this meeting, under any channel (a workshop held as this meeting, say).
            forms.text(form, "channel") or "meeting",
            meeting_id=meeting_id,
            pseudonym=forms.text(form, "pseudonym") or None,
        ),
        problems,
    )


@bp.post("/meetings/<uuid:meeting_id>/decisions")
def record_decision(meeting_id: UUID) -> ResponseReturnValue:
    form = request.form
    problems = Problems()
    votes = _votes(problems, form)
    dissent = forms.text(form, "dissent")
    # A dissenter chosen with no note is still a dissent: the rules ask what it was, rather than
    # the form dropping it without a word.
    dissenter = forms.uuid_or_none(form.get("dissent_by"))
    return _command(
        meeting_id,
        "decision",
        "Decision recorded.",
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
            cites=forms.uuids(form, "cites"),
            consulted=forms.uuids(form, "consulted"),
            informed=forms.uuids(form, "informed"),
            dissent=[{"by": dissenter, "note": dissent}] if dissent or dissenter else [],
        ),
        problems,
    )


@bp.post("/meetings/<uuid:meeting_id>/actions")
def agree_action(meeting_id: UUID) -> ResponseReturnValue:
    form = request.form
    problems = Problems()
    due_on = commands.date_from(problems, form, "due_on", "the date the action is due")
    return _command(
        meeting_id,
        "action",
        "Action agreed.",
        lambda app, actor: app.agree_action(
            actor,
            meeting_id,
            forms.text(form, "description"),
            forms.uuid_or_none(form.get("owner_id")),
            due_on,
        ),
        problems,
    )


@bp.post("/meetings/<uuid:meeting_id>/actions/<uuid:action_id>/done")
def complete_action(meeting_id: UUID, action_id: UUID) -> ResponseReturnValue:
    """Marked done today: the chair marks an action as it is reported done."""
    return _command(
        meeting_id,
        "done",
        "Action marked as done.",
        lambda app, actor: app.complete_action(actor, meeting_id, action_id, app.today()),
    )


def _cites_policy(policies: list[dict], values: MultiDict) -> dict | None:
    """The policy whose contributions the decision form offers to cite: the one asked for (by the
    search, or chosen in a form sent back with a mistake), or the partnership's only one; None for
    all of the partnership's policies."""
    for asked in (request.args.get("cites_policy"), values.get("policy_id")):
        wanted = forms.uuid_or_none(asked)
        chosen = [p for p in policies if p["id"] == wanted]
        if chosen:
            return chosen[0]
    return policies[0] if len(policies) == 1 else None


def _policies_wanted(agenda: list, decisions: list, contributions: list, values: dict) -> list[UUID]:
    """The policies the page must offer whatever page of policies it shows: those the meeting's
    agenda and record name, and those a form sent back with a mistake, or the search for
    contributions to cite, had chosen."""
    ids = [row.get("policy_id") for row in (*agenda, *decisions, *contributions)]
    ids.append(forms.uuid_or_none(request.args.get("cites_policy")))
    ids.extend(forms.uuid_or_none(form.get("policy_id")) for form in values.values())
    return [i if isinstance(i, UUID) else UUID(str(i)) for i in ids if i]


def _votes(problems: Problems, form: Form) -> VoteTally | None:
    if forms.text(form, "method") != "vote":
        return None
    counts = [forms.whole_number(problems, form, name, what) for name, what in TALLY_FIELDS]
    if all(count is None for count in counts):
        return None
    return VoteTally(*(count or 0 for count in counts))


def _command(
    meeting_id: UUID,
    form_name: str,
    message: str,
    command: Callable[[Any, UUID], Any],
    problems: Problems | None = None,
) -> ResponseReturnValue:
    """Runs one form's command; problems found reading the form are reported with the command's own."""
    anchor = SECTIONS[form_name]
    return answer_form(
        lambda: commands.run_after(problems if problems is not None else Problems(), command),
        lambda **page: _render(meeting_id, **page),
        done=lambda _: url_for("meetings.show", meeting_id=meeting_id, _anchor=anchor),
        message=message,
        form_name=form_name,
        flash_category=f"section:{anchor}",  # shown in that section, where the page opens
    )


def _chosen(attendance: dict, values: dict) -> list[UUID]:
    """The members the page must offer whatever page of members it shows: those at the meeting, and
    those a form sent back with a mistake had chosen."""
    ids = [UUID(str(i)) for i in attendance]
    for form in values.values():
        for name in ("present", "apologies", "owner_id", "consulted", "informed", "approved_by"):
            ids.extend(i for i in (forms.uuid_or_none(v) for v in form.getlist(name)) if i)
    return ids


def _named_on_page(meeting: dict, decisions: list, contributions: list, actions: list) -> list[UUID]:
    """Everyone whose name the meeting's record shows: not every name in the store."""
    ids: list[Any] = [*(meeting.get("minutes_approved_by") or [])]
    for d in decisions:
        ids.extend([d.get("proposed_by"), *(d.get("decided_by") or [])])
        ids.extend([*(d.get("consulted") or []), *(d.get("informed") or [])])
        ids.extend(note.get("by") for note in d.get("dissent") or [])
        ids.extend(c.get("contributor_id") for c in d.get("cites") or [])
    ids.extend(c.get("contributor_id") for c in contributions)
    ids.extend(a.get("owner_id") for a in actions)
    return [i if isinstance(i, UUID) else UUID(str(i)) for i in ids if i]


def _render(
    meeting_id: UUID,
    partial: bool = False,
    errors: dict | None = None,
    values: dict | None = None,
    status_message: str | None = None,
) -> str:
    members_cursor = paging.cursor(reads.MEMBER_CURSOR_KEYS, prefix="members_", anchor="attendance")
    policies_cursor = paging.cursor(reads.POLICY_KEYS, prefix="policies_", anchor="policy-choices")
    with commands.reading() as conn:
        meeting = reads.meeting(conn, meeting_id)
        if meeting is None:
            abort(404)
        partnership_id = meeting["partnership_id"]
        agenda = reads.meeting_agenda(conn, meeting_id)
        decisions = reads.meeting_decisions(conn, meeting_id)
        contributions = reads.meeting_contributions(conn, meeting_id)
        policy_words = forms.text(request.args, "policy_words")
        policies_page = reads.partnership_policies_page(
            conn, partnership_id, POLICIES_SHOWN, policies_cursor, policy_words
        )
        # The meeting's own policies first, by title, then the page of others.
        wanted = _policies_wanted(agenda, decisions, contributions, values or {})
        named_policies = reads.policies_named(conn, partnership_id, wanted)
        policies = list({p["id"]: p for p in [*named_policies, *policies_page.rows]}.values())
        decision_values = (values or {}).get("decision") or MultiDict()
        cites_policy = _cites_policy(policies, decision_values)
        cites_words = forms.text(request.args, "cites_words")
        cites, more_cites = reads.citable_contributions(
            conn,
            partnership_id,
            cites_policy["id"] if cites_policy else None,
            CITES_SHOWN,
            cites_words,
            chosen=forms.uuids(decision_values, "cites"),
        )
        attendance = reads.meeting_attendance(conn, meeting_id)
        members_page = reads.partnership_members_page(conn, partnership_id, MEMBERS_SHOWN, members_cursor)
        named = reads.members_named(conn, partnership_id, _chosen(attendance, values or {}))
        members = sorted(
            {m["id"]: m for m in [*named, *members_page.rows]}.values(),
            key=lambda m: (m["name"], str(m["id"])),
        )
        awaiting = reads.contributions_awaiting_page(conn, partnership_id, AWAITING_SHOWN)
        actions = reads.meeting_actions(conn, meeting_id)
        context = dict(
            meeting=meeting,
            partnership=reads.partnership(conn, partnership_id),
            members=members,
            members_page=members_page,
            policies=policies,
            policies_page=policies_page,
            policy_words=policy_words,
            attendance=attendance,
            agenda=agenda,
            adjustments=reads.meeting_adjustments(conn, meeting_id),
            contributions=contributions,
            awaiting=awaiting,
            cites=cites,
            more_cites=more_cites,
            cites_policy=cites_policy,
            cites_words=cites_words,
            decisions=decisions,
            actions=actions,
            corrections=reads.corrections_of(conn, [meeting_id, *(a["id"] for a in actions)]),
            minutes=meeting_minutes(conn, meeting_id),
            names=reads.names_of(
                conn, _named_on_page(meeting, decisions, [*contributions, *awaiting.rows, *cites], actions)
            ),
            today=commands.today(),
            errors={name: {} for name in SECTIONS} | (errors or {}),
            values={name: MultiDict() for name in SECTIONS} | (values or {}),
            status_message=status_message,
        )
    template = "_meeting_record.html" if partial else "meeting.html"
    return render_template(template, **context)
