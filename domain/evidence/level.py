"""The level of co-production a policy reached, for the whole policy, each cycle and each stage.

Needham & Carr's three levels, as seed 000 (Educational Freedom, *Co-Production Guidelines* for Elective
Home Education) gives them: basic, intermediate and transformational. The level follows from the seven
criteria's verdicts, never from a level anyone typed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.evidence.criteria import (
    balance,
    from_conception,
    influence,
    key_decision_makers,
    no_doing_to,
    not_after_the_fact,
    whole_cycle,
)
from domain.evidence.facts import AS_HAPPENED, PolicyFacts
from domain.evidence.thresholds import DEFAULT_THRESHOLDS, Thresholds
from domain.evidence.verdicts import FAIL, IN_PROGRESS, NOT_APPLICABLE, PASS, Scope, Verdict

LEVELS = ("basic", "intermediate", "transformational")


@dataclass(frozen=True)
class Assessment:
    scope: Scope
    level: str
    verdicts: tuple[Verdict, ...]
    reasons: tuple[str, ...] = field(default=())


def assess(
    facts: PolicyFacts, scope: Scope, today: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Assessment:
    """The level of co-production for one scope (Needham & Carr, seed 000), with every verdict.

    basic: citizens had no input beyond being informed: no citizen contribution, no citizen decision
    maker, no citizen present when a decision was taken. transformational: criteria 1-5 and 7 pass
    for the stages so far, and criterion 6 has not failed. intermediate: everything between.
    """
    scoped = facts.scoped(scope.cycle, scope.stage)
    verdicts = (
        from_conception(facts if scope.stage is None else scoped, scope),
        key_decision_makers(scoped, scope, thresholds),
        not_after_the_fact(scoped, scope),
        influence(scoped, scope, today, thresholds),
        balance(scoped, scope, thresholds),
        whole_cycle(facts, scope),
        no_doing_to(scoped, scope),
    )
    # DESIGN's "basic" names exactly three absences; who initiated the policy is criterion 1's to judge.
    any_input = any(c.by_citizen for c in scoped.contributions) or any(
        d.has_citizen_maker or d.citizens_present for d in scoped.decisions
    )
    core = [v for v in verdicts if v.criterion != "whole_cycle"]
    whole = next(v for v in verdicts if v.criterion == "whole_cycle")
    if not any_input:
        level = "basic"
        reasons = ("No citizen contributed, decided, or was present when a decision was taken",)
    elif all(v.status in (PASS, NOT_APPLICABLE) for v in core) and whole.status != FAIL:
        level = "transformational"
        reasons = ("Criteria 1-5 and 7 pass, and the cycle has not been cut short",)
    else:
        level = "intermediate"
        reasons = tuple(
            f"{v.title}: {v.status.replace('_', ' ')}"
            for v in verdicts
            if v.status in (FAIL, IN_PROGRESS) and (v is not whole or v.status == FAIL)
        )
    return Assessment(scope, level, verdicts, reasons)


def assess_policy(
    facts: PolicyFacts,
    today: date,
    as_of: date | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    reading: str = AS_HAPPENED,
) -> list[Assessment]:
    """The whole policy, each cycle, and each stage reached, as of a day (today by default) in one
    of the two readings (as it happened by default), judged by the thresholds given (the defaults
    if none are). None at all as of a day before the policy started: it had not started."""
    if as_of is not None and not facts.has_started(as_of, reading):
        return []
    known = facts.as_of(as_of, reading) if as_of else facts
    day = as_of or today
    scopes = [Scope()]
    for cycle in sorted({s.cycle for s in known.stages}):
        scopes.append(Scope(cycle))
        scopes.extend(Scope(cycle, s.stage) for s in known.stages if s.cycle == cycle)
    return [assess(known, scope, day, thresholds) for scope in scopes]
