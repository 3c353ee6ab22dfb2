"""The thresholds the criteria judge by: each default with where it comes from, in one place.

A partnership can change its own, so a verdict must be reproducible from the thresholds it was judged
by and say where they differ from the defaults (`Thresholds.differences`). Sources: seed 000,
Educational Freedom, *Co-Production Guidelines* for Elective Home Education; seed 001, *Co-Production
Ways of Working* (the Manchester SEND charter, for Hart's ladder); seed 002, the SEN Policy Research
Forum's *What exactly is co-production?*; seed 004, Wokingham's SEND co-production guidance and quality
indicators.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Thresholds:
    #: How soon a response counts as timely. Seed 002 asks for "timely and appropriate communication"
    #: without a number; 28 days is the usual turnaround councils publish for answering correspondence.
    timely_response_days: int = 28

    #: The share of a stage's decisions that must have a citizen among the decision makers. Seed 000:
    #: citizens work "from the initial concept ... as key decision makers"; a few administrative
    #: decisions taken by officers alone are allowed for.
    key_decision_share: float = 0.75

    #: The share of citizens' answered contributions that must be adopted or adapted and cited by a
    #: decision for their input to count as influence. Seed 004's "you said, we did": if the answer is
    #: nothing, ask why. A quarter is a floor, not a target.
    influence_share: float = 0.25

    #: The share of attendance, or of decision makers' seats, above which one stakeholder group
    #: dominates. Seed 004: "working together where no one voice drowns out the others".
    dominance_share: float = 0.6

    #: The share of attendance, or of decision makers' seats, below which citizens as a whole are
    #: drowned out (criterion 5, balance, in its other direction). Seed 004's "no one voice drowns out
    #: the others" holds both ways: twelve officers of four services and one parent are not a balance,
    #: though no single service dominates; that is the "decoration" of Hart's ladder (seed 001).
    #: Not yet used by the rules: balance judges dominance only.
    citizen_share: float = 0.25

    def differences(self) -> dict[str, tuple[float, float]]:
        """The thresholds that differ from the defaults, each name with (default, value)."""
        return {
            f.name: (f.default, getattr(self, f.name))
            for f in fields(self)
            if getattr(self, f.name) != f.default
        }


DEFAULT_THRESHOLDS = Thresholds()

# The names the defaults had before they were gathered here, for code that reads them.
TIMELY_RESPONSE_DAYS = DEFAULT_THRESHOLDS.timely_response_days
KEY_DECISION_SHARE = DEFAULT_THRESHOLDS.key_decision_share
INFLUENCE_SHARE = DEFAULT_THRESHOLDS.influence_share
DOMINANCE_SHARE = DEFAULT_THRESHOLDS.dominance_share
CITIZEN_SHARE = DEFAULT_THRESHOLDS.citizen_share
