"""Partnerships: the home page (the list, and the published transparency pages), forming one, one
partnership's members, policies and meetings, adding a member, and scheduling a meeting."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from domain.application import Cotrace
from domain.errors import Problems
from domain.vocabulary import STAKEHOLDER_GROUPS
from projections import private_links, reads, thresholds, transparency_pages
from projections.access import changes_in
from web import access, commands, forms, paging
from web.answers import answer_form
from web.form_pages import Field, form_page
from web.forms import Form

bp = Blueprint("partnerships", __name__)

GROUP_OPTIONS = [(code, group.label) for code, group in STAKEHOLDER_GROUPS.items()]
# The page shows the latest changes to who holds which role; the whole trail is in the event log.
ROLE_CHANGES_SHOWN = 10
# The home page's lists, a page at a time.
PARTNERSHIPS_PAGE = 25
PUBLISHED_PAGE = 25
# A partnership's lists a page at a time, each moved through on its own (web/paging.py).
MEETINGS_PAGE = 25
POLICIES_PAGE = 25
MEMBERS_PAGE = 50


@bp.get("/")
def index() -> ResponseReturnValue:
    """The published transparency pages, for anyone; and, to the signed-in, the partnerships they
    hold a role in (an admin: all of them). The public learns nothing of the rest."""
    principal = access.current()
    published_from = paging.cursor(transparency_pages.PUBLISHED_KEYS, prefix="published_", anchor="published")
    partnerships_from = paging.cursor(reads.PARTNERSHIP_KEYS, prefix="partnerships_")
    with commands.reading() as conn:
        published = transparency_pages.published_policies_page(conn, PUBLISHED_PAGE, published_from)
        partnerships = None
        if principal is not None:  # an admin sees all; anyone else only those they hold a role in
            only = None if principal.is_admin else set(principal.grants.roles)
            partnerships = reads.partnerships_page(conn, PARTNERSHIPS_PAGE, partnerships_from, only)
    return render_template("index.html", partnerships=partnerships, published=published)


@bp.get("/partnerships/<uuid:partnership_id>")
def show(partnership_id: UUID) -> ResponseReturnValue:
    return _render(partnership_id)


@bp.route("/partnerships/new", methods=["GET", "POST"])
def new_partnership() -> ResponseReturnValue:
    return form_page(
        title="Form a partnership",
        caption="Partnerships",
        fields=[
            Field("name", "Name of the partnership", hint="For example, 'Riverside EHE Policy Partnership'")
        ],
        button="Form partnership",
        handle=lambda form, problems: commands.run(
            lambda app, actor: app.form_partnership(actor, forms.text(form, "name"))
        ),
        done=lambda partnership_id: url_for("partnerships.show", partnership_id=partnership_id),
        done_message="Partnership formed.",
        back=(url_for("partnerships.index"), "partnerships"),
    )


@bp.route("/partnerships/<uuid:partnership_id>/members/new", methods=["GET", "POST"])
def new_member(partnership_id: UUID) -> ResponseReturnValue:
    partnership = partnership_or_404(partnership_id)

    def handle(form: Form, problems: Problems) -> Any:
        joined_on = commands.date_from(problems, form, "joined_on", "the date they joined")

        def register(app: Cotrace, actor: UUID) -> UUID:
            participant = app.register_participant(
                actor, forms.text(form, "name"), forms.text(form, "stakeholder_group")
            )
            app.add_member(actor, partnership_id, participant, joined_on)
            return participant

        return commands.run_after(problems, register)

    return form_page(
        title="Add a member",
        caption=partnership["name"],
        fields=[
            Field("name", "Name", hint="Their name, or the pseudonym they choose to be known by here"),
            Field("stakeholder_group", "Stakeholder group", "radios", options=GROUP_OPTIONS),
            Field("joined_on", "Date they joined the partnership", "date"),
        ],
        button="Add member",
        handle=handle,
        done=lambda _: url_for("partnerships.show", partnership_id=partnership_id),
        done_message="Member added.",
        back=(url_for("partnerships.show", partnership_id=partnership_id), partnership["name"]),
    )


@bp.post("/partnerships/<uuid:partnership_id>/meetings")
def schedule_meeting(partnership_id: UUID) -> ResponseReturnValue:
    form = request.form
    problems = Problems()
    held_on = commands.date_from(problems, form, "held_on", "the date of the meeting")
    return answer_form(
        lambda: commands.run_after(
            problems,
            lambda app, actor: app.schedule_meeting(
                actor, partnership_id, forms.text(form, "title"), held_on, forms.text(form, "place")
            ),
        ),
        lambda **page: _render(partnership_id, values=page.get("values"), errors=page.get("errors")),
        done=lambda meeting_id: url_for("meetings.show", meeting_id=meeting_id),
        swaps_part=False,
    )


def _render(partnership_id: UUID, values: Form | None = None, errors: dict[str, str] | None = None) -> str:
    cursors = {
        name: paging.cursor(keys, prefix=f"{name}_", anchor=name)
        for name, keys in (
            ("policies", reads.POLICY_KEYS),
            ("meetings", reads.MEETING_KEYS),
            ("members", reads.MEMBER_CURSOR_KEYS),
        )
    }
    with commands.reading() as conn:
        partnership = reads.partnership(conn, partnership_id)
        if partnership is None:
            abort(404)
        members = reads.partnership_members_page(conn, partnership_id, MEMBERS_PAGE, cursors["members"])
        # One more than shown, to know whether to say that only the latest are shown.
        role_changes = changes_in(conn, partnership_id, limit=ROLE_CHANGES_SHOWN + 1)
        threshold_changes = thresholds.changes_of(conn, partnership_id)
        return render_template(
            "partnership.html",
            partnership=partnership,
            members=members,
            policies=reads.partnership_policies_page(
                conn, partnership_id, POLICIES_PAGE, cursors["policies"]
            ),
            meetings=reads.partnership_meetings_page(
                conn, partnership_id, MEETINGS_PAGE, cursors["meetings"]
            ),
            names=reads.names_of(
                conn, [partnership["chair_id"], *(c["recorded_by"] for c in threshold_changes)]
            ),
            judged=thresholds.judged_by(conn, partnership_id),
            threshold_changes=threshold_changes,
            # Which links are revoked, for the chair; the links themselves are shown one at a time.
            revoked_links=private_links.revoked_among(conn, [m["id"] for m in members.rows])
            if access.may_record()
            else set(),
            corrections=reads.corrections_of(conn, [m["id"] for m in members.rows]),
            role_changes=role_changes[:ROLE_CHANGES_SHOWN],
            more_role_changes=len(role_changes) > ROLE_CHANGES_SHOWN,
            values=values or {},
            errors=errors or {},
        )


def partnership_or_404(partnership_id: UUID) -> dict:
    with commands.reading() as conn:
        found = reads.partnership(conn, partnership_id)
    if found is None:
        abort(404)
    return found
