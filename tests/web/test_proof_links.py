"""A link to an event of a policy's trail (a verdict's proof, a decision on the meeting page) opens
the trail's page that holds the event, however long the trail: not its first page, where it is not."""

from __future__ import annotations

import html
import re

from tests.conftest import TODAY
from tests.story import Riverside
from web.policies import TRAIL_PAGE


def test_a_link_to_a_late_event_opens_the_trail_page_that_holds_it(client, flask_app):
    story = Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY)
    for n in range(TRAIL_PAGE + 10):
        story.app.rate_policy(story.actor, story.policy, f"Aspect {n}", "green", happened_on=TODAY)
    story.decide(text="Adopt the late plan")

    meeting = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    evidence = client.get(f"/policies/{story.policy}/evidence").get_data(as_text=True)
    (from_meeting,) = re.findall(rf'href="(/policies/{story.policy}[^"]*#event-\d+)"', meeting)
    from_evidence = re.search(r'href="([^"]*#event-\d+)">Decision &#39;Adopt the late plan', evidence)
    assert from_evidence is not None and html.unescape(from_evidence.group(1)) == html.unescape(from_meeting)

    address, anchor = html.unescape(from_meeting).split("#")
    trail = client.get(address).get_data(as_text=True)
    assert f'<tr id="{anchor}"' in trail
    assert 'rel="prev"' in trail  # the events before it are a page back
    first_page = client.get(f"/policies/{story.policy}").get_data(as_text=True)
    assert f'<tr id="{anchor}"' not in first_page  # what the bare #event-N link opened
