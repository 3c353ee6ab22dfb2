"""Policies walk the Iriss cycle in order; meetings have dates that make sense and real attendance."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import RulesBroken
from domain.meetings import Meeting
from domain.people import LOCAL_OPERATOR_ID
from domain.policies import Policy


def test_a_policy_starts_at_co_commission_in_cycle_one(riverside):
    policy = riverside.app.repository.get(riverside.policy)
    assert isinstance(policy, Policy)
    assert [(s.stage, s.cycle) for s in policy.stages] == [("co_commission", 1)]
    assert policy.initiated_by == "citizens"


def test_stages_are_entered_in_iriss_order_and_assessment_opens_the_next_cycle(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    for stage in ("co_design", "co_deliver", "co_assess", "co_commission"):
        app.enter_stage(actor, riverside.policy, stage, day)
    policy = app.repository.get(riverside.policy)
    assert [(s.stage, s.cycle) for s in policy.stages][-2:] == [
        ("co_assess", 1),
        ("co_commission", 2),
    ]


def test_a_stage_cannot_be_skipped(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.app.enter_stage(riverside.actor, riverside.policy, "co_deliver", riverside.today)
    assert "Co-design" in error.value.by_field()["stage"]


def test_a_stage_cannot_begin_in_the_future_or_before_the_last(riverside):
    app, actor = riverside.app, riverside.actor
    with pytest.raises(RulesBroken) as error:
        app.enter_stage(actor, riverside.policy, "co_design", riverside.today + timedelta(days=1))
    assert "future" in error.value.by_field()["entered_on"]
    with pytest.raises(RulesBroken) as error:
        app.enter_stage(actor, riverside.policy, "co_design", riverside.today - timedelta(days=365))
    assert "cannot begin before" in error.value.by_field()["entered_on"]


def test_a_policy_needs_a_title_an_initiator_and_a_past_start(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.app.start_policy(
            riverside.actor,
            riverside.partnership,
            " ",
            "nobody",
            riverside.today + timedelta(days=2),
        )
    assert set(error.value.by_field()) == {"title", "initiated_by", "started_on"}


def test_a_meeting_far_in_the_future_is_refused(riverside):
    before = riverside.notifications()
    with pytest.raises(RulesBroken) as error:
        riverside.app.schedule_meeting(
            riverside.actor,
            riverside.partnership,
            "Meeting",
            riverside.today.replace(year=2062),
            "",
        )
    assert "within a year" in error.value.by_field()["held_on"]
    assert riverside.notifications() == before


def test_a_meeting_can_be_planned_within_the_year(riverside):
    meeting_id = riverside.meeting_on(riverside.today + timedelta(days=300), [])
    assert isinstance(riverside.app.repository.get(meeting_id), Meeting)


def test_a_meeting_needs_a_title(riverside):
    with pytest.raises(RulesBroken) as error:
        riverside.app.schedule_meeting(riverside.actor, riverside.partnership, "", riverside.today, "")
    assert "title" in error.value.by_field()


def test_attendance_is_for_members_only(riverside):
    app = riverside.app
    stranger = app.register_participant(riverside.actor, "Stranger", "health")
    with pytest.raises(RulesBroken) as error:
        app.record_attendance(riverside.actor, riverside.meeting, [stranger], [])
    assert "members" in error.value.by_field()["present"]


def test_nobody_is_both_present_and_sending_apologies(riverside):
    amira = riverside.people["amira"]
    with pytest.raises(RulesBroken) as error:
        riverside.app.record_attendance(riverside.actor, riverside.meeting, [amira], [amira])
    assert "apologies" in error.value.by_field()


def test_attendance_waits_for_the_meeting_to_take_place(riverside):
    later = riverside.meeting_on(riverside.today + timedelta(days=7), [])
    with pytest.raises(RulesBroken) as error:
        riverside.app.record_attendance(riverside.actor, later, [riverside.people["amira"]], [])
    assert "taken place" in error.value.by_field()["present"]


def test_attendance_recorded_again_replaces_the_last(riverside):
    app, amira = riverside.app, riverside.people["amira"]
    app.record_attendance(riverside.actor, riverside.meeting, [amira], [])
    meeting = app.repository.get(riverside.meeting)
    assert meeting.present == [amira] and meeting.apologies == []


def test_a_participant_needs_a_name_and_a_known_group(memory_app):
    with pytest.raises(RulesBroken) as error:
        memory_app.register_participant(LOCAL_OPERATOR_ID, "", "astronaut")
    assert set(error.value.by_field()) == {"name", "stakeholder_group"}


def test_the_local_operator_is_created_once(memory_app):
    before = memory_app.recorder.max_notification_id()
    assert memory_app.create_local_operator() == LOCAL_OPERATOR_ID
    assert memory_app.recorder.max_notification_id() == before


def test_the_chair_is_a_member(riverside):
    stranger = riverside.app.register_participant(riverside.actor, "Stranger", "health")
    with pytest.raises(RulesBroken):
        riverside.app.appoint_chair(riverside.actor, riverside.partnership, stranger)


def test_nobody_attends_a_meeting_held_before_they_joined(riverside):
    """Found by testing: a member who joined in January could decide at a meeting the March before."""
    app, actor = riverside.app, riverside.actor
    newcomer = app.register_participant(actor, "Nia", "parent_carer")
    app.add_member(actor, riverside.partnership, newcomer, riverside.today - timedelta(days=10))
    earlier = riverside.meeting_on(riverside.today - timedelta(days=20), [])
    with pytest.raises(RulesBroken) as error:
        app.record_attendance(actor, earlier, [riverside.people["amira"]], [newcomer])
    assert "Nia joined the partnership after this meeting" in error.value.by_field()["present"]
    app.record_attendance(actor, earlier, [riverside.people["amira"]], [])
    later = riverside.meeting_on(riverside.today - timedelta(days=10), [])
    app.record_attendance(actor, later, [newcomer], [])  # on the day they joined
