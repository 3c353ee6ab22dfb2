"""A participant's input, and the response it gets: "you said, we did"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from domain.contributions import Contribution
from domain.errors import RulesBroken


def contribute(story, **changes: Any):
    command = dict(
        policy_id=story.policy,
        contributor_id=story.people["amira"],
        kind="suggestion",
        text="Ask families before any visit",
        channel="survey",
        happened_on=story.today - timedelta(days=3),
    )
    command.update(changes)
    return story.app.submit_contribution(story.actor, **command)


def respond(story, contribution_id, **changes: Any):
    command = dict(
        response="adopted",
        reason="",
        responded_by=story.people["daniel"],
        happened_on=story.today,
    )
    command.update(changes)
    return story.app.respond_to_contribution(story.actor, contribution_id, **command)


def test_a_contribution_is_recorded_at_the_policys_current_stage(riverside):
    contribution = riverside.app.repository.get(contribute(riverside))
    assert isinstance(contribution, Contribution)
    assert (contribution.stage, contribution.cycle) == ("co_commission", 1)
    assert contribution.contributor_id == riverside.people["amira"]
    assert contribution.response is None


def test_a_contribution_can_carry_a_pseudonym_chosen_by_its_contributor(riverside):
    contribution = riverside.app.repository.get(contribute(riverside, pseudonym="  Hedgehog "))
    assert contribution.pseudonym == "Hedgehog"


def test_a_contribution_in_a_meeting_takes_its_date_and_needs_its_contributor_there(riverside):
    made = riverside.app.repository.get(
        contribute(riverside, channel="meeting", meeting_id=riverside.meeting, happened_on=None)
    )
    assert made.happened_on == riverside.today
    with pytest.raises(RulesBroken) as error:
        contribute(
            riverside,
            channel="meeting",
            meeting_id=riverside.meeting,
            contributor_id=riverside.people["grace"],  # sent apologies
        )
    assert "present" in error.value.by_field()["contributor_id"]


def test_a_contribution_at_a_meeting_says_so(riverside):
    with pytest.raises(RulesBroken) as error:
        contribute(riverside, channel="meeting", meeting_id=None)
    assert "meeting_id" in error.value.by_field()


def test_a_contribution_at_a_workshop_can_name_the_meeting_it_was_given_at(riverside):
    made = riverside.app.repository.get(
        contribute(riverside, channel="workshop", meeting_id=riverside.meeting, happened_on=None)
    )
    assert (made.channel, made.meeting_id, made.happened_on) == (
        "workshop",
        riverside.meeting,
        riverside.today,
    )
    # The meeting's rules still hold, whatever the channel: the contributor must have been there.
    with pytest.raises(RulesBroken) as error:
        contribute(
            riverside,
            channel="workshop",
            meeting_id=riverside.meeting,
            contributor_id=riverside.people["grace"],
        )
    assert "present" in error.value.by_field()["contributor_id"]


def test_a_contribution_needs_words_a_kind_a_member_and_a_past_date(riverside):
    stranger = riverside.app.register_participant(riverside.actor, "Stranger", "health")
    before = riverside.notifications()
    with pytest.raises(RulesBroken) as error:
        contribute(
            riverside,
            text=" ",
            kind="rant",
            contributor_id=stranger,
            happened_on=riverside.today + timedelta(days=1),
        )
    assert set(error.value.by_field()) == {"text", "kind", "contributor_id", "happened_on"}
    assert riverside.notifications() == before


def test_a_contribution_cannot_be_about_a_stage_not_reached(riverside):
    with pytest.raises(RulesBroken) as error:
        contribute(riverside, stage="co_deliver")
    assert "reached" in error.value.by_field()["stage"]


def test_adopted_needs_no_reason_but_not_adopted_and_adapted_do(riverside):
    first, second, third = (contribute(riverside) for _ in range(3))
    respond(riverside, first)
    assert riverside.app.repository.get(first).response == "adopted"
    for contribution_id, response in ((second, "not_adopted"), (third, "adapted")):
        with pytest.raises(RulesBroken) as error:
            respond(riverside, contribution_id, response=response, reason="")
        assert "reason" in error.value.by_field()
    respond(riverside, second, response="not_adopted", reason="The law requires an annual contact")
    assert riverside.app.repository.get(second).reason == "The law requires an annual contact"


def test_a_response_is_given_once(riverside):
    contribution_id = contribute(riverside)
    respond(riverside, contribution_id)
    with pytest.raises(RulesBroken) as error:
        respond(riverside, contribution_id, response="not_adopted", reason="Changed our minds")
    assert "already answered" in error.value.by_field()["response"]


def test_a_response_cannot_come_before_the_contribution(riverside):
    contribution_id = contribute(riverside)
    with pytest.raises(RulesBroken) as error:
        respond(riverside, contribution_id, happened_on=riverside.today - timedelta(days=30))
    assert "before the contribution" in error.value.by_field()["happened_on"]


def test_the_responder_is_a_member(riverside):
    stranger = riverside.app.register_participant(riverside.actor, "Stranger", "health")
    with pytest.raises(RulesBroken) as error:
        respond(riverside, contribute(riverside), responded_by=stranger)
    assert "responded_by" in error.value.by_field()


def test_a_contribution_cannot_come_before_its_stage(riverside):
    """Found by testing: said at a meeting before the policy started, it sat out of order in the trail."""
    before_start = riverside.meeting_on(riverside.today - timedelta(days=95), ["amira"])
    with pytest.raises(RulesBroken) as error:
        contribute(riverside, meeting_id=before_start, channel="meeting", happened_on=None)
    assert "This meeting was before EHE policy entered Co-commission" in error.value.by_field()["policy_id"]
    with pytest.raises(RulesBroken) as error:
        contribute(riverside, happened_on=riverside.today - timedelta(days=91))
    assert "The contribution is dated before EHE policy" in error.value.by_field()["happened_on"]
    contribute(riverside, happened_on=riverside.today - timedelta(days=90))


def test_a_contribution_at_a_meeting_is_about_one_of_its_partnerships_policies(riverside):
    app, actor = riverside.app, riverside.actor
    elsewhere = app.form_partnership(actor, "Hillside")
    other_policy = app.start_policy(actor, elsewhere, "SEND strategy", "authority", riverside.today)
    with pytest.raises(RulesBroken) as error:
        contribute(riverside, policy_id=other_policy, meeting_id=riverside.meeting, channel="meeting")
    # The contributor was at the meeting and is a member: only the policy is wrong.
    assert error.value.by_field() == {"policy_id": "Choose one of this partnership's policies"}


def test_a_rating_at_another_partnerships_meeting_is_told_only_that(riverside):
    app, actor = riverside.app, riverside.actor
    elsewhere = app.form_partnership(actor, "Hillside")
    their_meeting = app.schedule_meeting(
        actor, elsewhere, "Their meeting", riverside.today - timedelta(days=200), ""
    )
    with pytest.raises(RulesBroken) as error:
        app.rate_policy(actor, riverside.policy, "Communication", "green", meeting_id=their_meeting)
    assert error.value.by_field() == {"meeting_id": "Choose a meeting of this partnership"}
