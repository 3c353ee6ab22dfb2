"""A chair records a decision taken at a meeting: the rules that keep the trail true."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.decisions import Decision, VoteTally
from domain.errors import NotFound, RulesBroken
from domain.policies import Policy


def broken_fields(error: pytest.ExceptionInfo[RulesBroken]) -> dict[str, str]:
    return error.value.by_field()


def test_a_decision_records_what_who_how_and_when(riverside):
    decision_id = riverside.decide()

    decision = riverside.app.repository.get(decision_id)
    assert isinstance(decision, Decision)
    assert decision.text == "Start from a blank page"
    assert decision.stage == "co_commission" and decision.cycle == 1
    assert decision.happened_on == riverside.today  # the meeting's date
    assert decision.proposed_by == riverside.people["tom"]
    assert decision.decided_by == [riverside.people["amira"], riverside.people["daniel"]]
    assert decision.decision_maker_groups == ["home_educator", "local_authority"]
    assert decision.method == "consensus"


def test_every_event_of_a_decision_names_who_recorded_it(riverside):
    riverside.decide()
    events = [
        riverside.app.mapper.to_domain_event(n)
        for n in riverside.app.recorder.select_notifications(start=1, limit=1000)
    ]
    assert events and all(event.recorded_by == riverside.actor for event in events)


def test_an_empty_decision_is_refused_and_nothing_is_written(riverside):
    before = riverside.notifications()
    with pytest.raises(RulesBroken) as error:
        riverside.decide(text="   ")
    assert broken_fields(error) == {"text": "Enter what was decided"}
    assert riverside.notifications() == before


def test_decision_makers_must_have_been_present(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.decide(decided_by=[riverside.people["amira"], riverside.people["grace"]])
    assert "present" in broken_fields(error)["decided_by"]


def test_someone_must_take_the_decision(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.decide(decided_by=[])
    assert broken_fields(error)["decided_by"] == "Choose at least one decision maker"


def test_the_proposer_must_have_been_present(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.decide(proposed_by=riverside.people["grace"])
    assert "present" in broken_fields(error)["proposed_by"]


def test_every_problem_is_reported_at_once(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.decide(text="", proposed_by=None, decided_by=[], method="coin toss")
    assert set(broken_fields(error)) == {"text", "proposed_by", "decided_by", "method"}


def test_a_decision_cannot_skip_a_stage(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.decide(stage="co_deliver")
    assert "Co-commission" in broken_fields(error)["stage"]


def test_a_decision_can_open_the_next_stage_on_the_meeting_date(riverside):
    riverside.decide(stage="co_design")

    policy = riverside.app.repository.get(riverside.policy)
    assert isinstance(policy, Policy)
    assert (policy.current.stage, policy.current.cycle) == ("co_design", 1)
    assert policy.current.entered_on == riverside.today


def test_a_decision_cannot_go_back_to_an_earlier_stage(riverside):
    riverside.decide(stage="co_design")
    with pytest.raises(RulesBroken) as error:
        riverside.decide(stage="co_commission")
    assert "stage" in broken_fields(error)


def test_a_decision_cannot_come_before_its_stage_began(riverside):
    earlier = riverside.meeting_on(riverside.today - timedelta(days=95), ["amira", "daniel"])
    with pytest.raises(RulesBroken) as error:
        riverside.decide(meeting_id=earlier, proposed_by=riverside.people["amira"], stage="co_commission")
    assert "before the policy entered" in broken_fields(error)["stage"]


def test_no_decision_at_a_meeting_that_has_not_happened_yet(riverside):
    later = riverside.meeting_on(riverside.today + timedelta(days=7), [])
    with pytest.raises(RulesBroken) as error:
        riverside.decide(meeting_id=later)
    assert "once it has taken place" in broken_fields(error)["text"]


def test_the_policy_must_be_one_of_the_partnerships(riverside):
    app, actor = riverside.app, riverside.actor
    elsewhere = app.form_partnership(actor, "Another partnership")
    foreign_policy = app.start_policy(actor, elsewhere, "Other", "authority", riverside.today)
    with pytest.raises(RulesBroken) as error:
        riverside.decide(policy_id=foreign_policy)
    assert "policy_id" in broken_fields(error)


def test_a_policy_must_be_chosen(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.decide(policy_id=None)
    assert "policy_id" in broken_fields(error)


def test_a_vote_needs_its_tallies(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.decide(method="vote", votes=None)
    assert "votes_for" in broken_fields(error)


def test_a_vote_counts_each_decision_maker_once(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.decide(method="vote", votes=VoteTally(3, 0, 0))
    assert "add up to 3 but 2 decision makers were chosen" in broken_fields(error)["votes_for"]
    with pytest.raises(RulesBroken) as error:
        riverside.decide(method="vote", votes=VoteTally(2, 0, 0), decided_by=[riverside.people["amira"]])
    assert "add up to 2 but 1 decision maker was chosen" in broken_fields(error)["votes_for"]


def test_a_vote_carries_only_with_more_for_than_against(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.decide(method="vote", votes=VoteTally(1, 1, 0))
    assert "more votes for" in broken_fields(error)["votes_for"]


def test_a_negative_count_is_told_on_its_own_field(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.decide(method="vote", votes=VoteTally(3, -1, -0))
    assert broken_fields(error) == {"votes_against": "Enter the votes against as 0 or more"}
    with pytest.raises(RulesBroken) as error:
        riverside.decide(method="vote", votes=VoteTally(-1, 0, -2))
    assert set(broken_fields(error)) == {"votes_for", "abstentions"}
    assert "the abstentions as 0 or more" in broken_fields(error)["abstentions"]


def test_a_vote_that_carried_is_recorded_with_its_tallies(riverside):
    decision = riverside.app.repository.get(riverside.decide(method="vote", votes=VoteTally(2, 0, 0)))
    assert decision.votes == {"for": 2, "against": 0, "abstentions": 0}


def test_tallies_are_not_kept_for_a_decision_that_was_not_a_vote(riverside):
    decision = riverside.app.repository.get(riverside.decide(votes=VoteTally(2, 0, 0)))
    assert decision.votes is None


def test_a_delegated_decision_has_one_decision_maker(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.decide(method="delegated")
    assert "one person" in broken_fields(error)["decided_by"]
    assert riverside.decide(method="delegated", decided_by=[riverside.people["daniel"]])


def test_an_authority_only_decision_has_no_citizen_decision_maker(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.decide(method="authority_only")
    assert "no citizen" in broken_fields(error)["method"]
    assert riverside.decide(method="authority_only", decided_by=[riverside.people["daniel"]])


def test_an_unknown_meeting_is_not_found(riverside):
    with pytest.raises(NotFound):
        riverside.decide(meeting_id=riverside.policy)  # an id, but not a meeting's
