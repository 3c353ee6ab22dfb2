"""The chair recording a decision chooses the contributions it responds to from this policy's, the
latest first, and finds older ones by their words or their address, without JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.conftest import TODAY
from tests.story import Riverside
from tests.web.test_meeting_page import good_decision, post
from web.meetings import CITES_SHOWN


@pytest.fixture
def story(flask_app) -> Riverside:
    """Riverside with a second policy: 40 contributions on the EHE policy, one on SEND."""
    story = Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY)
    story.send = story.app.start_policy(story.actor, story.partnership, "SEND strategy", "authority", TODAY)
    story.said = [
        story.app.submit_contribution(
            story.actor,
            story.policy,
            story.people["amira"],
            "suggestion",
            f"EHE idea {n:02d}",
            "email",
            TODAY,
        )
        for n in range(40)
    ]
    story.elsewhere = story.app.submit_contribution(
        story.actor, story.send, story.people["tom"], "view", "SEND waits too long", "email", TODAY
    )
    return story


def offered(page: str) -> list[str]:
    return re.findall(r'name="cites" value="([0-9a-f-]+)"', page)


def test_the_policy_chosen_offers_its_own_contributions_the_latest_first(client, story):
    page = client.get(f"/meetings/{story.meeting}", query_string={"cites_policy": str(story.policy)})
    ids = offered(page.get_data(as_text=True))
    assert len(ids) == CITES_SHOWN
    assert ids == [str(c) for c in reversed(story.said)][:CITES_SHOWN]
    assert str(story.elsewhere) not in ids
    assert "offers the 30 most recent of the contributions to EHE policy" in page.get_data(as_text=True)


def test_an_older_contribution_is_found_by_its_words_or_its_address(client, story):
    by_words = client.get(
        f"/meetings/{story.meeting}",
        query_string={"cites_policy": str(story.policy), "cites_words": "idea 03"},
    ).get_data(as_text=True)
    assert offered(by_words) == [str(story.said[3])]
    address = f"http://localhost/contributions/{story.said[1]}"
    by_address = client.get(f"/meetings/{story.meeting}", query_string={"cites_words": address})
    assert offered(by_address.get_data(as_text=True)) == [str(story.said[1])]
    nothing = client.get(f"/meetings/{story.meeting}", query_string={"cites_words": "zebra"}).get_data(
        as_text=True
    )
    assert offered(nothing) == [] and "No contribution matches “zebra”" in nothing


def test_a_policy_of_another_partnership_or_nonsense_is_not_a_choice(client, story):
    for asked in ("not-an-id", "00000000-0000-0000-0000-000000000000"):
        response = client.get(f"/meetings/{story.meeting}", query_string={"cites_policy": asked})
        assert response.status_code == 200
        assert len(offered(response.get_data(as_text=True))) == CITES_SHOWN  # both policies', latest first


def test_a_form_sent_back_keeps_the_contributions_ticked(client, story):
    oldest = str(story.said[0])  # not among the 30 latest
    response = post(
        client, f"/meetings/{story.meeting}/decisions", good_decision(story, cites=[oldest], text="")
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert offered(page)[0] == oldest
    assert re.search(rf'value="{oldest}"\s+checked', page)
