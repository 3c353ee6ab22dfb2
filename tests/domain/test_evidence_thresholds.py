"""The thresholds the evidence engine judges by: the defaults, what differs from them, and that the
criteria use the ones they are given."""

from __future__ import annotations

from domain.evidence import (
    CITIZEN_SHARE,
    DEFAULT_THRESHOLDS,
    DOMINANCE_SHARE,
    FAIL,
    INFLUENCE_SHARE,
    KEY_DECISION_SHARE,
    PASS,
    TIMELY_RESPONSE_DAYS,
    Assessment,
    Thresholds,
    assess_policy,
)
from tests.domain.test_evidence import co_produced, on


def whole_policy_verdict(assessments: list[Assessment], criterion: str):
    return next(v for v in assessments[0].verdicts if v.criterion == criterion)


def test_the_defaults_differ_from_nothing():
    assert DEFAULT_THRESHOLDS == Thresholds()
    assert DEFAULT_THRESHOLDS.differences() == {}


def test_the_thresholds_a_partnership_changed_are_listed_with_their_defaults():
    changed = Thresholds(timely_response_days=14, citizen_share=0.3, key_decision_share=0.75)
    assert changed.differences() == {"timely_response_days": (28, 14), "citizen_share": (0.25, 0.3)}


def test_the_old_names_keep_the_defaults():
    assert TIMELY_RESPONSE_DAYS == 28 and KEY_DECISION_SHARE == 0.75 and INFLUENCE_SHARE == 0.25
    assert DOMINANCE_SHARE == 0.6 and CITIZEN_SHARE == 0.25


def test_the_criteria_judge_by_the_thresholds_they_are_given():
    facts, today = co_produced(), on(60)  # its one contribution was answered after 7 days
    by_default = assess_policy(facts, today)
    assert by_default == assess_policy(facts, today, thresholds=DEFAULT_THRESHOLDS)
    assert whole_policy_verdict(by_default, "influence").status == PASS

    stricter = assess_policy(facts, today, thresholds=Thresholds(timely_response_days=5))
    influence = whole_policy_verdict(stricter, "influence")
    assert influence.status == FAIL
    assert "1 contribution answered, or still waiting, after more than 5 days" in influence.figures

    # The largest group holds 2 of the 6 decision makers' seats: a third.
    balance = whole_policy_verdict(
        assess_policy(facts, today, thresholds=Thresholds(dominance_share=0.3)), "balance"
    )
    assert balance.status == FAIL
    assert balance.figures[0].startswith("More than 30%")
