"""Corrections of what was recorded wrong, one thing per page: a contribution's words, its response,
an action marked done by mistake, a meeting's date or place, an agenda item, a member's name,
stakeholder group or email address (decisions have theirs in `web.decision_records`).

Each is a new event with a reason; the pages then show the corrected value with the original beside
it. Each form is reached from where the thing is shown, and offered to those who may record there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import abort, url_for
from flask.typing import ResponseReturnValue

from domain.application import Cotrace
from domain.errors import Problems
from domain.vocabulary import RESPONSES
from projections import reads
from web import commands, forms
from web.contributions import bp as contributions
from web.form_pages import Field, form_page
from web.forms import Form
from web.meetings import bp as meetings
from web.partnerships import GROUP_OPTIONS
from web.partnerships import bp as partnerships

REASON = Field(
    "reason",
    "Why it is corrected",
    "textarea",
    hint="For example, 'Misheard at the meeting: checked with the contributor'",
)
HAPPENED_ON = Field("happened_on", "Date of the correction", "date")


Command = Callable[[Cotrace, UUID, Any], Any]  # the app, the actor, the day it was corrected


def _correction_page(
    *,
    title: str,
    caption: str,
    intro: str,
    fields: list[Field],
    defaults: dict[str, Any],
    back: tuple[str, str],
    command: Callable[[Form, Problems], Command],
    button: str = "Record correction",
    done_message: str = "Correction recorded.",
    dated_as: str = "the date of the correction",
) -> ResponseReturnValue:
    """A correction's one-page form: its fields, then the day it is recorded as made (today unless
    typed); `command` reads the form's own fields (problems beside them, in the form's order) and
    gives what records the correction."""

    def handle(form: Form, problems: Problems) -> Any:
        records = command(form, problems)
        happened_on = commands.date_from(problems, form, "happened_on", dated_as)
        return commands.run_after(problems, lambda app, actor: records(app, actor, happened_on))

    return form_page(
        title=title,
        caption=caption,
        intro=intro,
        fields=fields,
        defaults={"happened_on": commands.today().isoformat(), **defaults},
        button=button,
        handle=handle,
        done=lambda _: back[0],
        done_message=done_message,
        back=back,
    )


def _contribution_or_404(contribution_id: UUID) -> dict:
    with commands.reading() as conn:
        found = reads.contribution(conn, contribution_id)
    if found is None:
        abort(404)
    return found


def _contribution_page(contribution_id: UUID, anchor: str) -> str:
    return url_for("contributions.show", contribution_id=contribution_id, _anchor=anchor)


@contributions.route("/contributions/<uuid:contribution_id>/correction", methods=["GET", "POST"])
def correct(contribution_id: UUID) -> ResponseReturnValue:
    contribution = _contribution_or_404(contribution_id)

    def command(form: Form, problems: Problems) -> Command:
        return lambda app, actor, happened_on: app.correct_contribution(
            actor, contribution_id, forms.text(form, "text"), forms.text(form, "reason"), happened_on
        )

    return _correction_page(
        title="Correct the record of a contribution",
        caption=contribution["policy_title"],
        intro="For words recorded wrong. The original stays in the trail, beside the correction.",
        fields=[Field("text", "What was said", "textarea"), REASON, HAPPENED_ON],
        defaults={"text": contribution["text"]},
        back=(_contribution_page(contribution_id, "corrections"), "the contribution"),
        command=command,
    )


@contributions.route("/contributions/<uuid:contribution_id>/response/correction", methods=["GET", "POST"])
def correct_response(contribution_id: UUID) -> ResponseReturnValue:
    contribution = _contribution_or_404(contribution_id)
    if contribution["response"] is None:
        abort(404)  # nothing to correct: the contribution's page offers its response form instead

    def command(form: Form, problems: Problems) -> Command:
        return lambda app, actor, happened_on: app.correct_response(
            actor,
            contribution_id,
            forms.text(form, "response"),
            forms.text(form, "response_reason"),
            forms.text(form, "reason"),
            happened_on,
        )

    return _correction_page(
        title="Correct the record of a response",
        caption=contribution["policy_title"],
        intro="For a response recorded wrong. The day it was given stays; the original stays in the "
        "trail, beside the correction.",
        fields=[
            Field("response", "What was done with it", "radios", options=list(RESPONSES.items())),
            Field(
                "response_reason",
                "The response's reason",
                "textarea",
                hint="Say how it was adapted, or why it was not adopted. "
                "Optional when it was adopted as it was.",
            ),
            REASON,
            HAPPENED_ON,
        ],
        defaults={
            "response": contribution["response"],
            "response_reason": contribution["reason"] or "",
        },
        back=(_contribution_page(contribution_id, "response"), "the contribution"),
        command=command,
    )


@meetings.route("/meetings/<uuid:meeting_id>/actions/<uuid:action_id>/reopening", methods=["GET", "POST"])
def reopen_action(meeting_id: UUID, action_id: UUID) -> ResponseReturnValue:
    with commands.reading() as conn:
        meeting = reads.meeting(conn, meeting_id)
        action = next((a for a in reads.meeting_actions(conn, meeting_id) if a["id"] == action_id), None)
    if meeting is None or action is None:
        abort(404)
    back = url_for("meetings.show", meeting_id=meeting_id, _anchor="actions")

    def command(form: Form, problems: Problems) -> Command:
        return lambda app, actor, happened_on: app.reopen_action(
            actor, meeting_id, action_id, forms.text(form, "reason"), happened_on
        )

    return _correction_page(
        title="Reopen an action marked done",
        caption=action["description"],
        intro="For an action marked done by mistake, or not done after all. The day it was marked "
        "done stays in the record, beside the reason it was reopened.",
        fields=[
            Field(
                "reason",
                "Why it is reopened",
                "textarea",
                hint="For example, 'Marked done by mistake: the letters have not gone yet'",
            ),
            Field("happened_on", "Date it was reopened", "date"),
        ],
        defaults={},
        button="Reopen action",
        done_message="Action reopened.",
        back=(back, meeting["title"]),
        command=command,
        dated_as="the date it was reopened",
    )


@meetings.route("/meetings/<uuid:meeting_id>/correction", methods=["GET", "POST"])
def correct_meeting(meeting_id: UUID) -> ResponseReturnValue:
    with commands.reading() as conn:
        meeting = reads.meeting(conn, meeting_id)
    if meeting is None:
        abort(404)
    back = url_for("meetings.show", meeting_id=meeting_id)

    def command(form: Form, problems: Problems) -> Command:
        held_on = commands.date_from(problems, form, "held_on", "the date of the meeting")
        return lambda app, actor, happened_on: app.correct_meeting(
            actor, meeting_id, held_on, forms.text(form, "place"), forms.text(form, "reason"), happened_on
        )

    return _correction_page(
        title="Correct the date or place of a meeting",
        caption=meeting["title"],
        intro="For a date or place recorded wrong. The original stays in the record, beside the "
        "correction. The decisions and contributions recorded at the meeting took its date: a "
        "corrected date moves each of them too, and their records say so, with the same reason.",
        fields=[
            Field(
                "held_on",
                "Date of the meeting",
                "date",
                hint="Its decisions and contributions move to this date with it",
            ),
            Field("place", "Place", hint="For example, 'Town Hall, Room 2', or 'Online'"),
            Field(
                "reason",
                "Why it is corrected",
                "textarea",
                hint="For example, 'Held at the library, not the town hall'",
            ),
            HAPPENED_ON,
        ],
        defaults={
            "held_on": meeting["held_on"].isoformat(),
            "place": meeting["place"],
        },
        back=(back, meeting["title"]),
        command=command,
    )


@meetings.route("/meetings/<uuid:meeting_id>/agenda/<int:number>/correction", methods=["GET", "POST"])
def correct_agenda_item(meeting_id: UUID, number: int) -> ResponseReturnValue:
    """`number` is the item's place on the agenda, from 1 as the page lists it."""
    with commands.reading() as conn:
        meeting = reads.meeting(conn, meeting_id)
        agenda = reads.meeting_agenda(conn, meeting_id) if meeting else []
    if meeting is None or not 1 <= number <= len(agenda):
        abort(404)
    back = url_for("meetings.show", meeting_id=meeting_id, _anchor="agenda")

    def command(form: Form, problems: Problems) -> Command:
        return lambda app, actor, happened_on: app.correct_agenda_item(
            actor,
            meeting_id,
            number - 1,
            forms.text(form, "title"),
            forms.text(form, "reason"),
            happened_on,
        )

    return _correction_page(
        title="Correct an agenda item",
        caption=meeting["title"],
        intro="For an agenda item recorded wrong. The original stays in the record, beside the correction.",
        fields=[Field("title", "Agenda item"), REASON, HAPPENED_ON],
        defaults={"title": agenda[number - 1]["title"]},
        back=(back, meeting["title"]),
        command=command,
    )


def _member_or_404(partnership_id: UUID, participant_id: UUID) -> dict:
    """The member as the partnership's page lists them, with their email address (`email`)."""
    with commands.reading() as conn:
        member = next(iter(reads.members_named(conn, partnership_id, [participant_id])), None)
        person = reads.participant(conn, participant_id) if member else None
    if member is None or person is None:
        abort(404)
    return {**member, "email": person["email"]}


def _members(partnership_id: UUID) -> tuple[str, str]:
    return url_for("partnerships.show", partnership_id=partnership_id, _anchor="members"), "the partnership"


@partnerships.route(
    "/partnerships/<uuid:partnership_id>/members/<uuid:participant_id>/correction", methods=["GET", "POST"]
)
def correct_member(partnership_id: UUID, participant_id: UUID) -> ResponseReturnValue:
    member = _member_or_404(partnership_id, participant_id)

    def command(form: Form, problems: Problems) -> Command:
        return lambda app, actor, happened_on: app.correct_member_name(
            actor,
            partnership_id,
            participant_id,
            forms.text(form, "name"),
            forms.text(form, "reason"),
            happened_on,
        )

    return _correction_page(
        title="Correct a member's name",
        caption="Members",
        intro="For a name recorded wrong. The name it replaces stays in the record beside it, and is "
        "erased with the rest of the member's personal data if they ask.",
        fields=[
            Field("name", "Name", hint="Their name, or the pseudonym they chose"),
            Field("reason", "Why it is corrected", "textarea", hint="For example, 'Misspelt when added'"),
            HAPPENED_ON,
        ],
        defaults={"name": member["name"]},
        back=_members(partnership_id),
        command=command,
    )


@partnerships.route(
    "/partnerships/<uuid:partnership_id>/members/<uuid:participant_id>/group/correction",
    methods=["GET", "POST"],
)
def correct_member_group(partnership_id: UUID, participant_id: UUID) -> ResponseReturnValue:
    member = _member_or_404(partnership_id, participant_id)

    def command(form: Form, problems: Problems) -> Command:
        return lambda app, actor, happened_on: app.correct_member_group(
            actor,
            partnership_id,
            participant_id,
            forms.text(form, "stakeholder_group"),
            forms.text(form, "reason"),
            happened_on,
        )

    return _correction_page(
        title="Correct a member's stakeholder group",
        caption=member["name"],
        intro="For a group recorded wrong: the group they were always in, not one they have moved "
        "to. The evidence of co-production counts them in the corrected group from now on, for what "
        "they did before too; the trail keeps each fact as it was recorded, and the group it "
        "replaces stays beside it.",
        fields=[
            Field("stakeholder_group", "Stakeholder group", "radios", options=GROUP_OPTIONS),
            Field(
                "reason",
                "Why it is corrected",
                "textarea",
                hint="For example, 'Entered as an officer: she is a parent carer on the forum'",
            ),
            HAPPENED_ON,
        ],
        defaults={"stakeholder_group": member["stakeholder_group"]},
        back=_members(partnership_id),
        command=command,
    )


@partnerships.route(
    "/partnerships/<uuid:partnership_id>/members/<uuid:participant_id>/email/correction",
    methods=["GET", "POST"],
)
def correct_member_email(partnership_id: UUID, participant_id: UUID) -> ResponseReturnValue:
    """The address is personal data: it is sent and shown only in the form's body, never in the
    address of a page."""
    member = _member_or_404(partnership_id, participant_id)
    if member["email"] is None:
        abort(404)  # nothing to correct: they give their own on their My input page

    def command(form: Form, problems: Problems) -> Command:
        return lambda app, actor, happened_on: app.correct_member_email(
            actor,
            partnership_id,
            participant_id,
            forms.text(form, "email"),
            forms.text(form, "reason"),
            happened_on,
        )

    return _correction_page(
        title="Correct a member's email address",
        caption=member["name"],
        intro="For an address recorded wrong. Whether they are told by email stays as they chose. The "
        "address it replaces stays in the record beside it, for the chair, and is erased with the "
        "rest of the member's personal data if they ask.",
        fields=[
            Field("email", "Email address", "email", hint="As they gave it, for example name@example.com"),
            Field(
                "reason",
                "Why it is corrected",
                "textarea",
                hint="For example, 'A letter mistyped when added'",
            ),
            HAPPENED_ON,
        ],
        defaults={"email": member["email"]},
        back=_members(partnership_id),
        command=command,
    )
