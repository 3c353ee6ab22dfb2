"""The thresholds the criteria judge by: each default with where it comes from, in one place.

A partnership can change its own, so a verdict must be reproducible from the thresholds it was judged
by and say where they differ from the defaults (`Thresholds.differences`, `stated`). Sources: seed 000,
Educational Freedom, *Co-Production Guidelines* for Elective Home Education; seed 001, *Co-Production
Ways of Working* (the Manchester SEND charter, for Hart's ladder); seed 002, the SEN Policy Research
Forum's *What exactly is co-production?*; seed 004, Wokingham's SEND co-production guidance and quality
indicators.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

DAYS, SHARE = "days", "share"


def _threshold(default: float, label: str, unit: str, source: str) -> Any:
    """A threshold's default, with the name people read it by, its unit and its source, kept on the
    field so that pages and the CLI state them from here."""
    return field(default=default, metadata={"label": label, "unit": unit, "source": source})


@dataclass(frozen=True)
class Thresholds:
    timely_response_days: int = _threshold(
        28,
        "Days within which a response is timely",
        DAYS,
        'Seed 002 asks for "timely and appropriate communication" without a number; 28 days is the usual '
        "turnaround councils publish for answering correspondence.",
    )
    key_decision_share: float = _threshold(
        0.75,
        "Key-decision share",
        SHARE,
        "The share of a stage's decisions that must have a citizen among the decision makers. Seed 000: "
        'citizens work "from the initial concept ... as key decision makers"; a few administrative '
        "decisions taken by officers alone are allowed for.",
    )
    influence_share: float = _threshold(
        0.25,
        "Influence share",
        SHARE,
        "The share of citizens' answered contributions that must be adopted or adapted and cited by a "
        'decision for their input to count as influence. Seed 004\'s "you said, we did": if the answer is '
        "nothing, ask why. A quarter is a floor, not a target.",
    )
    dominance_share: float = _threshold(
        0.6,
        "Dominance share",
        SHARE,
        "The share of attendance, or of decision makers' seats, above which one stakeholder group "
        'dominates. Seed 004: "working together where no one voice drowns out the others".',
    )
    citizen_share: float = _threshold(
        0.25,
        "Citizens' share",
        SHARE,
        "The share of attendance, or of decision makers' seats, below which citizens as a whole are "
        "drowned out (criterion 5, balance, in its other direction). Seed 004's \"no one voice drowns out "
        'the others" holds both ways: twelve officers of four services and one parent are not a balance, '
        'though no single service dominates; that is the "decoration" of Hart\'s ladder (seed 001).',
    )

    def differences(self) -> dict[str, tuple[float, float]]:
        """The thresholds that differ from the defaults, each name with (default, value)."""
        return {
            f.name: (f.default, getattr(self, f.name))
            for f in fields(self)
            if getattr(self, f.name) != f.default
        }


@dataclass(frozen=True)
class Stated:
    """One threshold as a verdict states it: "Dominance share: 50% (default 60%)"."""

    name: str
    label: str
    unit: str
    source: str
    value: str
    default: str | None  # the default, only where the value differs from it

    def __str__(self) -> str:
        return f"{self.label}: {self.value}" + (f" (default {self.default})" if self.default else "")


def shown(unit: str, value: float) -> str:
    """28 days, 1 day, 60%, 12.5%."""
    if unit == DAYS:
        return f"{value} day{'' if value == 1 else 's'}"
    return f"{value * 100:g}%"


def stated(thresholds: Thresholds) -> list[Stated]:
    """Every threshold, its value, and its default where it differs: what a verdict was judged by."""
    differ = thresholds.differences()
    return [
        Stated(
            name=f.name,
            label=f.metadata["label"],
            unit=f.metadata["unit"],
            source=f.metadata["source"],
            value=shown(f.metadata["unit"], getattr(thresholds, f.name)),
            default=shown(f.metadata["unit"], f.default) if f.name in differ else None,
        )
        for f in fields(Thresholds)
    ]


DEFAULT_THRESHOLDS = Thresholds()
THRESHOLD_NAMES = tuple(f.name for f in fields(Thresholds))
UNITS = {f.name: f.metadata["unit"] for f in fields(Thresholds)}


def from_entered(name: str, number: float) -> float:
    """A threshold as people enter it (on the form, in a history file) to its value: days as they
    are, a share from a percentage (60 for 0.6)."""
    return number if UNITS[name] == DAYS else round(number / 100, 6)


def as_entered(name: str, value: float) -> str:
    return str(value) if UNITS[name] == DAYS else f"{value * 100:g}"


# The names the defaults had before they were gathered here, for code that reads them.
TIMELY_RESPONSE_DAYS = DEFAULT_THRESHOLDS.timely_response_days
KEY_DECISION_SHARE = DEFAULT_THRESHOLDS.key_decision_share
INFLUENCE_SHARE = DEFAULT_THRESHOLDS.influence_share
DOMINANCE_SHARE = DEFAULT_THRESHOLDS.dominance_share
CITIZEN_SHARE = DEFAULT_THRESHOLDS.citizen_share
