"""A meeting's date corrected after people were recorded present at it: its decisions and
contributions took its date, and move with it, each by an event of its own naming the reason, all
in one save. A move that would break a rule of the record is refused, and nothing is written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from domain.contributions import Contribution
from domain.decisions import Decision
from domain.errors import RulesBroken
from domain.meetings import Meeting
from tests.domain.test_contributions import contribute, respond


def at_meeting(story, meeting_id, **changes: Any):
    return contribute(story, channel="meeting", meeting_id=meeting_id, happened_on=None, **changes)


def test_the_decisions_and_contributions_of_a_meeting_move_with_its_corrected_date(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    earlier = day - timedelta(days=2)
    contribution_id = at_meeting(riverside, riverside.meeting)
    decision_id = riverside.decide(cites=[contribution_id])
    elsewhere = contribute(riverside, happened_on=day - timedelta(days=5))
    before = riverside.notifications()

    app.correct_meeting(actor, riverside.meeting, earlier, "Library", "Held on the Saturday", day)

    assert app.repository.get(decision_id).happened_on == earlier
    assert app.repository.get(contribution_id).happened_on == earlier
    assert app.repository.get(elsewhere).happened_on == day - timedelta(days=5)  # not dated by it
    for record_id, kind in ((decision_id, Decision), (contribution_id, Contribution)):
        redated = list(app.events.get(record_id))[-1]
        assert isinstance(redated, kind.Redated)
        assert (redated.previous_date, redated.new_date) == (day, earlier)
        assert (redated.meeting_id, redated.reason, redated.happened_on) == (
            riverside.meeting,
            "Held on the Saturday",
            day,
        )
    assert isinstance(list(app.events.get(riverside.meeting))[-1], Meeting.DetailsCorrected)
    assert riverside.notifications() == before + 3  # the meeting's correction and the two moves


def test_a_move_before_what_the_meetings_decision_cites_is_refused_and_nothing_written(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    cited = contribute(riverside, happened_on=day - timedelta(days=3))
    decision_id = riverside.decide(cites=[cited])
    before = riverside.notifications()
    with pytest.raises(RulesBroken) as error:
        app.correct_meeting(actor, riverside.meeting, day - timedelta(days=4), "Library", "Wrong day", day)
    assert "cites a contribution made on 12 June 2026" in error.value.by_field()["held_on"]
    assert riverside.notifications() == before
    assert app.repository.get(decision_id).happened_on == day
    app.correct_meeting(actor, riverside.meeting, day - timedelta(days=3), "Library", "Wrong day", day)
    assert app.repository.get(decision_id).happened_on == day - timedelta(days=3)  # the same day is fine


def test_a_contribution_cannot_move_after_a_decision_elsewhere_that_cites_it(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    old_meeting = riverside.meeting_on(day - timedelta(days=10), ["amira", "tom", "daniel"])
    contribution_id = at_meeting(riverside, old_meeting)
    later_meeting = riverside.meeting_on(day - timedelta(days=5), ["amira", "tom", "daniel"])
    riverside.decide(meeting_id=later_meeting, cites=[contribution_id])
    with pytest.raises(RulesBroken) as error:
        app.correct_meeting(actor, old_meeting, day - timedelta(days=4), "", "Wrong day", day)
    assert "A decision taken on 10 June 2026, before 11 June 2026, cites" in error.value.by_field()["held_on"]
    app.correct_meeting(actor, old_meeting, day - timedelta(days=5), "", "Wrong day", day)
    assert app.repository.get(contribution_id).happened_on == day - timedelta(days=5)


def test_a_move_past_the_response_or_before_the_stage_is_refused(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    old_meeting = riverside.meeting_on(day - timedelta(days=10), ["amira", "tom", "daniel"])
    contribution_id = at_meeting(riverside, old_meeting)
    respond(riverside, contribution_id, happened_on=day - timedelta(days=8))
    with pytest.raises(RulesBroken) as error:
        app.correct_meeting(actor, old_meeting, day - timedelta(days=7), "", "Wrong day", day)
    assert "answered or corrected on 7 June 2026" in error.value.by_field()["held_on"]
    # The policy entered co-commission 90 days ago.
    with pytest.raises(RulesBroken) as error:
        app.correct_meeting(actor, old_meeting, day - timedelta(days=91), "", "Wrong day", day)
    assert "began on 17 March 2026" in error.value.by_field()["held_on"]
    assert app.repository.get(contribution_id).happened_on == day - timedelta(days=10)


def test_a_decision_cannot_move_past_the_next_stage_nor_after_it_was_amended(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    old_meeting = riverside.meeting_on(day - timedelta(days=10), ["amira", "tom", "daniel"])
    decision_id = riverside.decide(meeting_id=old_meeting)
    app.correct_decision(actor, decision_id, "Start from a clean page", "Slip", day - timedelta(days=6))
    with pytest.raises(RulesBroken) as error:
        app.correct_meeting(actor, old_meeting, day - timedelta(days=5), "", "Wrong day", day)
    assert "corrected, reversed or superseded on 9 June 2026" in error.value.by_field()["held_on"]
    app.enter_stage(actor, riverside.policy, "co_design", day - timedelta(days=8))
    with pytest.raises(RulesBroken) as error:
        app.correct_meeting(actor, old_meeting, day - timedelta(days=7), "", "Wrong day", day)
    assert "Co-design began on 7 June 2026" in error.value.by_field()["held_on"]
    app.correct_meeting(actor, old_meeting, day - timedelta(days=9), "", "Wrong day", day)
    assert app.repository.get(decision_id).happened_on == day - timedelta(days=9)


def test_a_meeting_with_people_present_cannot_move_into_the_future_nor_before_they_joined(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    old_meeting = riverside.meeting_on(day - timedelta(days=10), ["amira"])
    with pytest.raises(RulesBroken) as error:
        app.correct_meeting(actor, old_meeting, day + timedelta(days=3), "", "Wrong day", day)
    assert "has taken place" in error.value.by_field()["held_on"]
    with pytest.raises(RulesBroken) as error:
        app.correct_meeting(actor, old_meeting, day - timedelta(days=101), "", "Wrong day", day)
    assert "joined the partnership on 7 March 2026" in error.value.by_field()["held_on"]


def test_a_meeting_where_a_decision_was_reversed_keeps_its_date(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    decision_id = riverside.decide(
        meeting_id=riverside.meeting_on(day - timedelta(days=10), ["amira", "daniel", "tom"])
    )
    app.reverse_decision(actor, decision_id, "Changed our minds", day, meeting_id=riverside.meeting)
    with pytest.raises(RulesBroken) as error:
        app.correct_meeting(actor, riverside.meeting, day - timedelta(days=1), "Library", "Wrong day", day)
    assert "reversed at this meeting" in error.value.by_field()["held_on"]


def test_the_log_is_read_a_page_at_a_time_and_nothing_is_missed(riverside, monkeypatch):
    from domain.commands import redating

    monkeypatch.setattr(redating, "_PAGE", 2)
    app, actor, day = riverside.app, riverside.actor, riverside.today
    ids = [riverside.decide(text=f"Decision {n}") for n in range(5)]
    ids.append(at_meeting(riverside, riverside.meeting))
    app.correct_meeting(actor, riverside.meeting, day - timedelta(days=1), "Library", "Wrong day", day)
    assert {app.repository.get(i).happened_on for i in ids} == {day - timedelta(days=1)}


def test_a_meeting_whose_decision_opened_a_stage_cannot_move_before_it(riverside):
    app, actor, day = riverside.app, riverside.actor, riverside.today
    decision_id = riverside.decide(stage="co_design")  # opens co-design today
    with pytest.raises(RulesBroken) as error:
        app.correct_meeting(actor, riverside.meeting, day - timedelta(days=1), "Library", "Wrong day", day)
    assert "a stage's start does not move with a meeting" in error.value.by_field()["held_on"]
    assert app.repository.get(decision_id).happened_on == day
