"""The evidence's facts and verdicts as plain JSON values, and back: what the server publishes in an
audit pack, and what the offline verifier reads to judge the facts again with these very rules.

The standard library only, like the rest of `domain.evidence`: the audit pack ships this package, so
that its verifier recomputes the verdicts with the rules the server ran, never with a second
implementation of them (issue 13, docs/seal.md).
"""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from datetime import date
from typing import Any
from uuid import UUID

from domain.evidence.facts import ClaimFact, ContributionFact, DecisionFact, PolicyFacts, StageFact
from domain.evidence.level import Assessment
from domain.evidence.thresholds import Thresholds
from domain.evidence.verdicts import Scope, Verdict

_FACTS = {
    "stages": StageFact,
    "decisions": DecisionFact,
    "contributions": ContributionFact,
    "claims": ClaimFact,
}


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def facts_as_json(facts: PolicyFacts) -> dict[str, Any]:
    """Every fact of a policy, dates as ISO days and ids as strings."""
    out: dict[str, Any] = {}
    for f in fields(facts):
        value = getattr(facts, f.name)
        if f.name in _FACTS:
            out[f.name] = [{k: _plain(v) for k, v in asdict(fact).items()} for fact in value]
        else:
            out[f.name] = _plain(value)
    return out


def _typed(cls: type, values: dict[str, Any]) -> Any:
    """An instance of the fact class from its JSON values, each field read back to its type by name."""
    typed: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in values:
            continue  # a field with a default, absent
        value = values[f.name]
        kind = str(f.type)
        if value is None:
            typed[f.name] = None
        elif "date" in kind:
            typed[f.name] = date.fromisoformat(value)
        elif f.name in ("id", "policy_id"):
            typed[f.name] = UUID(value)
        elif f.name == "cites":
            typed[f.name] = tuple(UUID(c) for c in value)
        elif kind.startswith("tuple"):
            typed[f.name] = tuple(value)
        else:
            typed[f.name] = value
    unknown = set(values) - {f.name for f in fields(cls)}
    if unknown:
        raise ValueError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
    return cls(**typed)


def facts_from_json(values: dict[str, Any]) -> PolicyFacts:
    """The facts `facts_as_json` wrote. Raises ValueError, KeyError or TypeError on a malformed one."""
    top = {k: v for k, v in values.items() if k not in _FACTS}
    collections = {name: tuple(_typed(cls, v) for v in values.get(name, ())) for name, cls in _FACTS.items()}
    return replace(_typed(PolicyFacts, top), **collections)


def thresholds_from_json(values: dict[str, Any]) -> Thresholds:
    return Thresholds(**values)


def assessments_as_json(found: list[Assessment]) -> list[dict[str, Any]]:
    """Each scope's level, reasons and criteria, as `cotrace level --json` prints them."""
    return [
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
    ]


def assessments_from_json(values: list[dict[str, Any]]) -> list[Assessment]:
    """The assessments `assessments_as_json` wrote, equal to those it was given: what a page reads
    back from the verdicts kept for it (projections/evidence.py), without judging the facts again."""
    return [
        Assessment(
            scope=Scope(a["scope"]["cycle"], a["scope"]["stage"]),
            level=a["level"],
            verdicts=tuple(
                Verdict(
                    criterion=v["criterion"],
                    title=v["title"],
                    status=v["status"],
                    figures=tuple(v["figures"]),
                    refs=tuple(v["events"]),
                    flags=tuple(v["flags"]),
                )
                for v in a["criteria"]
            ),
            reasons=tuple(a["reasons"]),
        )
        for a in values
    ]
