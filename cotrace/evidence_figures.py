"""The figures the level page draws, taken from a policy's facts (the same facts the verdicts judge).

Each function returns a `Chart`: web/charts.py draws the SVG and the table beside it from the same
one. They live in the application layer, beside the verdicts, so that they are kept with them
(cotrace/published_verdicts.py) and a page reads them without reading every fact. Each chart has a
bounded number of bars, whatever the number of facts. Figures are about groups and stages, never
about a person (seed 002); the charts by stage draw the last DRAWN_CYCLES cycles.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date
from statistics import median
from typing import Any

from domain.dates import format_date
from domain.evidence import PolicyFacts, plural
from domain.vocabulary import RESPONSES, STAKEHOLDER_GROUPS, group_label, stage_label

AWAITING = "Awaiting a response"
# Up to this many citizen contributions are drawn one bar each; more are counted by how long each
# waited, so the chart and its table stay the same size however many there are.
ONE_BAR_EACH = 20
# The charts drawn per stage draw the stages of the last few cycles: a policy goes round the Iriss
# cycle year after year, and one bar a stage of every cycle grew the page with its age (58 KiB for
# 24 cycles). The cycles' own levels are listed below the charts, a page of them at a time.
DRAWN_CYCLES = 3
WAITS = ((7, "a week or less"), (14, "8 to 14 days"), (28, "15 to 28 days"), (56, "29 to 56 days"),
         (91, "57 to 91 days"))  # fmt: skip


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # what is drawn
    text: str  # what is written: the value in words, e.g. "3 of 4 (75%)"
    # What the bar is one of (a stage, a response, a group, "answered" or "waiting"), which its
    # colour and pattern say again; "" in charts kept before bars had one (all drawn alike).
    key: str = ""


@dataclass(frozen=True)
class Chart:
    id: str  # unique on its page: the SVG's title and description take their ids from it
    title: str
    desc: str
    label_heading: str
    value_heading: str
    bars: tuple[Bar, ...]
    maximum: float | None = None  # the value a full-length bar stands for; the largest by default


def chart_as_json(chart: Chart) -> dict[str, Any]:
    return asdict(chart)


def chart_from_json(values: dict[str, Any]) -> Chart:
    return Chart(**{**values, "bars": tuple(Bar(**b) for b in values["bars"])})


def _recent_stages(facts: PolicyFacts) -> tuple[list[Any], str]:
    """The stages of the policy's last DRAWN_CYCLES cycles, and a sentence saying so when there are
    earlier ones (each cycle's section of the page has its own level and link)."""
    cycles = sorted({s.cycle for s in facts.stages})
    drawn = set(cycles[-DRAWN_CYCLES:])
    if len(cycles) <= DRAWN_CYCLES:
        return list(facts.stages), ""
    return [s for s in facts.stages if s.cycle in drawn], (
        f" Drawn for its last {DRAWN_CYCLES} cycles, {min(drawn)} to {max(drawn)}, of {len(cycles)}: "
        "the earlier cycles are listed below the charts."
    )


def stage_timeline(facts: PolicyFacts) -> Chart:
    stages, drawn = _recent_stages(facts)
    bars = tuple(
        Bar(
            f"Cycle {s.cycle}, {stage_label(s.stage)}",
            (s.entered_on - facts.started_on).days,
            f"entered {format_date(s.entered_on)}, day {(s.entered_on - facts.started_on).days}",
            s.stage,
        )
        for s in stages
    )
    return Chart(
        "chart-timeline",
        "Stages entered, across cycles",
        f"Each stage the policy has entered, placed by the days since it started on "
        f"{format_date(facts.started_on)}: {plural(len(facts.stages), 'stage')} so far.{drawn}",
        "Stage",
        "Entered",
        bars,
    )


def citizen_decision_share(facts: PolicyFacts) -> Chart:
    stages, drawn = _recent_stages(facts)
    by_stage: dict[tuple[int, str], list[Any]] = {}
    for d in facts.decisions:
        by_stage.setdefault((d.cycle, d.stage), []).append(d)
    bars = []
    for s in stages:
        decisions = by_stage.get((s.cycle, s.stage), [])
        with_citizen = sum(1 for d in decisions if d.has_citizen_maker)
        share = with_citizen / len(decisions) if decisions else 0
        text = f"{with_citizen} of {len(decisions)} ({share:.0%})" if decisions else "no decision yet"
        bars.append(Bar(f"Cycle {s.cycle}, {stage_label(s.stage)}", round(share * 100), text, s.stage))
    return Chart(
        "chart-decision-makers",
        "Decisions with a citizen among the decision makers, per stage",
        "For each stage, the share of its decisions that had a home educator, parent carer or "
        f"young person among those who took them.{drawn}",
        "Stage",
        "Decisions with a citizen decision maker",
        tuple(bars),
        maximum=100,
    )


def contributions_by_response(facts: PolicyFacts) -> Chart:
    citizen = [c for c in facts.contributions if c.by_citizen]
    counts = Counter(c.response for c in citizen)
    bars = [
        Bar(label, counts.get(code, 0), str(counts.get(code, 0)), code) for code, label in RESPONSES.items()
    ]
    bars.append(Bar(AWAITING, counts.get(None, 0), str(counts.get(None, 0)), "awaiting"))
    return Chart(
        "chart-responses",
        "Citizens' contributions by response",
        f"How the {plural(len(citizen), 'contribution')} from citizens were answered: "
        + ", ".join(f"{b.label.lower()} {b.text}" for b in bars)
        + ".",
        "Response",
        "Contributions",
        tuple(bars),
    )


def response_times(facts: PolicyFacts, day: date) -> Chart:
    """Days from each citizen contribution to its response, or, unanswered, to `day`."""
    citizen = sorted((c for c in facts.contributions if c.by_citizen), key=lambda c: c.ref)
    bars, answered, waited = [], [], []
    for number, c in enumerate(citizen, start=1):
        label = f"Contribution {number}, {stage_label(c.stage)}"
        if c.responded_on is not None:
            days = (c.responded_on - c.happened_on).days
            answered.append(days)
            bars.append(Bar(label, days, f"answered in {plural(days, 'day')}", "answered"))
        else:
            days = max((day - c.happened_on).days, 0)
            waited.append(days)
            bars.append(Bar(label, days, f"waiting {plural(days, 'day')} so far", "waiting"))
    if len(citizen) > ONE_BAR_EACH:
        bars = [*_by_wait("Answered", "answered", answered), *_by_wait("Still waiting", "waiting", waited)]
    if answered:
        summary = (
            f"Median time to a response {plural(round(median(answered)), 'day')}, "
            f"longest {plural(max(answered), 'day')}"
        )
    else:
        summary = "No contribution from citizens has been answered yet"
    waiting = len(citizen) - len(answered)
    return Chart(
        "chart-response-times",
        "Days from a citizen's contribution to its response",
        f"{summary}; {waiting} still waiting. "
        + (
            "Contributions are numbered in the order they were recorded."
            if len(citizen) <= ONE_BAR_EACH
            else "Contributions are counted by how long they waited."
        ),
        "Contribution" if len(citizen) <= ONE_BAR_EACH else "Time to a response",
        "Days to a response" if len(citizen) <= ONE_BAR_EACH else "Contributions",
        tuple(bars),
    )


def _by_wait(what: str, key: str, waits: list[int]) -> list[Bar]:
    """How many contributions waited how long, in bands of days: one bar a band, never one a fact."""
    bars, below = [], -1
    for most, band in (*WAITS, (None, f"more than {WAITS[-1][0]} days")):
        count = sum(1 for w in waits if w > below and (most is None or w <= most))
        bars.append(Bar(f"{what}, {band}", count, plural(count, "contribution"), key))
        below = most if most is not None else below
    return bars


def attendance_by_group(facts: PolicyFacts) -> Chart:
    """Who was present when decisions were taken at meetings, counted per decision, as the balance
    criterion counts it."""
    counts = Counter(g for d in facts.decisions if not d.outside_meeting for g in d.present_groups)
    total = sum(counts.values())
    bars = tuple(
        Bar(group_label(code), counts[code], f"{counts[code]} ({counts[code] / total:.0%})", code)
        for code in STAKEHOLDER_GROUPS
        if counts.get(code)
    )
    return Chart(
        "chart-attendance",
        "Attendance by stakeholder group when decisions were taken",
        f"Places taken at the meetings where this policy's decisions were made, one per person per "
        f"decision: {total} in all.",
        "Stakeholder group",
        "Present (share)",
        bars,
    )


def all_charts(facts: PolicyFacts, day: date) -> list[tuple[Chart, str]]:
    """Every chart of the level page, with how to draw it ('bar' or 'timeline')."""
    return [
        (stage_timeline(facts), "timeline"),
        (citizen_decision_share(facts), "bar"),
        (contributions_by_response(facts), "bar"),
        (response_times(facts, day), "bar"),
        (attendance_by_group(facts), "bar"),
    ]
