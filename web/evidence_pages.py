"""The evidence of co-production, for people: a policy's level page, and a partnership's dashboard.

Both read the verdicts kept for the day, the reading and the thresholds asked for
(cotrace/published_verdicts.py), computed from the evidence projection's facts the first time they
are asked for after a change. Each verdict names its first few events, with a link to the trail for
the rest, and the charts have a bounded number of bars, so the page's size does not grow with the
policy's facts. Neither names or scores a person (seed 002).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

from cotrace import portfolio, published_verdicts
from domain.errors import Problems
from projections import evidence, reads, thresholds
from projections.proofs import proofs
from web import commands, paging
from web.as_of import AsOf, read_as_of
from web.charts import bar_chart, data_table, timeline_chart

bp = Blueprint("evidence", __name__)

DRAW = {"bar": bar_chart, "timeline": timeline_chart}


# How many of a verdict's events it names; the trail, filtered to its stage and day, has the rest.
PROOFS_SHOWN = 5
# How many flags, and how many claims of one policy on the dashboard, are listed before "and N more".
LISTED = 10
# The dashboard's policies a page at a time, by title: a page a person can read, whatever the
# partnership's size (web/paging.py keeps the "as of" day and reading in its links).
POLICIES_SHOWN = 25


@bp.get("/policies/<uuid:policy_id>/evidence")
def policy_level(policy_id: UUID) -> ResponseReturnValue:
    today = commands.today()
    as_of, errors = _as_of(today)
    with commands.reading() as conn:
        policy = reads.policy(conn, policy_id)
        if policy is None:
            abort(404)
        partnership = reads.partnership(conn, policy["partnership_id"])
        judged = thresholds.judged_by(conn, policy["partnership_id"], as_of.day, as_of.as_recorded)
        view = published_verdicts.View(today, as_of.day, as_of.reading)
        kept = published_verdicts.verdicts(
            conn, commands.services().engine, policy_id, view, judged.thresholds, keep=_may_keep()
        )
        if kept is None:
            abort(404)
        found = kept.assessments
        # The events each verdict names, named and dated, in one query; the links go to the trail
        # unfiltered, where every row of the policy is, whatever the day the page is seen as of.
        named = proofs(conn, (ref for a in found for v in a.verdicts for ref in shown_refs(v.refs)))
    charts = [(chart, DRAW[kind](chart), data_table(chart)) for chart, kind in kept.charts]
    cycles = _by_cycle(found[1:])
    page = render_template(
        "evidence_policy.html",
        policy=policy,
        partnership=partnership,
        judged=judged,
        whole=found[0] if found else None,  # none: as of a day before the policy started
        cycles=cycles,
        shown_cycle=_shown_cycle(cycles),
        proofs=named,
        proofs_shown=PROOFS_SHOWN,
        listed=LISTED,
        charts=charts,
        day=as_of.day or today,
        today=today,
        as_of=as_of,
        values=request.args,
        errors=errors,
    )
    return page, 422 if errors else 200


def shown_refs(refs: tuple[int, ...]) -> list[int]:
    """The events a verdict names on the page: its first few, each once."""
    return refs_shown(refs, PROOFS_SHOWN)[0]


@bp.app_template_global()
def refs_shown(refs: tuple[int, ...], shown: int | None = None) -> tuple[list[int], int]:
    """A verdict's events, each once: the first `shown` of them (all when None), and how many more
    there are. Thousands for a large policy: counted here, not by a template's loop."""
    unique = list(dict.fromkeys(refs))
    if shown is None:
        return unique, 0
    return unique[:shown], max(0, len(unique) - shown)


@bp.get("/partnerships/<uuid:partnership_id>/dashboard")
def dashboard(partnership_id: UUID) -> ResponseReturnValue:
    today = commands.today()
    as_of, errors = _as_of(today)
    policies_from = paging.cursor(reads.POLICY_KEYS, prefix="policies_", anchor="policies")
    with commands.reading() as conn:
        partnership = reads.partnership(conn, partnership_id)
        if partnership is None:
            abort(404)
        judged = thresholds.judged_by(conn, partnership_id, as_of.day, as_of.as_recorded)
        view = published_verdicts.View(today, as_of.day, as_of.reading)
        # The counts per rung and of the policies needing attention are the partnership's whole:
        # each policy's kept line, read in one query. The table lists a page of them.
        lines = published_verdicts.lines(
            conn,
            commands.services().engine,
            evidence.partnership_policy_ids(conn, partnership_id),
            view,
            judged.thresholds,
            keep=_may_keep(),
        )
        policies_page = reads.partnership_policies_page(conn, partnership_id, POLICIES_SHOWN, policies_from)
    by_id = {line.id: line for line in lines}
    shown = [by_id[row["id"]] for row in policies_page.rows if row["id"] in by_id]
    page = render_template(
        "evidence_dashboard.html",
        partnership=partnership,
        lines=shown,
        policies_page=policies_page,
        rungs=portfolio.rung_counts(lines),
        attention=[line for line in shown if line.attention],
        attention_count=sum(1 for line in lines if line.attention),
        listed=LISTED,
        judged=judged,
        today=today,
        day=as_of.day or today,
        as_of=as_of,
        values=request.args,
        errors=errors,
    )
    return page, 422 if errors else 200


def _may_keep() -> bool:
    """Whether the page may keep the verdicts it computed: not for a HEAD request, which writes nothing."""
    return request.method != "HEAD"


def _as_of(today: date) -> tuple[AsOf, dict[str, str]]:
    """The day and reading asked for (today when none), and a message for a day that cannot be right."""
    problems = Problems()
    as_of = read_as_of(problems, request.args, today, "The date", "the date to see the evidence as of")
    return as_of, problems.by_field()


def _shown_cycle(cycles: list[tuple]) -> int | None:
    """The cycle whose criteria and stages the page shows in full: the one the address asks for
    (`?cycle=N`), or the latest. The others show their level and a link, so the page does not grow
    with the number of cycles."""
    numbers = [cycle.scope.cycle for cycle, _ in cycles]
    asked = request.args.get("cycle", "")
    if asked.isdigit() and int(asked) in numbers:
        return int(asked)
    return numbers[-1] if numbers else None


def _by_cycle(found: list) -> list[tuple]:
    """Each cycle's own assessment, followed by its stages' ones (assess_policy lists them so)."""
    cycles: list[tuple] = []
    for assessment in found:
        if assessment.scope.stage is None:
            cycles.append((assessment, []))
        else:
            cycles[-1][1].append(assessment)
    return cycles
