"""Recording a policy's life, one thing per page: starting it, its stages and cycles, ratings, published
versions, adoption and retirement, and claimed rungs (routes of the `policies` area). Decisions
taken outside a meeting, and corrections and reversals, are in `web.decision_records`."""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import UUID

from flask import abort, request, url_for
from flask.typing import ResponseReturnValue

from domain.errors import Problems
from domain.vocabulary import (
    INITIATORS,
    LADDER_LABELS,
    LADDERS,
    RAG_RATINGS,
    STAGE_LABELS,
    STAKEHOLDER_GROUPS,
    next_stage,
)
from projections import reads
from web import commands, forms
from web.form_pages import Field, form_page
from web.forms import Form
from web.partnerships import partnership_or_404
from web.policies import bp

RUNG_OPTIONS = [
    (f"{ladder}:{r.code}", f"{r.label} ({r.group}, {LADDER_LABELS[ladder].split(' ')[0]})")
    for ladder, rungs in LADDERS.items()
    for r in rungs
]


# The meetings a form offers to choose from: the most recent, as a partnership's can run to thousands.
MEETINGS_OFFERED = 50


def policy_or_404(policy_id: UUID) -> tuple[dict, list[dict], list[dict]]:
    """The policy, its partnership's members (as options) and most recent meetings."""
    with commands.reading() as conn:
        policy = reads.policy(conn, policy_id)
        if policy is None:
            abort(404)
        members = reads.partnership_members(conn, policy["partnership_id"])
        meetings = reads.partnership_meetings_page(conn, policy["partnership_id"], MEETINGS_OFFERED).rows
    return policy, members, meetings


def member_options(members: list[dict]) -> list[tuple[UUID, str]]:
    return [(m["id"], f"{m['name']} ({STAKEHOLDER_GROUPS[m['stakeholder_group']].label})") for m in members]


def policy_page(policy_id: UUID) -> str:
    return url_for("policies.show", policy_id=policy_id)


@bp.route("/partnerships/<uuid:partnership_id>/policies/new", methods=["GET", "POST"])
def new_policy(partnership_id: UUID) -> ResponseReturnValue:
    partnership = partnership_or_404(partnership_id)

    def handle(form: Form, problems: Problems) -> Any:
        started_on = commands.date_from(problems, form, "started_on", "the date the policy work started")
        return commands.run_after(
            problems,
            lambda app, actor: app.start_policy(
                actor,
                partnership_id,
                forms.text(form, "title"),
                forms.text(form, "initiated_by"),
                started_on,
            ),
        )

    return form_page(
        title="Start a policy",
        caption=partnership["name"],
        intro="Every policy starts at co-commission, in cycle 1.",
        fields=[
            Field(
                "title", "Title", hint="For example, 'Elective Home Education Policy' or 'SEND Strategy 2027'"
            ),
            Field("initiated_by", "Who initiated it?", "radios", options=list(INITIATORS.items())),
            Field("started_on", "Date the work started", "date"),
        ],
        button="Start policy",
        handle=handle,
        done=policy_page,
        done_message="Policy started.",
        back=(url_for("partnerships.show", partnership_id=partnership_id), partnership["name"]),
    )


@bp.route("/policies/<uuid:policy_id>/stages/new", methods=["GET", "POST"])
def enter_stage(policy_id: UUID) -> ResponseReturnValue:
    policy, _, _ = policy_or_404(policy_id)
    upcoming, cycle = next_stage(policy["stage"], policy["cycle"])

    def handle(form: Form, problems: Problems) -> Any:
        entered_on = commands.date_from(problems, form, "entered_on", "the date the stage began")
        return commands.run_after(
            problems,
            lambda app, actor: app.enter_stage(actor, policy_id, forms.text(form, "stage"), entered_on),
        )

    return form_page(
        title=f"Move on to {STAGE_LABELS[upcoming]}",
        caption=policy["title"],
        intro=f"The policy is at {STAGE_LABELS[policy['stage']]}, cycle {policy['cycle']}. "
        f"The next stage is {STAGE_LABELS[upcoming]}, cycle {cycle}.",
        fields=[
            Field("stage", "Stage", "radios", options=list(STAGE_LABELS.items())),
            Field("entered_on", "Date the stage began", "date"),
        ],
        defaults={"stage": upcoming},
        button="Record the new stage",
        handle=handle,
        done=lambda _: policy_page(policy_id),
        done_message=f"The policy moved on to {STAGE_LABELS[upcoming]}.",
        back=(policy_page(policy_id), policy["title"]),
    )


@bp.route("/policies/<uuid:policy_id>/cycles/new", methods=["GET", "POST"])
def start_new_cycle(policy_id: UUID) -> ResponseReturnValue:
    policy, _, _ = policy_or_404(policy_id)
    cycle = policy["cycle"] + 1

    def handle(form: Form, problems: Problems) -> Any:
        started_on = commands.date_from(problems, form, "started_on", "the date the new cycle started")
        return commands.run_after(
            problems,
            lambda app, actor: app.start_new_cycle(actor, policy_id, forms.text(form, "reason"), started_on),
        )

    return form_page(
        title=f"Start cycle {cycle}",
        caption=policy["title"],
        intro=f"The policy is at {STAGE_LABELS[policy['stage']]}, cycle {policy['cycle']}. A new cycle "
        f"starts at {STAGE_LABELS['co_commission']}. If cycle {policy['cycle']} has not been through "
        f"{STAGE_LABELS['co_assess']}, the stages it never reached are shown as such, and the evidence "
        "counts it as closed early.",
        fields=[
            Field(
                "reason",
                "Why does a new cycle start?",
                "textarea",
                hint="For example, 'The council restarted the policy after new statutory guidance'",
            ),
            Field("started_on", "Date the new cycle started", "date"),
        ],
        button="Start the new cycle",
        handle=handle,
        done=lambda _: policy_page(policy_id),
        done_message=f"Cycle {cycle} started.",
        back=(policy_page(policy_id), policy["title"]),
    )


@bp.route("/policies/<uuid:policy_id>/ratings/new", methods=["GET", "POST"])
def rate(policy_id: UUID) -> ResponseReturnValue:
    policy, _, meetings = policy_or_404(policy_id)

    def handle(form: Form, problems: Problems) -> Any:
        meeting_id = forms.uuid_or_none(form.get("meeting_id"))
        happened_on = (
            None
            if meeting_id
            else commands.date_from(problems, form, "happened_on", "the date of the rating")
        )
        return commands.run_after(
            problems,
            lambda app, actor: app.rate_policy(
                actor,
                policy_id,
                forms.text(form, "aspect"),
                forms.text(form, "rating"),
                forms.text(form, "comment"),
                meeting_id,
                happened_on,
            ),
        )

    return form_page(
        title="Record a RAG rating",
        caption=policy["title"],
        intro="A red, amber or green rating of the policy as it stands, as at an open meeting.",
        fields=[
            Field("aspect", "What was rated", hint="For example, 'Communication with families'"),
            Field("rating", "Rating", "radios", options=list(RAG_RATINGS.items())),
            Field("comment", "Comment", "textarea", hint="Optional. What people said about it"),
            Field(
                "meeting_id",
                "Meeting where it was rated",
                "select",
                hint="Optional. Leave as it is and give a date if it was rated elsewhere, or at a "
                f"meeting older than the {MEETINGS_OFFERED} most recent",
                options=[(m["id"], f"{m['title']}, {m['held_on']:%d %B %Y}") for m in meetings],
            ),
            Field("happened_on", "Date of the rating, if not at a meeting", "date"),
        ],
        button="Record rating",
        handle=handle,
        done=lambda _: policy_page(policy_id),
        done_message="Rating recorded.",
        back=(policy_page(policy_id), policy["title"]),
    )


@bp.route("/policies/<uuid:policy_id>/versions/new", methods=["GET", "POST"])
def publish_version(policy_id: UUID) -> ResponseReturnValue:
    policy, _, _ = policy_or_404(policy_id)

    def handle(form: Form, problems: Problems) -> Any:
        published_on = commands.date_from(problems, form, "published_on", "the date it was published")
        upload = request.files.get("document")
        content_hash = forms.text(form, "content_hash")
        if upload and upload.filename:
            # The checksum of the file itself, so the trail can show which text was published.
            content = upload.read()
            of_file = hashlib.sha256(content).hexdigest()
            if not content:
                problems.add("document", "The file chosen is empty: choose the published document")
            elif content_hash and content_hash.lower() != of_file:
                problems.add(
                    "content_hash",
                    "This checksum is not the chosen file's: leave it blank to use the file's, "
                    "or check which file was published",
                )
            content_hash = of_file
        return commands.run_after(
            problems,
            lambda app, actor: app.publish_document_version(
                actor,
                policy_id,
                forms.text(form, "title"),
                forms.text(form, "version_label"),
                content_hash,
                forms.text(form, "link"),
                published_on,
            ),
        )

    return form_page(
        title="Publish a version",
        caption=policy["title"],
        fields=[
            Field("title", "Document title"),
            Field("version_label", "Version", hint="For example, 'Draft 2' or '1.0'", width="input--date"),
            Field(
                "document",
                "The document",
                "file",
                hint="At most 20 MB. Cotrace keeps its SHA-256 checksum, not the file",
            ),
            Field("content_hash", "Or its SHA-256 checksum", hint="64 characters, 0-9 and a-f"),
            Field("link", "Where it is published", hint="Optional. A web address starting with https://"),
            Field("published_on", "Date it was published", "date"),
        ],
        defaults={"title": policy["title"]},
        button="Record the published version",
        handle=handle,
        done=lambda _: policy_page(policy_id),
        done_message="Published version recorded.",
        back=(policy_page(policy_id), policy["title"]),
    )


@bp.route("/policies/<uuid:policy_id>/adoption", methods=["GET", "POST"])
def adopt(policy_id: UUID) -> ResponseReturnValue:
    policy, _, _ = policy_or_404(policy_id)

    def handle(form: Form, problems: Problems) -> Any:
        adopted_on = commands.date_from(problems, form, "adopted_on", "the date it was adopted")
        return commands.run_after(problems, lambda app, actor: app.adopt_policy(actor, policy_id, adopted_on))

    return form_page(
        title="Record adoption",
        caption=policy["title"],
        fields=[Field("adopted_on", "Date the policy was adopted", "date")],
        button="Record adoption",
        handle=handle,
        done=lambda _: policy_page(policy_id),
        done_message="Adoption recorded.",
        back=(policy_page(policy_id), policy["title"]),
    )


@bp.route("/policies/<uuid:policy_id>/retirement", methods=["GET", "POST"])
def retire(policy_id: UUID) -> ResponseReturnValue:
    policy, _, _ = policy_or_404(policy_id)

    def handle(form: Form, problems: Problems) -> Any:
        retired_on = commands.date_from(problems, form, "retired_on", "the date it was retired")
        return commands.run_after(
            problems,
            lambda app, actor: app.retire_policy(actor, policy_id, forms.text(form, "reason"), retired_on),
        )

    return form_page(
        title="Retire the policy",
        caption=policy["title"],
        intro="A retired policy takes no more decisions or contributions. Its trail stays.",
        fields=[
            Field(
                "reason", "Why is it retired?", "textarea", hint="For example, 'Replaced by the 2027 policy'"
            ),
            Field("retired_on", "Date it was retired", "date"),
        ],
        button="Retire policy",
        handle=handle,
        done=lambda _: policy_page(policy_id),
        done_message="Retirement recorded.",
        back=(policy_page(policy_id), policy["title"]),
    )


@bp.route("/policies/<uuid:policy_id>/claims/new", methods=["GET", "POST"])
def claim(policy_id: UUID) -> ResponseReturnValue:
    policy, members, _ = policy_or_404(policy_id)

    def handle(form: Form, problems: Problems) -> Any:
        happened_on = commands.date_from(problems, form, "happened_on", "the date of the claim")
        ladder, _, rung = forms.text(form, "rung").partition(":")
        return commands.run_after(
            problems,
            lambda app, actor: app.claim_participation_level(
                actor,
                policy_id,
                forms.text(form, "activity"),
                rung,
                forms.uuid_or_none(form.get("claimed_by")),
                happened_on,
                stage=forms.text(form, "stage") or None,
                ladder=ladder or "wokingham",
            ),
        )

    return form_page(
        title="Record a claimed rung",
        caption=policy["title"],
        intro="A claim about how an activity involved people. Cotrace compares it with what the "
        "events show, and flags a claim higher than the evidence.",
        fields=[
            Field("activity", "Activity", hint="For example, 'Drafting workshop'"),
            Field("stage", "Stage", "radios", options=list(STAGE_LABELS.items())),
            Field(
                "rung",
                "Rung claimed",
                "radios",
                hint="Wokingham's ladder, or Hart's ladder for children and young people",
                options=RUNG_OPTIONS,
            ),
            Field("claimed_by", "Who makes the claim", "select", options=member_options(members)),
            Field("happened_on", "Date of the claim", "date"),
        ],
        defaults={"stage": policy["stage"]},
        button="Record claim",
        handle=handle,
        done=lambda _: policy_page(policy_id),
        done_message="Claim recorded.",
        back=(policy_page(policy_id), policy["title"]),
    )
