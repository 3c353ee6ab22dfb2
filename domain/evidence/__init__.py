"""The evidence of co-production: the facts, the seven criteria, and the level that follows from them.

Every name other modules import is re-exported here, so `from domain.evidence import X` is the one way in.
"""

from domain.evidence.criteria import (
    balance,
    from_conception,
    influence,
    key_decision_makers,
    no_doing_to,
    not_after_the_fact,
    whole_cycle,
)
from domain.evidence.facts import (
    AS_HAPPENED,
    AS_RECORDED,
    READINGS,
    ClaimFact,
    ContributionFact,
    DecisionFact,
    PolicyFacts,
    StageFact,
)
from domain.evidence.level import LEVELS, Assessment, assess, assess_policy
from domain.evidence.numbers import counted, of_total, was
from domain.evidence.published import (
    assessments_as_json,
    assessments_from_json,
    facts_as_json,
    facts_from_json,
    thresholds_from_json,
)
from domain.evidence.rungs import DOING_TO, evidenced_hart_rung, evidenced_rung
from domain.evidence.thresholds import (
    CITIZEN_SHARE,
    DEFAULT_THRESHOLDS,
    DOMINANCE_SHARE,
    INFLUENCE_SHARE,
    KEY_DECISION_SHARE,
    THRESHOLD_NAMES,
    TIMELY_RESPONSE_DAYS,
    Stated,
    Thresholds,
    stated,
)
from domain.evidence.verdicts import FAIL, IN_PROGRESS, NOT_APPLICABLE, PASS, Scope, Verdict

# The name the charts know `counted` by, from when criteria.py had a copy of its own.
plural = counted

__all__ = [
    "counted",
    "of_total",
    "was",
    "AS_HAPPENED",
    "AS_RECORDED",
    "READINGS",
    "CITIZEN_SHARE",
    "DEFAULT_THRESHOLDS",
    "DOING_TO",
    "DOMINANCE_SHARE",
    "FAIL",
    "INFLUENCE_SHARE",
    "IN_PROGRESS",
    "KEY_DECISION_SHARE",
    "LEVELS",
    "NOT_APPLICABLE",
    "PASS",
    "TIMELY_RESPONSE_DAYS",
    "Assessment",
    "ClaimFact",
    "ContributionFact",
    "DecisionFact",
    "PolicyFacts",
    "Scope",
    "StageFact",
    "Stated",
    "THRESHOLD_NAMES",
    "Thresholds",
    "Verdict",
    "assess",
    "assessments_as_json",
    "assessments_from_json",
    "assess_policy",
    "balance",
    "evidenced_hart_rung",
    "facts_as_json",
    "facts_from_json",
    "evidenced_rung",
    "from_conception",
    "influence",
    "key_decision_makers",
    "no_doing_to",
    "not_after_the_fact",
    "plural",
    "stated",
    "thresholds_from_json",
    "whole_cycle",
]
