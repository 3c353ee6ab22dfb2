"""Corrections of what was recorded wrong, besides decisions: a contribution's words, its response,
an action marked done by mistake. Each is a new event with a reason; nothing is edited in place."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.contributions import Contribution
from domain.errors import RulesBroken
from tests.domain.test_contributions import contribute, respond


def test_a_contributions_words_are_corrected_with_a_reason_and_the_event_keeps_both(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    contribution_id = contribute(riverside)
    app.correct_contribution(
        actor, contribution_id, " Ask families before any home visit ", "Misheard at the meeting", day
    )
    contribution = app.repository.get(contribution_id)
    assert contribution.text == "Ask families before any home visit"
    corrected = list(app.events.get(contribution_id))[-1]
    assert isinstance(corrected, Contribution.Corrected)
    assert (corrected.reason, corrected.contributor_id) == (
        "Misheard at the meeting",
        riverside.people["amira"],
    )


def test_a_contribution_correction_needs_a_reason_new_words_and_a_sensible_date(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    contribution_id = contribute(riverside)
    with pytest.raises(RulesBroken) as error:
        app.correct_contribution(
            actor, contribution_id, "Ask families before any visit", " ", day - timedelta(days=10)
        )
    assert set(error.value.by_field()) == {"text", "reason", "happened_on"}
    with pytest.raises(RulesBroken) as error:
        app.correct_contribution(actor, contribution_id, "", "Slip", day + timedelta(days=1))
    assert set(error.value.by_field()) == {"text", "happened_on"}
    assert len(list(app.events.get(contribution_id))) == 1  # nothing written


def test_a_response_is_corrected_and_keeps_the_day_it_was_given(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    contribution_id = contribute(riverside)
    respond(riverside, contribution_id, happened_on=day - timedelta(days=1))
    app.correct_response(
        actor, contribution_id, "adapted", "Visits by appointment", "Recorded as adopted by mistake", day
    )
    contribution = app.repository.get(contribution_id)
    assert (contribution.response, contribution.reason) == ("adapted", "Visits by appointment")
    assert contribution.responded_on == day - timedelta(days=1)
    corrected = list(app.events.get(contribution_id))[-1]
    assert isinstance(corrected, Contribution.ResponseCorrected)
    assert corrected.responded_on == day - timedelta(days=1)


def test_a_response_correction_keeps_the_rules_of_a_response(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    contribution_id = contribute(riverside)
    with pytest.raises(RulesBroken) as error:
        app.correct_response(actor, contribution_id, "adopted", "", "Slip", day)
    assert "no response yet" in error.value.by_field()["response"]
    respond(riverside, contribution_id)
    with pytest.raises(RulesBroken) as error:
        app.correct_response(actor, contribution_id, "not_adopted", "", "", day)
    assert set(error.value.by_field()) == {"response_reason", "reason"}
    with pytest.raises(RulesBroken) as error:
        app.correct_response(actor, contribution_id, "adopted", "", "Slip", day)
    assert "same" in error.value.by_field()["response"]
    assert len(list(app.events.get(contribution_id))) == 2


def test_an_action_marked_done_by_mistake_is_reopened_with_a_reason(riverside):
    app, actor, meeting_id, day = riverside.app, riverside.actor, riverside.meeting, riverside.today
    action_id = app.agree_action(actor, meeting_id, "Draft the survey", riverside.people["tom"], day)
    with pytest.raises(RulesBroken) as error:
        app.reopen_action(actor, meeting_id, action_id, "Marked by mistake", day)
    assert "not marked done" in error.value.by_field()["action_id"]
    app.complete_action(actor, meeting_id, action_id, day)
    with pytest.raises(RulesBroken) as error:
        app.reopen_action(actor, meeting_id, action_id, "", day - timedelta(days=1))
    assert set(error.value.by_field()) == {"reason", "happened_on"}
    app.reopen_action(actor, meeting_id, action_id, "Marked by mistake", day)
    assert app.repository.get(meeting_id).actions[action_id]["done_on"] is None
    app.complete_action(actor, meeting_id, action_id, day)  # it can be done again, really
    assert app.repository.get(meeting_id).actions[action_id]["done_on"] == day


def test_a_meetings_place_and_date_are_corrected_with_a_reason(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    meeting_id = app.schedule_meeting(actor, riverside.partnership, "Workshop", day, "Town Hall")
    with pytest.raises(RulesBroken) as error:
        app.correct_meeting(actor, meeting_id, day, "Town Hall", "", day + timedelta(days=1))
    assert set(error.value.by_field()) == {"held_on", "reason", "happened_on"}
    earlier = day - timedelta(days=1)
    app.correct_meeting(actor, meeting_id, earlier, "Library", "Typed the wrong day", day)
    meeting = app.repository.get(meeting_id)
    assert (meeting.held_on, meeting.place) == (earlier, "Library")
    corrected = list(app.events.get(meeting_id))[-1]
    assert (corrected.previous_held_on, corrected.previous_place) == (day, "Town Hall")

    app.record_attendance(actor, meeting_id, [riverside.people["amira"]], [])
    with pytest.raises(RulesBroken) as error:
        app.correct_meeting(actor, meeting_id, day + timedelta(days=1), "Library", "Wrong again", day)
    assert "has taken place" in error.value.by_field()["held_on"]
    app.correct_meeting(actor, meeting_id, earlier, "Library, Room 2", "The room", day)
    assert app.repository.get(meeting_id).place == "Library, Room 2"


def test_an_agenda_item_is_corrected_and_its_policy_kept(riverside):
    app, actor, meeting_id, day = riverside.app, riverside.actor, riverside.meeting, riverside.today
    app.add_agenda_item(actor, meeting_id, "Welcome", None)
    app.add_agenda_item(actor, meeting_id, "Terms of referance", riverside.policy)
    with pytest.raises(RulesBroken) as error:
        app.correct_agenda_item(actor, meeting_id, 1, "Terms of referance", "", day)
    assert set(error.value.by_field()) == {"title", "reason"}
    with pytest.raises(RulesBroken) as error:
        app.correct_agenda_item(actor, meeting_id, 2, "Anything", "Slip", day)
    assert "agenda items" in error.value.by_field()["title"]
    app.correct_agenda_item(actor, meeting_id, 1, "Terms of reference", "Spelling", day)
    assert app.repository.get(meeting_id).agenda == [
        {"title": "Welcome", "policy_id": None},
        {"title": "Terms of reference", "policy_id": riverside.policy},
    ]
    corrected = list(app.events.get(meeting_id))[-1]
    assert (corrected.previous_title, corrected.policy_id) == ("Terms of referance", riverside.policy)


def test_a_members_name_is_corrected_by_their_partnership_with_a_reason(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    amira = riverside.people["amira"]
    with pytest.raises(RulesBroken) as error:
        app.correct_member_name(actor, riverside.partnership, amira, "Amira", "", day)
    assert set(error.value.by_field()) == {"name", "reason"}
    outsider = app.register_participant(actor, "Out Sider", "health")
    with pytest.raises(RulesBroken) as error:
        app.correct_member_name(actor, riverside.partnership, outsider, "Outsider", "Spelling", day)
    assert "members" in error.value.by_field()["name"]
    app.correct_member_name(actor, riverside.partnership, amira, "Amira Hassan", "Surname left out", day)
    assert app.repository.get(amira).name == "Amira Hassan"
    corrected = list(app.events.get(amira))[-1]
    assert (corrected.previous_name, corrected.partnership_id) == ("Amira", riverside.partnership)


def test_a_members_email_is_corrected_by_their_partnership_with_a_reason_and_consent_kept(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    amira = riverside.people["amira"]
    with pytest.raises(RulesBroken) as error:
        app.correct_member_email(actor, riverside.partnership, amira, "amira@example.org", "Typo", day)
    assert "No email address is recorded" in error.value.by_field()["email"]
    app.set_contact_preferences(actor, amira, "amira@exmaple.org", False)
    for email, reason, fields in [
        ("amira@example.org", " ", {"reason"}),
        ("amira@exmaple.org", "Typo", {"email"}),
        ("amira@example.org, tom@example.org", "Typo", {"email"}),
        ("", "Typo", {"email"}),
    ]:
        with pytest.raises(RulesBroken) as error:
            app.correct_member_email(actor, riverside.partnership, amira, email, reason, day)
        assert set(error.value.by_field()) == fields, email
    outsider = app.register_participant(actor, "Out Sider", "health")
    app.set_contact_preferences(actor, outsider, "out@exmaple.org", True)
    with pytest.raises(RulesBroken) as error:
        app.correct_member_email(actor, riverside.partnership, outsider, "out@example.org", "Typo", day)
    assert "members" in error.value.by_field()["email"]

    app.correct_member_email(actor, riverside.partnership, amira, " amira@example.org ", "Mistyped", day)
    participant = app.repository.get(amira)
    assert (participant.email, participant.email_consent) == ("amira@example.org", False)
    corrected = list(app.events.get(amira))[-1]
    assert (corrected.previous_email, corrected.reason, corrected.partnership_id) == (
        "amira@exmaple.org",
        "Mistyped",
        riverside.partnership,
    )


def test_a_members_group_is_corrected_with_a_reason_and_later_decisions_name_it(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    daniel = riverside.people["daniel"]
    for group, reason, fields in [
        ("local_authority", "Typo", {"stakeholder_group"}),
        ("astronaut", "Typo", {"stakeholder_group"}),
        ("parent_carer", "", {"reason"}),
    ]:
        with pytest.raises(RulesBroken) as error:
            app.correct_member_group(actor, riverside.partnership, daniel, group, reason, day)
        assert set(error.value.by_field()) == fields, group
    app.correct_member_group(actor, riverside.partnership, daniel, "parent_carer", "A parent carer", day)
    assert app.repository.get(daniel).stakeholder_group == "parent_carer"
    corrected = list(app.events.get(daniel))[-1]
    assert (corrected.previous_group, corrected.reason) == ("local_authority", "A parent carer")
    decided = riverside.decide(decided_by=[daniel])
    assert app.repository.get(decided).decision_maker_groups == ["parent_carer"]
