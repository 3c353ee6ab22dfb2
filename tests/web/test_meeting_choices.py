"""The meeting page offers its forms' people a page of members at a time, with those at the meeting
always among them, so a partnership of thousands gives a page of the same size; anyone can still be
chosen, by moving through the pages of members, without JavaScript. Its names are those it shows."""

from __future__ import annotations

import html
import re

import pytest

from tests.conftest import TODAY
from tests.story import Riverside
from tests.web.test_meeting_page import post
from web.meetings import MEMBERS_SHOWN


@pytest.fixture
def story(flask_app) -> Riverside:
    """Riverside with 60 more members, named so that they sort before its own five, and someone
    of another partnership."""
    story = Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY)
    app, actor = story.app, story.actor
    story.more = []
    for n in range(60):
        person = app.register_participant(actor, f"Aaron {n:02d}", "parent_carer")
        app.add_member(actor, story.partnership, person, TODAY)
        story.more.append(person)
    other = app.form_partnership(actor, "Another partnership")
    story.outsider = app.register_participant(actor, "Zebedee Outsider", "health")
    app.add_member(actor, other, story.outsider, TODAY)
    return story


def attendance_boxes(page: str) -> list[str]:
    return re.findall(r'name="present" value="([0-9a-f-]+)"', page)


def test_the_attendance_form_offers_a_page_of_members_and_those_at_the_meeting(client, story):
    page = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    boxes = attendance_boxes(page)
    at_meeting = {str(story.people[n]) for n in ("amira", "tom", "daniel", "sophie")}
    assert at_meeting <= set(boxes)  # present, though their names sort after the first page
    assert len(boxes) <= MEMBERS_SHOWN + len(at_meeting) + 1
    assert str(story.more[59]) not in boxes
    assert "Zebedee" not in page  # no name from outside what the page shows


def test_someone_on_a_later_page_of_members_can_be_recorded_present(client, story):
    url = f"/meetings/{story.meeting}"
    while True:
        page = client.get(url).get_data(as_text=True)
        if str(story.more[59]) in attendance_boxes(page):
            break
        url = html.unescape(re.search(r'<a rel="next" href="([^"]+)"', page).group(1))
        assert "Aaron" not in url  # an address names a member by id alone
    present = [str(story.people[n]) for n in ("amira", "tom", "daniel", "sophie")] + [str(story.more[59])]
    response = post(client, f"/meetings/{story.meeting}/attendance", {"present": present})
    assert response.status_code == 303
    first = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    assert set(present) <= set(attendance_boxes(first))
    # The decision form offers her among those present, on the first page.
    assert re.search(rf'name="decided_by" value="{story.more[59]}"', first)
