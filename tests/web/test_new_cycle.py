"""Starting a new cycle from the policy page, from any stage, with a reason: the trail keeps the reason,
the timeline shows what the closed cycle never reached, and the evidence says so."""

from __future__ import annotations

import re

from tests.web.test_meeting_page import post


def test_a_new_cycle_is_started_from_co_deliver_with_its_reason(client, story):
    for stage, day in (("co_design", "2026-04-01"), ("co_deliver", "2026-05-01")):
        entered = post(client, f"/policies/{story.policy}/stages/new", {"stage": stage, "entered_on": day})
        assert entered.status_code == 303
    page = client.get(f"/policies/{story.policy}").get_data(as_text=True)
    assert f'href="/policies/{story.policy}/cycles/new"' in page
    form = client.get(f"/policies/{story.policy}/cycles/new").get_data(as_text=True)
    assert "Start cycle 2" in form and "Co-deliver, cycle 1" in form

    response = post(
        client,
        f"/policies/{story.policy}/cycles/new",
        {"reason": "The council restarted the policy", "started_on": "2026-06-01"},
    )

    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cycle 2 started." in page
    assert "Cycle 2 started, from Co-deliver: The council restarted the policy" in page
    # Cycle 1 never reached co-assess: said in words, and styled apart, not by colour alone.
    cycle_one = page.split("<h3>Cycle 1</h3>")[1].split("</ol>")[0]
    assert re.search(r"timeline__stage--not-reached[^>]*>\s*<span[^>]*>Co-assess</span>", cycle_one)
    assert "not reached" in cycle_one
    assert "not reached" not in page.split("<h3>Cycle 2</h3>")[1].split("</ol>")[0]
    evidence = client.get(f"/policies/{story.policy}/evidence").get_data(as_text=True)
    assert "Cycle 1 never reached: Co-assess" in evidence


def test_a_new_cycle_without_a_reason_is_explained_next_to_the_field(client, story):
    before = story.notifications()
    response = post(
        client, f"/policies/{story.policy}/cycles/new", {"reason": " ", "started_on": "2026-06-01"}
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True).replace("&#39;", "'")
    assert "There is a problem" in body
    assert re.search(r'id="[^"]*-reason-error"[^>]*>.*Say why a new cycle starts', body)
    assert story.notifications() == before
