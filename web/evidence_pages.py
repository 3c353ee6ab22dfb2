"""The evidence of co-production, for people: a policy's level page, and a partnership's dashboard.

Both read the evidence projection only, and compute the verdicts when read (domain/evidence/),
because whether a response is late depends on the day. Neither names or scores a person (seed 002).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

from cotrace import levels, portfolio
from domain.errors import Problems
from domain.evidence import assess_policy
from projections import evidence, reads, thresholds
from web import commands
from web.as_of import AsOf, read_as_of
from web.charts import bar_chart, data_table, timeline_chart
from web.evidence_charts import all_charts

bp = Blueprint("evidence", __name__)

DRAW = {"bar": bar_chart, "timeline": timeline_chart}


@bp.get("/policies/<uuid:policy_id>/evidence")
def policy_level(policy_id: UUID) -> ResponseReturnValue:
    today = commands.today()
    as_of, errors = _as_of(today)
    with commands.reading() as conn:
        policy = reads.policy(conn, policy_id)
        facts = evidence.policy_facts(conn, policy_id)
        if policy is None or facts is None:
            abort(404)
        partnership = reads.partnership(conn, policy["partnership_id"])
        judged = thresholds.judged_by(conn, policy["partnership_id"], as_of.day, as_of.as_recorded)
        found = assess_policy(facts, today, as_of.day, judged.thresholds, as_of.reading)
        # Every verdict's events, named and dated, in one query; the links go to the trail unfiltered,
        # where every row of the policy is, whatever the day the page is seen as of.
        proofs = levels.proofs_of(conn, found)
    day = as_of.day or today
    known = facts.as_of(as_of.day, as_of.reading) if as_of.day else facts
    charts = [(chart, DRAW[kind](chart), data_table(chart)) for chart, kind in all_charts(known, day)]
    page = render_template(
        "evidence_policy.html",
        policy=policy,
        partnership=partnership,
        judged=judged,
        whole=found[0] if found else None,  # none: as of a day before the policy started
        cycles=_by_cycle(found[1:]),
        proofs=proofs,
        charts=charts if found else [],
        day=day,
        today=today,
        as_of=as_of,
        values=request.args,
        errors=errors,
    )
    return page, 422 if errors else 200


@bp.get("/partnerships/<uuid:partnership_id>/dashboard")
def dashboard(partnership_id: UUID) -> ResponseReturnValue:
    today = commands.today()
    as_of, errors = _as_of(today)
    with commands.reading() as conn:
        partnership = reads.partnership(conn, partnership_id)
        if partnership is None:
            abort(404)
        facts = [
            evidence.policy_facts(conn, p) for p in evidence.partnership_policy_ids(conn, partnership_id)
        ]
        judged = thresholds.judged_by(conn, partnership_id, as_of.day, as_of.as_recorded)
    lines = [
        portfolio.policy_line(f, today, judged.thresholds, as_of.day, as_of.reading)
        for f in facts
        if f is not None
    ]
    page = render_template(
        "evidence_dashboard.html",
        partnership=partnership,
        lines=lines,
        rungs=portfolio.rung_counts(lines),
        attention=[line for line in lines if line.attention],
        judged=judged,
        today=today,
        day=as_of.day or today,
        as_of=as_of,
        values=request.args,
        errors=errors,
    )
    return page, 422 if errors else 200


def _as_of(today: date) -> tuple[AsOf, dict[str, str]]:
    """The day and reading asked for (today when none), and a message for a day that cannot be right."""
    problems = Problems()
    as_of = read_as_of(problems, request.args, today, "The date", "the date to see the evidence as of")
    return as_of, problems.by_field()


def _by_cycle(found: list) -> list[tuple]:
    """Each cycle's own assessment, followed by its stages' ones (assess_policy lists them so)."""
    cycles: list[tuple] = []
    for assessment in found:
        if assessment.scope.stage is None:
            cycles.append((assessment, []))
        else:
            cycles[-1][1].append(assessment)
    return cycles
