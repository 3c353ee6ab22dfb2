"""A partnership changes the thresholds its policies are judged by, with a reason, as an event; a value
that cannot be a threshold is refused with a message for its field, and nothing is recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import RulesBroken
from domain.evidence import DEFAULT_THRESHOLDS, Thresholds, stated
from domain.partnerships import Partnership


def events_of(riverside) -> list:
    return list(riverside.app.repository.event_store.get(riverside.partnership))


def test_a_partnership_is_judged_by_the_defaults_until_it_changes_them(riverside):
    assert riverside.app.repository.get(riverside.partnership).thresholds == DEFAULT_THRESHOLDS


def test_the_change_records_all_five_values_the_reason_and_who_recorded_it(riverside):
    app, actor = riverside.app, riverside.actor
    agreed_on = riverside.today - timedelta(days=3)
    app.change_thresholds(
        actor, riverside.partnership, "  Families asked for quicker answers  ", agreed_on,
        timely_response_days=14, citizen_share=0.4,
    )  # fmt: skip

    partnership = app.repository.get(riverside.partnership)
    assert partnership.thresholds == Thresholds(timely_response_days=14, citizen_share=0.4)
    changed = events_of(riverside)[-1]
    assert isinstance(changed, Partnership.ThresholdsChanged)
    assert changed.values == {
        "timely_response_days": 14,
        "key_decision_share": 0.75,
        "influence_share": 0.25,
        "dominance_share": 0.6,
        "citizen_share": 0.4,
    }
    assert (changed.reason, changed.happened_on, changed.recorded_by) == (
        "Families asked for quicker answers",
        agreed_on,
        actor,
    )


def test_a_later_change_keeps_the_thresholds_it_does_not_name(riverside):
    app, actor, today = riverside.app, riverside.actor, riverside.today
    app.change_thresholds(actor, riverside.partnership, "Quicker answers", today, timely_response_days=14)
    app.change_thresholds(actor, riverside.partnership, "Fewer officers", today, dominance_share=0.5)
    thresholds = app.repository.get(riverside.partnership).thresholds
    assert thresholds == Thresholds(timely_response_days=14, dominance_share=0.5)
    assert thresholds.differences() == {"timely_response_days": (28, 14), "dominance_share": (0.6, 0.5)}


def test_each_value_that_cannot_be_a_threshold_is_told_beside_its_field_and_nothing_is_recorded(riverside):
    before = len(events_of(riverside))
    with pytest.raises(RulesBroken) as error:
        riverside.app.change_thresholds(
            riverside.actor, riverside.partnership, " ", riverside.today + timedelta(days=1),
            timely_response_days=0, key_decision_share=1.5, influence_share=-0.1, dominance_share=True,
            citizen_share=0.3, quorum=3,
        )  # fmt: skip
    assert error.value.by_field() == {
        "quorum": "There is no threshold called 'quorum'",
        "timely_response_days": (
            "Enter the days within which a response is timely as a whole number from 1 to 365"
        ),
        "key_decision_share": "Enter the key-decision share as a percentage from 0 to 100",
        "influence_share": "Enter the influence share as a percentage from 0 to 100",
        "dominance_share": "Enter the dominance share as a percentage from 0 to 100",
        "reason": "Enter why the partnership changed its thresholds",
        "happened_on": (
            "The date the change was agreed cannot be in the future: enter today's date or an earlier one"
        ),
    }
    assert len(events_of(riverside)) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timely_response_days": 366}, "timely_response_days"),
        ({"timely_response_days": 14.5}, "timely_response_days"),
        ({"citizen_share": 1.01}, "citizen_share"),
        ({"citizen_share": "0.3"}, "citizen_share"),
    ],
)
def test_the_limits_of_each_kind_of_threshold(riverside, changes, field):
    with pytest.raises(RulesBroken) as error:
        riverside.app.change_thresholds(
            riverside.actor, riverside.partnership, "A reason", riverside.today, **changes
        )
    assert list(error.value.by_field()) == [field]


def test_the_edges_are_thresholds_too(riverside):
    riverside.app.change_thresholds(
        riverside.actor, riverside.partnership, "Edges", riverside.today,
        timely_response_days=365, key_decision_share=1, influence_share=0,
    )  # fmt: skip
    assert riverside.app.repository.get(riverside.partnership).thresholds.timely_response_days == 365


def test_a_reason_longer_than_the_limit_is_refused(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.app.change_thresholds(
            riverside.actor, riverside.partnership, "x" * 2001, riverside.today, citizen_share=0.3
        )
    assert error.value.by_field() == {"reason": "The reason must be 2,000 characters or fewer"}


def test_a_verdict_states_each_threshold_and_its_default_where_it_differs():
    lines = [str(s) for s in stated(Thresholds(timely_response_days=1, influence_share=0.125))]
    assert lines == [
        "Days within which a response is timely: 1 day (default 28 days)",
        "Key-decision share: 75%",
        "Influence share: 12.5% (default 25%)",
        "Dominance share: 60%",
        "Citizens' share: 25%",
    ]
    assert all(s.source for s in stated(DEFAULT_THRESHOLDS))
