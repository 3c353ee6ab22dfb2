"""A partnership with many contributions awaiting a response: the meeting page names those waiting
longest, and the partnership's contributions page lists them all, a page at a time."""

from __future__ import annotations

import html
import re

import pytest

from tests.conftest import TODAY
from tests.story import Riverside


@pytest.fixture
def story(flask_app) -> Riverside:
    """Riverside with 30 contributions, the first 3 answered."""
    story = Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY)
    story.said = [
        story.app.submit_contribution(
            story.actor, story.policy, story.people["amira"], "view", f"Point {n:02d}", "email", TODAY
        )
        for n in range(30)
    ]
    for said in story.said[:3]:
        story.app.respond_to_contribution(story.actor, said, "adopted", "Done", story.people["daniel"], TODAY)
    return story


def listed(page: str, section: str) -> list[str]:
    part = page.split(f'<h2 id="{section}">', 1)[1].split("<h2", 1)[0]
    return re.findall(r"“(Point \d+)”", part)


def test_the_awaiting_and_the_answered_are_each_read_a_page_at_a_time(client, story):
    url = f"/partnerships/{story.partnership}/contributions"
    first = client.get(url).get_data(as_text=True)
    assert "Awaiting a response (27)" in first and "Answered (3)" in first
    assert listed(first, "awaiting") == [f"Point {n:02d}" for n in range(3, 28)]
    assert listed(first, "answered") == ["Point 02", "Point 01", "Point 00"]  # the most recent first
    following = html.unescape(re.search(r'<a rel="next" href="([^"]+)"', first).group(1))
    assert following.endswith("#awaiting")
    second = client.get(following).get_data(as_text=True)
    assert listed(second, "awaiting") == ["Point 28", "Point 29"]
    assert "Contributions 26 to 27 of 27" in second


def test_the_meeting_page_names_those_waiting_longest(client, story):
    page = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    awaiting = page.split('id="awaiting"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"“(Point \d+)”", awaiting) == [f"Point {n:02d}" for n in range(3, 13)]
    assert "The 10 that have waited longest, of 27 contributions awaiting a response." in page
