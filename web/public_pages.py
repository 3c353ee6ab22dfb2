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

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from cotrace import levels, published_verdicts
from projections import reads, transparency_pages
from projections.keyset import encode
from projections.proofs import proofs as named_proofs
from web import commands, paging
from web.evidence_pages import PROOFS_SHOWN, shown_refs
from web.policies import TIMELINE_CYCLES

bp = Blueprint("public", __name__)


# Rows of each list the public page shows at a time (decisions, responses); its stage timeline
# shows as many cycles as the policy page does, unless every cycle is asked for.
PUBLIC_ROWS = 50


@bp.get("/public/policies/<uuid:policy_id>")
def policy(policy_id: UUID) -> ResponseReturnValue:
    today = commands.today()
    decisions_from = paging.cursor(transparency_pages.DECISION_KEYS, prefix="decisions_", anchor="decisions")
    responses_from = paging.cursor(
        transparency_pages.RESPONSE_KEYS, prefix="responses_", anchor="you-said-we-did"
    )
    every_cycle = request.args.get("cycles") == "all"
    with commands.reading() as conn:
        found = transparency_pages.published_policy(conn, policy_id)
        if found is None:
            abort(404)  # unpublished looks like unknown: the public learns nothing of it
        if every_cycle:
            stages = reads.policy_stages(conn, policy_id)
        else:
            stages = reads.policy_stages_of_latest_cycles(conn, policy_id, TIMELINE_CYCLES)
        decisions = transparency_pages.public_decisions_page(conn, policy_id, PUBLIC_ROWS, decisions_from)
        responses = transparency_pages.public_responses_page(conn, policy_id, PUBLIC_ROWS, responses_from)
        started = transparency_pages.started_ref(conn, policy_id)
        # The whole policy's verdict as of today, as the evidence page gives it by default: kept
        # (cotrace/published_verdicts.py), not judged afresh from every fact on each view.
        judged = levels.judged_by(conn, policy_id)
        view = published_verdicts.View(today)
        kept = published_verdicts.verdicts(
            conn,
            commands.services().engine,
            policy_id,
            view,
            judged.thresholds,
            keep=request.method != "HEAD",
        )
        whole = kept.assessments[0] if kept else levels.assessments(conn, policy_id, today, None)[0]
        shown = [ref for v in whole.verdicts for ref in shown_refs(v.refs)]
        proofs = named_proofs(conn, shown, with_words=False)
        elsewhere = transparency_pages.public_facts_among(conn, policy_id, shown)
        counts = transparency_pages.response_counts(conn, policy_id)
    # Where each proof shown links: its fact on this page, or the page of its list that holds it.
    on_page = {row["position"] for row in (*stages, *decisions.rows, *responses.rows)} | {started}
    anchors = {ref: f"#fact-{ref}" for ref in on_page}
    for ref, kind in elsewhere.items():
        if ref in anchors:
            continue
        if kind == "stage":  # a stage of an earlier cycle: on the page of every cycle
            anchors[ref] = url_for("public.policy", policy_id=policy_id, cycles="all", _anchor=f"fact-{ref}")
        else:
            prefix = "decisions_" if kind == "decision" else "responses_"
            anchors[ref] = paging.page_url(prefix, after=encode((ref - 1,)), anchor=f"fact-{ref}")
    return render_template(
        "public_policy.html",
        policy=found,
        stages=stages,
        current=stages[-1] if stages else None,
        earlier_cycles=0 if every_cycle or not stages else stages[0]["cycle"] - 1,
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
        proofs_shown=PROOFS_SHOWN,
        today=today,
        address=url_for("public.policy", policy_id=policy_id, _external=True),
    )
