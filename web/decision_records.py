"""Decisions recorded outside the meeting page, one thing per page: a decision taken outside a meeting,
and the correction or reversal of an earlier decision (new events that name it: nothing is edited)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import abort
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from domain.errors import Problems
from domain.vocabulary import STAGE_LABELS
from projections import directory
from web import commands, forms
from web.decisions import bp
from web.form_pages import Field, form_page
from web.forms import Form
from web.policy_records import member_options, policy_or_404, policy_page


@bp.route("/policies/<uuid:policy_id>/decisions/new", methods=["GET", "POST"])
def decide_outside_meeting(policy_id: UUID) -> ResponseReturnValue:
    policy, members, _ = policy_or_404(policy_id)

    def handle(form: Form, problems: Problems) -> Any:
        happened_on = commands.date_from(problems, form, "happened_on", "the date of the decision")
        return commands.run_after(
            problems,
            lambda app, actor: app.record_decision_outside_meeting(
                actor,
                policy_id,
                forms.text(form, "text"),
                forms.text(form, "stage"),
                forms.uuids(form, "decided_by"),
                forms.text(form, "method"),
                happened_on,
            ),
        )

    return form_page(
        title="Record a decision taken outside a meeting",
        caption=policy["title"],
        intro="A delegated officer decision, or one the authority took alone. It is shown as such "
        "in the trail: no citizen could take part in it.",
        fields=[
            Field("text", "What was decided", "textarea"),
            Field("stage", "Stage", "radios", options=list(STAGE_LABELS.items())),
            Field("decided_by", "Who decided", "checkboxes", options=member_options(members)),
            Field(
                "method",
                "How",
                "radios",
                options=[("delegated", "Delegated officer decision"), ("authority_only", "Authority only")],
            ),
            Field("happened_on", "Date of the decision", "date"),
        ],
        defaults={"stage": policy["stage"]},
        button="Record decision",
        handle=handle,
        done=lambda _: policy_page(policy_id),
        done_message="Decision recorded.",
        back=(policy_page(policy_id), policy["title"]),
    )


def _decision_or_404(decision_id: UUID) -> dict:
    with commands.reading() as conn:
        row = conn.execute(select(directory.decisions).where(directory.decisions.c.id == decision_id)).first()
    if row is None:
        abort(404)
    return dict(row._mapping)


@bp.route("/decisions/<uuid:decision_id>/correction", methods=["GET", "POST"])
def correct(decision_id: UUID) -> ResponseReturnValue:
    decision = _decision_or_404(decision_id)

    def handle(form: Form, problems: Problems) -> Any:
        happened_on = commands.date_from(problems, form, "happened_on", "the date of the correction")
        return commands.run_after(
            problems,
            lambda app, actor: app.correct_decision(
                actor, decision_id, forms.text(form, "text"), forms.text(form, "reason"), happened_on
            ),
        )

    return form_page(
        title="Correct the record of a decision",
        caption="Decision",
        intro="For a slip in how the decision was written down. The original stays in the trail, "
        "beside the correction.",
        fields=[
            Field("text", "Corrected wording", "textarea"),
            Field(
                "reason",
                "Why it is corrected",
                "textarea",
                hint="For example, 'Minutes approved with this wording'",
            ),
            Field("happened_on", "Date of the correction", "date"),
        ],
        defaults={"text": decision["text"]},
        button="Record correction",
        handle=handle,
        done=lambda _: policy_page(decision["policy_id"]),
        done_message="Correction recorded.",
        back=(policy_page(decision["policy_id"]), "the policy"),
    )


@bp.route("/decisions/<uuid:decision_id>/reversal", methods=["GET", "POST"])
def reverse(decision_id: UUID) -> ResponseReturnValue:
    decision = _decision_or_404(decision_id)

    def handle(form: Form, problems: Problems) -> Any:
        happened_on = commands.date_from(problems, form, "happened_on", "the date it was reversed")
        return commands.run_after(
            problems,
            lambda app, actor: app.reverse_decision(
                actor, decision_id, forms.text(form, "reason"), happened_on
            ),
        )

    return form_page(
        title="Reverse a decision",
        caption="Decision",
        intro=f"“{decision['text']}”. The decision stays in the trail, marked as reversed, with the reason.",
        fields=[
            Field("reason", "Why it is reversed", "textarea"),
            Field("happened_on", "Date it was reversed", "date"),
        ],
        button="Record reversal",
        handle=handle,
        done=lambda _: policy_page(decision["policy_id"]),
        done_message="Reversal recorded.",
        back=(policy_page(decision["policy_id"]), "the policy"),
    )
