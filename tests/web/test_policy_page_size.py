"""The policy page stays the same size however old the policy is: its trail is shown a page at a
time, and its stage timeline shows the last three cycles, pointing to the trail's stage rows for
the earlier ones (a policy goes round the Iriss cycle year after year)."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.conftest import TODAY


def cycles_shown(page: str) -> list[int]:
    timeline = page.split("<h2>Stage timeline</h2>")[1].split('<h2 id="audit-trail">')[0]
    return [int(n) for n in re.findall(r"<h3>Cycle (\d+)</h3>", timeline)]


def test_the_timeline_shows_the_last_three_cycles_and_points_to_the_trail_for_the_rest(client, story):
    for n in range(4):  # cycles 2 to 5
        story.app.start_new_cycle(story.actor, story.policy, f"Round {n + 2}", TODAY - timedelta(days=8 - n))
    url = f"/policies/{story.policy}"
    page = client.get(url).get_data(as_text=True)
    assert cycles_shown(page) == [3, 4, 5]
    assert "The last 3 cycles of 5. The stages of cycles 1 to 2 are in the trail:" in page
    assert f'<a href="{url}?kind=stages#audit-trail">show only the stages entered</a>' in page
    stages = client.get(url, query_string={"kind": "stages"}).get_data(as_text=True)
    trail = stages.split('<h2 id="audit-trail">')[1]
    assert "Co-commission, cycle 1" in trail and "Co-commission, cycle 2" in trail


def test_as_of_a_day_the_timeline_shows_the_last_three_cycles_then(client, story):
    for n in range(4):  # cycles 2 to 5, a day apart
        story.app.start_new_cycle(story.actor, story.policy, f"Round {n + 2}", TODAY - timedelta(days=8 - n))
    day = (TODAY - timedelta(days=7)).isoformat()  # cycle 3 had started, not cycle 4
    page = client.get(f"/policies/{story.policy}", query_string={"as_of": day}).get_data(as_text=True)
    assert cycles_shown(page) == [1, 2, 3]
    assert "The stages of" not in page
    later = (TODAY - timedelta(days=6)).isoformat()
    page = client.get(f"/policies/{story.policy}", query_string={"as_of": later}).get_data(as_text=True)
    assert cycles_shown(page) == [2, 3, 4]
    assert f'?kind=stages&amp;as_of={later}&amp;reading=happened#audit-trail">show only the stages' in page


def test_a_policy_of_fewer_cycles_shows_them_all(client, story):
    page = client.get(f"/policies/{story.policy}").get_data(as_text=True)
    assert cycles_shown(page) == [1] and "The stages of" not in page
