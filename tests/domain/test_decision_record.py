"""What a decision answers and how it changes later: citations, consultation, dissent, corrections,
reversals, supersessions, and decisions taken outside a meeting. Nothing is edited in place."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.decisions import Decision
from domain.errors import RulesBroken
from tests.domain.test_contributions import contribute


def test_a_decision_names_what_it_answers_and_who_else_was_involved(riverside):
    contribution_id = contribute(riverside)
    decision = riverside.app.repository.get(
        riverside.decide(
            cites=[contribution_id],
            consulted=[riverside.people["grace"]],
            informed=[riverside.people["sophie"]],
            dissent=[{"by": riverside.people["tom"], "note": "Wanted a longer consultation"}],
        )
    )
    assert decision.cites == [contribution_id]
    assert decision.consulted == [riverside.people["grace"]]
    assert decision.informed == [riverside.people["sophie"]]
    assert decision.dissent == [{"by": riverside.people["tom"], "note": "Wanted a longer consultation"}]


def test_a_decision_cites_only_contributions_on_its_policy(riverside):
    app, actor = riverside.app, riverside.actor
    other_policy = app.start_policy(actor, riverside.partnership, "Training", "authority", riverside.today)
    elsewhere = contribute(riverside, policy_id=other_policy, happened_on=riverside.today)
    with pytest.raises(RulesBroken) as error:
        riverside.decide(cites=[elsewhere])
    assert "cites" in error.value.by_field()


def test_dissent_needs_words_and_a_person_who_was_there(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.decide(dissent=[{"by": riverside.people["grace"], "note": "No"}])
    assert "present" in error.value.by_field()["dissent"]
    with pytest.raises(RulesBroken) as error:
        riverside.decide(dissent=[{"by": None, "note": "  "}])
    assert "dissent" in error.value.by_field()


def test_consulted_and_informed_are_members(riverside):
    stranger = riverside.app.register_participant(riverside.actor, "Stranger", "health")
    with pytest.raises(RulesBroken) as error:
        riverside.decide(consulted=[stranger], informed=[stranger])
    assert set(error.value.by_field()) == {"consulted", "informed"}


def test_a_correction_keeps_the_original_in_the_log(riverside):
    decision_id = riverside.decide()
    riverside.app.correct_decision(
        riverside.actor,
        decision_id,
        "Start from a blank page, together",
        "Wording agreed at the meeting",
        riverside.today,
    )
    decision = riverside.app.repository.get(decision_id)
    assert decision.text == "Start from a blank page, together"
    original = riverside.app.repository.get(decision_id, version=1)
    assert original.text == "Start from a blank page"


def test_a_correction_needs_a_reason_and_a_change(riverside):
    decision_id = riverside.decide()
    with pytest.raises(RulesBroken) as error:
        riverside.app.correct_decision(
            riverside.actor, decision_id, "Start from a blank page", "", riverside.today
        )
    assert set(error.value.by_field()) == {"text", "reason"}


def test_a_reversed_decision_cannot_be_changed_again(riverside):
    decision_id = riverside.decide()
    riverside.app.reverse_decision(riverside.actor, decision_id, "The law changed", riverside.today)
    assert riverside.app.repository.get(decision_id).status == "reversed"
    with pytest.raises(RulesBroken) as error:
        riverside.app.correct_decision(riverside.actor, decision_id, "Other words", "Typo", riverside.today)
    assert "reversed" in error.value.by_field()["text"]


def test_a_new_decision_can_supersede_an_earlier_one_with_a_reason(riverside):
    earlier = riverside.decide()
    with pytest.raises(RulesBroken) as error:
        riverside.decide(text="Start from the 2019 policy", supersedes=earlier)
    assert "reason" in error.value.by_field()
    later = riverside.decide(
        text="Start from the 2019 policy", supersedes=earlier, supersession_reason="Too little time"
    )
    superseded = riverside.app.repository.get(earlier)
    assert (superseded.status, superseded.superseded_by) == ("superseded", later)
    assert riverside.app.repository.get(later).supersedes == earlier
    with pytest.raises(RulesBroken):
        riverside.decide(text="Again", supersedes=earlier, supersession_reason="Once more")


def test_a_delegated_decision_outside_a_meeting_is_recorded_as_such(riverside):
    decision_id = riverside.app.record_decision_outside_meeting(
        riverside.actor,
        riverside.policy,
        "Publish the consultation on the council website",
        "co_commission",
        [riverside.people["daniel"]],
        "delegated",
        riverside.today - timedelta(days=2),
    )
    decision = riverside.app.repository.get(decision_id)
    assert isinstance(decision, Decision)
    assert decision.taken_outside_meeting and decision.method == "delegated"
    assert decision.decision_maker_groups == ["local_authority"]


def test_a_consensus_is_reached_at_a_meeting_not_outside_one(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.app.record_decision_outside_meeting(
            riverside.actor,
            riverside.policy,
            "Agree the principles",
            "co_commission",
            [riverside.people["amira"], riverside.people["daniel"]],
            "consensus",
            riverside.today,
        )
    assert "meeting" in error.value.by_field()["method"]


def test_a_decision_cannot_cite_what_was_said_after_it(riverside):
    later = contribute(riverside, happened_on=riverside.today)
    earlier_meeting = riverside.meeting_on(riverside.today - timedelta(days=5), ["amira", "daniel"])
    with pytest.raises(RulesBroken) as error:
        riverside.decide(meeting_id=earlier_meeting, proposed_by=riverside.people["amira"], cites=[later])
    assert "on or before the day of the decision" in error.value.by_field()["cites"]


def test_a_decision_is_reversed_at_a_meeting_of_its_own_partnership(riverside):
    app, actor = riverside.app, riverside.actor
    decision_id = riverside.decide()
    elsewhere = app.form_partnership(actor, "Another partnership")
    foreign_meeting = app.schedule_meeting(actor, elsewhere, "Their meeting", riverside.today, "")
    with pytest.raises(RulesBroken) as error:
        app.reverse_decision(actor, decision_id, "Changed", riverside.today, meeting_id=foreign_meeting)
    assert "partnership that took the decision" in error.value.by_field()["meeting_id"]


def test_a_correction_is_held_to_the_length_of_a_decision(riverside):
    decision_id = riverside.decide()
    with pytest.raises(RulesBroken) as error:
        riverside.app.correct_decision(riverside.actor, decision_id, "x" * 5001, "Typo", riverside.today)
    assert "5,000 characters or fewer" in error.value.by_field()["text"]
    riverside.app.correct_decision(riverside.actor, decision_id, "x" * 5000, "Typo", riverside.today)
