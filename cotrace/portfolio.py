"""A partnership's policies at a glance, in the shape of Wokingham's reporting template (seed 004):
each policy with its stage, its evidenced level and the rungs claimed for it, how many claims sit on
each rung, and which policies need attention and why.

Seed 004: "If you notice that there are a lot of areas at the same level of co-production, consider
why this might be". The counts per rung are there to prompt that question; the levels are evidenced,
not typed in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.evidence import (
    AS_HAPPENED,
    DEFAULT_THRESHOLDS,
    FAIL,
    Assessment,
    PolicyFacts,
    Thresholds,
    assess_policy,
)
from domain.vocabulary import LADDERS, rung


@dataclass(frozen=True)
class Claimed:
    activity: str
    ladder: str
    rung: str
    label: str


@dataclass(frozen=True)
class PolicyLine:
    id: UUID
    title: str
    stage: str | None
    cycle: int | None
    retired_on: date | None
    level: str | None  # None: the policy had not started on the day asked for
    claims: tuple[Claimed, ...]
    attention: tuple[str, ...]  # why it needs attention; empty when it does not


def line_as_json(line: PolicyLine) -> dict[str, Any]:
    return {
        **asdict(line),
        "id": str(line.id),
        "retired_on": line.retired_on.isoformat() if line.retired_on else None,
    }


def line_from_json(values: dict[str, Any]) -> PolicyLine:
    return PolicyLine(
        **{
            **values,
            "id": UUID(values["id"]),
            "retired_on": date.fromisoformat(values["retired_on"]) if values["retired_on"] else None,
            "claims": tuple(Claimed(**c) for c in values["claims"]),
            "attention": tuple(values["attention"]),
        }
    )


@dataclass(frozen=True)
class RungCount:
    ladder: str
    group: str
    label: str
    count: int


def policy_line(
    facts: PolicyFacts,
    today: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    as_of: date | None = None,
    reading: str = AS_HAPPENED,
) -> PolicyLine:
    """One policy's line of the dashboard, judged by its partnership's thresholds, as of a day in one
    of the two readings (now by default). A policy that had not started by then has no level."""
    return line_of(facts, assess_policy(facts, today, as_of, thresholds, reading), as_of, reading)


def line_of(
    facts: PolicyFacts, found: list[Assessment], as_of: date | None = None, reading: str = AS_HAPPENED
) -> PolicyLine:
    """The dashboard's line of a policy whose verdicts are `found` (assess_policy's, for that day)."""
    known = facts.as_of(as_of, reading) if as_of else facts
    current = known.stages[-1] if known.stages and found else None
    claims = known.claims if found else ()
    return PolicyLine(
        id=facts.policy_id,
        title=facts.title,
        stage=current.stage if current else None,
        cycle=current.cycle if current else None,
        retired_on=known.retired_on if found else None,
        level=found[0].level if found else None,
        claims=tuple(Claimed(c.activity, c.ladder, c.rung, rung(c.ladder, c.rung).label) for c in claims),
        attention=needs_attention(found[0]) if found else (),
    )


def needs_attention(whole: Assessment) -> tuple[str, ...]:
    """Below transformational, a failing criterion, or a claim above the evidence: each said plainly."""
    reasons = []
    if whole.level != "transformational":
        reasons.append(f"The evidenced level is {whole.level}")
    reasons.extend(f"Fails: {v.title}" for v in whole.verdicts if v.status == FAIL)
    reasons.extend(
        f"Claimed higher than the evidence shows: {flag}" for v in whole.verdicts for flag in v.flags
    )
    return tuple(reasons)


def rung_counts(lines: list[PolicyLine]) -> list[RungCount]:
    """Claims per rung, highest rung first as on the template; Hart's ladder only if it was used."""
    counts = Counter((c.ladder, c.rung) for line in lines for c in line.claims)
    found = []
    for ladder, rungs in LADDERS.items():
        if ladder != "wokingham" and not any(key[0] == ladder for key in counts):
            continue
        for r in sorted(rungs, key=lambda r: -r.height):
            found.append(RungCount(ladder, r.group, r.label, counts.get((ladder, r.code), 0)))
    return found
