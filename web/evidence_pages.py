"""The evidence of co-production, for people: a policy's level page, and a partnership's dashboard.

Both read the evidence projection only, and compute the verdicts when read (domain/evidence/),
because whether a response is late depends on the day. Neither names or scores a person (seed 002).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

from cotrace import portfolio
from domain.dates import check_not_in_future
from domain.errors import Problems, RulesBroken
from domain.evidence import assess_policy
from projections import evidence, reads
from projections.proofs import proofs as proof_labels
from web import commands, forms
from web.charts import bar_chart, data_table, timeline_chart
from web.evidence_charts import all_charts

bp = Blueprint("evidence", __name__)

DRAW = {"bar": bar_chart, "timeline": timeline_chart}


@bp.get("/policies/<uuid:policy_id>/evidence")
def policy_level(policy_id: UUID) -> ResponseReturnValue:
    today = commands.today()
    errors: dict[str, str] = {}
    try:
        as_of = _as_of(today)
    except RulesBroken as broken:
        errors, as_of = broken.by_field(), None
    with commands.reading() as conn:
        policy = reads.policy(conn, policy_id)
        facts = evidence.policy_facts(conn, policy_id)
        if policy is None or facts is None:
            abort(404)
        partnership = reads.partnership(conn, policy["partnership_id"])
        found = assess_policy(facts, today, as_of)
        # Every verdict's events, named and dated, in one query; the links go to the trail unfiltered,
        # where every row of the policy is, whatever the day the page is seen as of.
        proofs = proof_labels(conn, (ref for a in found for v in a.verdicts for ref in v.refs))
    day = as_of or today
    known = facts.as_of(as_of) if as_of else facts
    charts = [(chart, DRAW[kind](chart), data_table(chart)) for chart, kind in all_charts(known, day)]
    page = render_template(
        "evidence_policy.html",
        policy=policy,
        partnership=partnership,
        whole=found[0],
        cycles=_by_cycle(found[1:]),
        proofs=proofs,
        charts=charts,
        day=day,
        today=today,
        values={"as_of": request.args.get("as_of", "")},
        errors=errors,
    )
    return page, 422 if errors else 200


@bp.get("/partnerships/<uuid:partnership_id>/dashboard")
def dashboard(partnership_id: UUID) -> ResponseReturnValue:
    today = commands.today()
    with commands.reading() as conn:
        partnership = reads.partnership(conn, partnership_id)
        if partnership is None:
            abort(404)
        facts = [
            evidence.policy_facts(conn, p) for p in evidence.partnership_policy_ids(conn, partnership_id)
        ]
    lines = [portfolio.policy_line(f, today) for f in facts if f is not None]
    return render_template(
        "evidence_dashboard.html",
        partnership=partnership,
        lines=lines,
        rungs=portfolio.rung_counts(lines),
        attention=[line for line in lines if line.attention],
        today=today,
    )


def _as_of(today: date) -> date | None:
    """The day asked for, or None for today; a date that cannot be right raises RulesBroken."""
    if not forms.text(request.args, "as_of"):
        return None
    problems = Problems()
    day = forms.a_date(problems, request.args, "as_of", "the date to see the evidence as of")
    if day is not None:
        check_not_in_future(problems, "as_of", day, today, "The date")
    problems.raise_if_any()
    return day


def _by_cycle(found: list) -> list[tuple]:
    """Each cycle's own assessment, followed by its stages' ones (assess_policy lists them so)."""
    cycles: list[tuple] = []
    for assessment in found:
        if assessment.scope.stage is None:
            cycles.append((assessment, []))
        else:
            cycles[-1][1].append(assessment)
    return cycles
