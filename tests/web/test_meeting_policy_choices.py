"""The meeting page's forms offer the meeting's own policies and a page of the partnership's others,
so a partnership of hundreds of policies gives a page of the same size; any policy can still be
chosen, by moving through the pages or by words from its title, without JavaScript."""

from __future__ import annotations

import html
import re

import pytest

from tests.conftest import TODAY
from tests.story import Riverside
from tests.web.test_meeting_page import post
from web.meetings import POLICIES_SHOWN


@pytest.fixture
def story(flask_app) -> Riverside:
    """Riverside, its EHE policy decided at the meeting, with 30 more policies whose titles sort
    before it."""
    story = Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY)
    story.decide()
    story.more = [
        story.app.start_policy(story.actor, story.partnership, f"Aardvark plan {n:02d}", "authority", TODAY)
        for n in range(30)
    ]
    return story


def agenda_choices(page: str) -> list[str]:
    form = page.split('id="agenda-policy_id"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([0-9a-f-]+)"', form)


def test_the_forms_offer_the_meetings_policy_first_and_a_page_of_others(client, story):
    page = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    offered = agenda_choices(page)
    assert offered[0] == str(story.policy)  # decided at this meeting, though it sorts after the page
    assert offered[1:] == [str(p) for p in story.more[:POLICIES_SHOWN]]
    assert "Aardvark plan 29" not in page
    assert "by title: 1 to 20 of 31" in html.unescape(re.sub(r"\s+", " ", page))

    later = html.unescape(re.search(r'<a rel="next" href="([^"]+)"', page).group(1))
    assert later.endswith("#policy-choices")
    assert str(story.more[29]) in agenda_choices(client.get(later).get_data(as_text=True))


def test_a_policy_found_by_its_title_can_be_chosen_and_cited_from(client, story):
    found = client.get(f"/meetings/{story.meeting}", query_string={"policy_words": "plan 29"})
    offered = agenda_choices(found.get_data(as_text=True))
    assert offered == [str(story.policy), str(story.more[29])]
    response = post(
        client,
        f"/meetings/{story.meeting}/contributions",
        {
            "contributor_id": str(story.people["amira"]),
            "policy_id": str(story.more[29]),
            "kind": "view",
            "channel": "meeting",
            "text": "Aardvarks first",
        },
    )
    assert response.status_code == 303
    # Now in the meeting's record, the policy is offered on the first page too.
    assert str(story.more[29]) in agenda_choices(
        client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    )
