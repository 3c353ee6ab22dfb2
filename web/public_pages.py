"""A policy's public transparency page, for anyone, without signing in: the answer to the public's
question, "what has this partnership decided with us?" (DESIGN.md), once the partnership publishes it.

It shows the stages and cycles, the decisions (how each was taken, and the stakeholder groups of
those who took it), "you said, we did" and the evidenced level with its seven criteria. It never
shows a name, a pseudonym or a contributor's words: Cotrace records no consent to publish what
someone said, so the public reads the partnership's responses, never the contributions themselves
(the queries are in projections/transparency_pages.py, and read no column that names a person).
Every link on it stays on public pages: the proofs of the verdicts land on the facts it shows.
"""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, render_template, url_for
from flask.typing import ResponseReturnValue

from cotrace import levels
from projections import reads, transparency_pages
from web import commands

bp = Blueprint("public", __name__)


@bp.get("/public/policies/<uuid:policy_id>")
def policy(policy_id: UUID) -> ResponseReturnValue:
    today = commands.today()
    with commands.reading() as conn:
        found = transparency_pages.published_policy(conn, policy_id)
        if found is None:
            abort(404)  # unpublished looks like unknown: the public learns nothing of it
        stages = reads.policy_stages(conn, policy_id)
        decisions = transparency_pages.public_decisions(conn, policy_id)
        responses = transparency_pages.public_responses(conn, policy_id)
        started = transparency_pages.started_ref(conn, policy_id)
        # The whole policy's verdict as of today, as the evidence page gives it by default.
        whole = levels.assessments(conn, policy_id, today, None)[0]
        judged = levels.judged_by(conn, policy_id)
        proofs = levels.proofs_of(conn, [whole], with_words=False)
        counts = transparency_pages.response_counts(conn, policy_id)
    # The facts this page shows, by position in the log: where a verdict's proof links can land.
    anchors = {row["position"] for row in (*stages, *decisions, *responses)} | {started}
    return render_template(
        "public_policy.html",
        policy=found,
        stages=stages,
        current=stages[-1] if stages else None,
        milestones={"adopted_on": found["adopted_on"], "retired_on": found["retired_on"]},
        started_ref=started,
        decisions=decisions,
        counts=counts,
        responses=responses,
        whole=whole,
        judged=judged,
        proofs=proofs,
        anchors=anchors,
        anchor_facts=True,
        today=today,
        address=url_for("public.policy", policy_id=policy_id, _external=True),
    )
