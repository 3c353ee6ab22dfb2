"""The rest of a meeting's record, and of a policy's life: agenda, access, actions, minutes,
ratings, published versions, adoption, retirement and claimed rungs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import RulesBroken


def test_a_meeting_keeps_its_agenda_adjustments_actions_and_minutes(riverside):
    app, actor, meeting_id, day = riverside.app, riverside.actor, riverside.meeting, riverside.today
    app.add_agenda_item(actor, meeting_id, "Terms of reference", riverside.policy)
    app.record_access_adjustment(actor, meeting_id, "time", "Held after school hours")
    action_id = app.agree_action(
        actor, meeting_id, "Draft the survey", riverside.people["tom"], day + timedelta(days=14)
    )
    app.complete_action(actor, meeting_id, action_id, day)
    app.approve_minutes(actor, meeting_id, [riverside.people["amira"]], day)
    meeting = app.repository.get(meeting_id)
    assert meeting.agenda == [{"title": "Terms of reference", "policy_id": riverside.policy}]
    assert meeting.adjustments == [{"kind": "time", "description": "Held after school hours"}]
    assert meeting.actions[action_id]["done_on"] == day
    assert meeting.minutes_approved_on == day


def test_meeting_records_explain_what_is_wrong(riverside):
    app, actor, meeting_id, day = riverside.app, riverside.actor, riverside.meeting, riverside.today
    stranger = app.register_participant(actor, "Stranger", "health")
    with pytest.raises(RulesBroken) as error:
        app.record_access_adjustment(actor, meeting_id, "weather", "")
    assert set(error.value.by_field()) == {"kind", "description"}
    with pytest.raises(RulesBroken) as error:
        app.agree_action(actor, meeting_id, "", stranger, day - timedelta(days=1))
    assert set(error.value.by_field()) == {"description", "owner_id", "due_on"}
    with pytest.raises(RulesBroken) as error:
        app.approve_minutes(actor, meeting_id, [], day - timedelta(days=1))
    assert set(error.value.by_field()) == {"approved_by", "approved_on"}


def test_an_action_is_done_once(riverside):
    app, actor, meeting_id, day = riverside.app, riverside.actor, riverside.meeting, riverside.today
    action_id = app.agree_action(actor, meeting_id, "Draft the survey", riverside.people["tom"], day)
    app.complete_action(actor, meeting_id, action_id, day)
    with pytest.raises(RulesBroken) as error:
        app.complete_action(actor, meeting_id, action_id, day)
    assert "was done" in error.value.by_field()["action_id"]


def test_a_policy_is_rated_published_adopted_and_retired(riverside):
    app, actor, policy_id, day = riverside.app, riverside.actor, riverside.policy, riverside.today
    app.rate_policy(
        actor,
        policy_id,
        "Communication with families",
        "red",
        "Letters arrive unannounced",
        riverside.meeting,
    )
    app.publish_document_version(
        actor, policy_id, "EHE policy", "Draft 1", "a" * 64, "https://example.org/ehe.pdf", day
    )
    app.adopt_policy(actor, policy_id, day)
    app.retire_policy(actor, policy_id, "Replaced by the 2027 policy", day)
    policy = app.repository.get(policy_id)
    assert policy.versions == [{"version_label": "Draft 1", "content_hash": "a" * 64}]
    assert policy.adopted_on == day and policy.retired_on == day
    with pytest.raises(RulesBroken) as error:
        riverside.decide()
    assert "retired" in error.value.by_field()["policy_id"]


def test_policy_records_explain_what_is_wrong(riverside):
    app, actor, policy_id, day = riverside.app, riverside.actor, riverside.policy, riverside.today
    with pytest.raises(RulesBroken) as error:
        app.rate_policy(actor, policy_id, "", "purple")
    assert set(error.value.by_field()) == {"aspect", "rating", "happened_on"}
    with pytest.raises(RulesBroken) as error:
        app.publish_document_version(actor, policy_id, "", "", "not a hash", "ftp://x", day)
    assert set(error.value.by_field()) == {"title", "version_label", "content_hash", "link"}
    app.adopt_policy(actor, policy_id, day)
    with pytest.raises(RulesBroken) as error:
        app.adopt_policy(actor, policy_id, day)
    assert "adopted" in error.value.by_field()["adopted_on"]
    with pytest.raises(RulesBroken) as error:
        app.retire_policy(actor, policy_id, " ", day)
    assert "reason" in error.value.by_field()


def test_a_rung_is_claimed_on_a_ladder_for_a_stage_reached(riverside):
    app, actor, policy_id, day = riverside.app, riverside.actor, riverside.policy, riverside.today
    app.claim_participation_level(
        actor, policy_id, "Opening workshop", "co_producing", riverside.people["daniel"], day
    )
    app.claim_participation_level(
        actor, policy_id, "Young people's panel", "tokenism", riverside.people["daniel"], day, ladder="hart"
    )
    with pytest.raises(RulesBroken) as error:
        app.claim_participation_level(
            actor, policy_id, "", "tokenism", riverside.people["daniel"], day, stage="co_assess"
        )
    assert set(error.value.by_field()) == {"activity", "rung", "stage"}


def test_contact_preferences_need_a_real_address_to_agree_to_email(riverside):
    app, actor, amira = riverside.app, riverside.actor, riverside.people["amira"]
    app.set_contact_preferences(actor, amira, " amira@example.org ", True)
    participant = app.repository.get(amira)
    assert (participant.email, participant.email_consent) == ("amira@example.org", True)
    with pytest.raises(RulesBroken) as error:
        app.set_contact_preferences(actor, amira, "not an address", True)
    assert "email" in error.value.by_field()
    with pytest.raises(RulesBroken):
        app.set_contact_preferences(actor, amira, "", True)


@pytest.mark.parametrize(
    "address",
    [
        "bob@example.org\nBcc: eve@example.net",  # a line break would add a header
        "bob@example.org\r\nBcc:eve@example.net",
        "bob@example.org, eve@example.net",  # a comma would add a recipient
        "bob@example.org,eve@example.net",
        "bob@example.org; eve@example.net",
        "Bob <bob@example.org>",
        '"bob,eve"@example.org',
        "bob@example",
        "bob@@example.org",
        "bob@example..org",
        "a" * 250 + "@example.org",
    ],
)
def test_an_address_that_is_not_exactly_one_address_is_refused_and_nothing_recorded(riverside, address):
    app, actor, amira = riverside.app, riverside.actor, riverside.people["amira"]
    with pytest.raises(RulesBroken) as error:
        app.set_contact_preferences(actor, amira, address, True)
    assert error.value.by_field() == {
        "email": "Enter an email address in the right format, like name@example.com"
    }
    assert app.repository.get(amira).version == 1  # registered, and nothing since


def test_a_policy_title_is_one_line(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    for title in ("EHE policy\nBcc: eve@example.net", "EHE policy\r\nX: y", "EHE\u2028policy"):
        with pytest.raises(RulesBroken) as error:
            app.start_policy(actor, riverside.partnership, title, "authority", started_on=day)
        assert error.value.by_field() == {"title": "Write the title on one line"}


def test_actions_are_agreed_at_meetings_that_took_place(riverside):
    later = riverside.meeting_on(riverside.today + timedelta(days=7), [])
    with pytest.raises(RulesBroken) as error:
        riverside.app.agree_action(
            riverside.actor, later, "Draft", riverside.people["tom"], riverside.today + timedelta(days=14)
        )
    assert "taken place" in error.value.by_field()["description"]


def test_policy_facts_cannot_come_before_the_policy_started(riverside):
    app, actor, policy_id = riverside.app, riverside.actor, riverside.policy
    before_start = riverside.today - timedelta(days=200)
    with pytest.raises(RulesBroken) as error:
        app.adopt_policy(actor, policy_id, before_start)
    assert "before the policy started" in error.value.by_field()["adopted_on"]
    with pytest.raises(RulesBroken) as error:
        app.publish_document_version(actor, policy_id, "EHE", "1.0", "a" * 64, "", before_start)
    assert "before the policy started" in error.value.by_field()["published_on"]
    with pytest.raises(RulesBroken) as error:
        app.rate_policy(actor, policy_id, "Letters", "red", happened_on=before_start)
    assert "before the policy started" in error.value.by_field()["happened_on"]


def test_a_retired_policy_gets_no_new_versions_or_claims(riverside):
    app, actor, policy_id, day = riverside.app, riverside.actor, riverside.policy, riverside.today
    app.retire_policy(actor, policy_id, "Replaced", day)
    with pytest.raises(RulesBroken) as error:
        app.publish_document_version(actor, policy_id, "EHE", "2.0", "b" * 64, "", day)
    assert "retired" in error.value.by_field()["title"]
    with pytest.raises(RulesBroken) as error:
        app.claim_participation_level(
            actor, policy_id, "Workshop", "engaging", riverside.people["daniel"], day
        )
    assert "retired" in error.value.by_field()["activity"]


def test_nobody_joins_a_partnership_in_the_future(riverside):
    someone = riverside.app.register_participant(riverside.actor, "Someone", "health")
    with pytest.raises(RulesBroken) as error:
        riverside.app.add_member(
            riverside.actor, riverside.partnership, someone, riverside.today + timedelta(days=1)
        )
    assert "future" in error.value.by_field()["joined_on"]


def test_a_policy_is_not_retired_before_it_was_adopted(riverside):
    app, actor, policy_id, day = riverside.app, riverside.actor, riverside.policy, riverside.today
    app.adopt_policy(actor, policy_id, day)
    with pytest.raises(RulesBroken) as error:
        app.retire_policy(actor, policy_id, "Replaced", day - timedelta(days=1))
    assert "before the adoption" in error.value.by_field()["retired_on"]
    app.retire_policy(actor, policy_id, "Replaced", day)
