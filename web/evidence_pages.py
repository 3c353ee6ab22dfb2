"""The evidence of co-production, for people: a policy's level page, and a partnership's dashboard.

Both read the verdicts kept for the day, the reading and the thresholds asked for
(cotrace/published_verdicts.py), computed from the evidence projection's facts the first time they
are asked for after a change. Each verdict names its first few events, with a link to the trail for
the rest, and the charts have a bounded number of bars, so the page's size does not grow with the
policy's facts. Neither names or scores a person (seed 002).
"""

from __future__ import annotations

from dataclasses import dataclass
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
# In a stage's details, fewer: four stages of seven criteria each named five, a third of the page.
STAGE_PROOFS_SHOWN = 2
# How many flags, and how many claims of one policy on the dashboard, are listed before "and N more".
LISTED = 10
# The dashboard's policies a page at a time, by title: a page a person can read, whatever the
# partnership's size (web/paging.py keeps the "as of" day and reading in its links).
POLICIES_SHOWN = 25
# The cycles of a policy listed a page at a time, the latest first shown (each its level and the
# reasons for it; the one shown in full adds its criteria and stages).
CYCLES_SHOWN = 5


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
        cycles = _by_cycle(found[1:])
        shown_cycle = _shown_cycle(cycles)
        window = _cycles_window(cycles, shown_cycle)
        # The events each verdict shown in full names (the whole policy's, the cycle shown's and
        # its stages'), named and dated, in one query; the links go to the trail unfiltered, where
        # every row of the policy is, whatever the day the page is seen as of.
        in_full = [*found[:1], *(a for c, more in cycles if c.scope.cycle == shown_cycle for a in (c, *more))]
        named = proofs(conn, (ref for a in in_full for v in a.verdicts for ref in shown_refs(v.refs)))
    charts = [(chart, DRAW[kind](chart), data_table(chart)) for chart, kind in kept.charts]
    page = render_template(
        "evidence_policy.html",
        policy=policy,
        partnership=partnership,
        judged=judged,
        whole=found[0] if found else None,  # none: as of a day before the policy started
        cycles=window.cycles,
        cycles_window=window,
        CYCLES_SHOWN=CYCLES_SHOWN,
        shown_cycle=shown_cycle,
        proofs=named,
        proofs_shown=PROOFS_SHOWN,
        stage_proofs_shown=STAGE_PROOFS_SHOWN,
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
    if shown is None:
        return list(dict.fromkeys(refs)), 0
    first: list[int] = []
    seen: set[int] = set()
    for ref in refs:  # the first few, without ordering the thousands after them
        if ref not in seen:
            seen.add(ref)
            first.append(ref)
            if len(first) == shown:
                return first, len(set(refs)) - shown
    return first, 0


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


@dataclass(frozen=True)
class CyclesWindow:
    """The cycles a page lists (CYCLES_SHOWN of them, the latest unless the address asks for
    earlier ones), and where the pages either side end: a policy goes round the Iriss cycle year
    after year, and listing every cycle grew the page with its age."""

    cycles: list[tuple]
    first: int  # the numbers of the cycles listed, and of all
    last: int
    total: int
    earlier_to: int | None  # `cycles_to` of the page of earlier cycles, None on the first
    later_to: int | None


def _cycles_window(cycles: list[tuple], shown_cycle: int | None) -> CyclesWindow:
    """The window ends at the cycle `?cycles_to=N` names; else it holds the cycle a link asks to
    show in full (`?cycle=N`); else it ends at the latest."""
    numbers = [cycle.scope.cycle for cycle, _ in cycles]
    if not numbers:
        return CyclesWindow([], 0, 0, 0, None, None)
    asked = request.args.get("cycles_to", "")
    if asked.isdigit() and int(asked) >= numbers[0]:
        end = min(int(asked), numbers[-1])
    elif request.args.get("cycle") and shown_cycle is not None:  # a link to one cycle: it is listed
        end = min(shown_cycle + CYCLES_SHOWN - 1, numbers[-1])
    else:
        end = numbers[-1]
    listed = [(c, stages) for c, stages in cycles if end - CYCLES_SHOWN < c.scope.cycle <= end]
    first = listed[0][0].scope.cycle
    return CyclesWindow(
        listed,
        first,
        end,
        len(numbers),
        first - 1 if first > numbers[0] else None,
        min(end + CYCLES_SHOWN, numbers[-1]) if end < numbers[-1] else None,
    )


def _by_cycle(found: list) -> list[tuple]:
    """Each cycle's own assessment, followed by its stages' ones (assess_policy lists them so)."""
    cycles: list[tuple] = []
    for assessment in found:
        if assessment.scope.stage is None:
            cycles.append((assessment, []))
        else:
            cycles[-1][1].append(assessment)
    return cycles
