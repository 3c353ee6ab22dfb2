"""Reading the evidence engine's verdicts for a policy: found by id or title, as of a day, and in the
JSON shape documented in docs/evidence.md (for scripts, and auditors who work in a terminal)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, func, select

from domain.evidence import Assessment, assess_policy
from projections import evidence
from projections.proofs import proofs


class PolicyNotFound(LookupError):
    pass


def find_policy(conn: Connection, name: str) -> UUID:
    """A policy named by its id, or by a piece of its title that matches exactly one policy."""
    try:
        policy_id = UUID(name)
    except ValueError:
        policy_id = None
    if policy_id is None:
        matches = list(
            conn.scalars(
                select(evidence.policies.c.id).where(
                    func.lower(evidence.policies.c.title).contains(name.lower())
                )
            )
        )
        if len(matches) != 1:
            found = "no policy" if not matches else f"{len(matches)} policies"
            raise PolicyNotFound(f"{found} with '{name}' in the title: give more of the title, or the id")
        return matches[0]
    if conn.scalar(select(evidence.policies.c.id).where(evidence.policies.c.id == policy_id)) is None:
        raise PolicyNotFound(f"no policy with id {policy_id}")
    return policy_id


def assessments(conn: Connection, policy_id: UUID, today: date, as_of: date | None) -> list[Assessment]:
    facts = evidence.policy_facts(conn, policy_id)
    assert facts is not None
    return assess_policy(facts, today, as_of)


def as_json(policy_id: UUID, title: str, day: date, found: list[Assessment]) -> dict[str, Any]:
    return {
        "policy": {"id": str(policy_id), "title": title},
        "as_of": day.isoformat(),
        "assessments": [
            {
                "scope": {**asdict(a.scope), "label": a.scope.label},
                "level": a.level,
                "reasons": list(a.reasons),
                "criteria": [
                    {
                        "criterion": v.criterion,
                        "title": v.title,
                        "status": v.status,
                        "figures": list(v.figures),
                        "events": list(v.refs),
                        "flags": list(v.flags),
                    }
                    for v in a.verdicts
                ],
            }
            for a in found
        ],
    }


def proofs_of(conn: Connection, found: list[Assessment]) -> dict[int, str]:
    """Every event the verdicts link to, named and dated (projections/proofs.py), read at once."""
    return proofs(conn, (ref for a in found for v in a.verdicts for ref in v.refs))


def events_line(refs: tuple[int, ...], named: dict[int, str]) -> str:
    """Each event as a person reads it, then its position: "Decision 'X', 10 January 2026 (22); ..."."""
    return "; ".join(f"{named[r]} ({r})" if r in named else str(r) for r in dict.fromkeys(refs))
