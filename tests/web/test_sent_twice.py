"""A form sent twice (a double click, a page resent after going back) records once: found by sending
every form twice, which gave two meetings, two decisions, two contributions, two members."""

from __future__ import annotations

import re
from uuid import uuid4

import pytest

from cotrace.services import open_services
from tests.conftest import TODAY
from tests.web.test_meeting_page import HTMX, MODES, good_decision, post


def form_shown(client, url: str) -> str:
    """The submission id the page's form carries, as a browser would send it."""
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="submission" value="([0-9a-f]{32})"', page).group(1)


def without_submission_ids(page: str) -> str:
    return re.sub(r'name="submission" value="\w+"', "", page)


def test_every_form_carries_a_submission_id_new_each_time_it_is_shown(client, story):
    first, again = (form_shown(client, f"/partnerships/{story.partnership}/members/new") for _ in range(2))
    assert first != again
    meeting = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    forms = meeting.count("<form ")
    assert forms > 1 and len(set(re.findall(r'name="submission" value="(\w+)"', meeting))) == forms


def test_a_meeting_scheduled_twice_from_one_form_is_one_meeting(client, story):
    data = {"title": "Co-design workshop", "held_on": "2026-07-01", "place": "Hall"}
    data["submission"] = form_shown(client, f"/partnerships/{story.partnership}")
    first = post(client, f"/partnerships/{story.partnership}/meetings", data)
    recorded = story.notifications()
    shown = without_submission_ids(client.get(f"/partnerships/{story.partnership}").get_data(as_text=True))
    again = post(client, f"/partnerships/{story.partnership}/meetings", data)
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]  # the same meeting's page
    assert story.notifications() == recorded
    page = client.get(f"/partnerships/{story.partnership}").get_data(as_text=True)
    assert without_submission_ids(page) == shown


@MODES
def test_a_decision_sent_twice_is_recorded_once(client, story, headers):
    data = good_decision(story, submission=form_shown(client, f"/meetings/{story.meeting}"))
    first = post(client, f"/meetings/{story.meeting}/decisions", data, headers)
    recorded = story.notifications()
    again = post(client, f"/meetings/{story.meeting}/decisions", data, headers)
    assert first.status_code == again.status_code == (200 if headers else 303)
    assert story.notifications() == recorded
    trail = client.get(f"/policies/{story.policy}").get_data(as_text=True)
    assert trail.count("Write the principles with home educators first") == 1


def test_the_same_thing_recorded_from_a_form_shown_again_is_recorded_again(client, story):
    """On purpose: two members of the same name are two people."""
    url = f"/partnerships/{story.partnership}/members/new"
    data = {"name": "Sam", "stakeholder_group": "parent_carer", "joined_on": "2026-05-01"}
    before = story.notifications()
    for _ in range(2):
        assert post(client, url, {**data, "submission": form_shown(client, url)}).status_code == 303
    assert story.notifications() == before + 4  # registered and added, twice


def test_a_form_sent_again_after_a_mistake_is_saved_when_put_right(client, story):
    """Nothing was kept for a form whose command was refused: putting it right saves it."""
    url = f"/partnerships/{story.partnership}/members/new"
    data = {"name": "", "stakeholder_group": "parent_carer", "joined_on": "2026-05-01"}
    data["submission"] = form_shown(client, url)
    assert post(client, url, data).status_code == 422
    assert post(client, url, {**data, "name": "Sam"}, HTMX).status_code == 303


@pytest.mark.parametrize("sent", ["", "not-an-id", "A" * 32])
def test_a_submission_id_we_did_not_make_is_no_id(client, story, sent):
    data = {"title": "Workshop", "held_on": "2026-07-01", "place": "", "submission": sent}
    before = story.notifications()
    for _ in range(2):
        assert post(client, f"/partnerships/{story.partnership}/meetings", data).status_code == 303
    assert story.notifications() == before + 2


def test_a_form_sent_to_two_processes_records_once(database_url, story):
    """Each process has its own aggregate cache and lock: the table is what they share."""
    other = open_services(database_url, today=lambda: TODAY)
    try:
        submission = uuid4().hex

        def schedule(app, actor):
            return app.schedule_meeting(actor, story.partnership, "Workshop", TODAY, "Hall")

        first = other.run(schedule, story.actor, submission)
        recorded = other.app.recorder.max_notification_id()
        again = open_services(database_url, today=lambda: TODAY)
        try:
            assert again.run(schedule, story.actor, submission) == first
            assert again.app.recorder.max_notification_id() == recorded
        finally:
            again.close()
    finally:
        other.close()
