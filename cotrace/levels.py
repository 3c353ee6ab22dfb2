"""Reading the evidence engine's verdicts for a policy: found by id or title, as of a day, and in the
JSON shape documented in docs/evidence.md (for scripts, and auditors who work in a terminal)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from domain.evidence import AS_HAPPENED, Assessment, assess_policy, assessments_as_json
from projections import evidence, reads, thresholds
from projections.proofs import proofs
from projections.thresholds import JudgedBy


class PolicyNotFound(LookupError):
    pass


def find_policy(conn: Connection, name: str) -> UUID:
    """A policy named by its id, or by a piece of its title that matches exactly one policy."""
    by_id, found = reads.matching(conn, evidence.policies.c.id, evidence.policies.c.title, name)
    if len(found) == 1:
        return found[0]
    if by_id:
        raise PolicyNotFound(f"no policy with id {UUID(name)}")
    many = "no policy" if not found else f"{len(found)} policies"
    raise PolicyNotFound(f"{many} with '{name}' in the title: give more of the title, or the id")


def assessments(
    conn: Connection, policy_id: UUID, today: date, as_of: date | None, reading: str = AS_HAPPENED
) -> list[Assessment]:
    """Every verdict of the policy as of a day in one reading; none before the policy had started."""
    facts = evidence.policy_facts(conn, policy_id)
    assert facts is not None
    return assess_policy(facts, today, as_of, judged_by(conn, policy_id, as_of, reading).thresholds, reading)


def judged_by(
    conn: Connection, policy_id: UUID, as_of: date | None = None, reading: str = AS_HAPPENED
) -> JudgedBy:
    """The thresholds the policy's partnership judged its policies by (as of a day, if given)."""
    partnership_id = conn.scalar(
        select(evidence.policies.c.partnership_id).where(evidence.policies.c.id == policy_id)
    )
    return thresholds.judged_by(conn, partnership_id, as_of, reading != AS_HAPPENED)


def thresholds_text(judged: JudgedBy) -> list[str]:
    """The thresholds as `cotrace level` prints them, under the verdicts' heading."""
    change = judged.last_change
    since = f", as changed on {change['happened_on'].isoformat()}: {change['reason']}" if change else ""
    return [f"Judged with these thresholds{since}", *(f"  {s}" for s in judged.stated)]


def thresholds_json(judged: JudgedBy) -> dict[str, Any]:
    change = judged.last_change
    return {
        "values": asdict(judged.thresholds),
        "differ_from_defaults": {
            name: {"default": default, "value": value}
            for name, (default, value) in judged.thresholds.differences().items()
        },
        "last_change": {"reason": change["reason"], "happened_on": change["happened_on"].isoformat()}
        if change
        else None,
    }


def as_json(
    policy_id: UUID,
    title: str,
    day: date,
    found: list[Assessment],
    judged: JudgedBy,
    reading: str = AS_HAPPENED,
) -> dict[str, Any]:
    return {
        "policy": {"id": str(policy_id), "title": title},
        "as_of": day.isoformat(),
        "reading": reading,
        "started": bool(found),  # false: as of a day before the policy started, so no verdict
        "thresholds": thresholds_json(judged),
        "assessments": assessments_as_json(found),
    }


def proofs_of(conn: Connection, found: list[Assessment], with_words: bool = True) -> dict[int, str]:
    """Every event the verdicts link to, named and dated (projections/proofs.py), read at once;
    `with_words` False names contributions by their kind alone, for the public."""
    return proofs(conn, (ref for a in found for v in a.verdicts for ref in v.refs), with_words)


def events_line(refs: tuple[int, ...], named: dict[int, str]) -> str:
    """Each event as a person reads it, then its position: "Decision 'X', 10 January 2026 (22); ..."."""
    return "; ".join(f"{named[r]} ({r})" if r in named else str(r) for r in dict.fromkeys(refs))
