"""The evidence page stays the same size however many facts a policy has: each verdict names its
first events and links to the trail for the rest, the response times are counted in bands of days
past 20 contributions, one cycle at a time is shown in full, five are listed a page at a time,
the charts by stage draw the last three cycles, and a criterion lists its first eight figures."""

from __future__ import annotations

import re
from datetime import timedelta

from cotrace.evidence_figures import ONE_BAR_EACH
from tests.conftest import TODAY
from tests.web.test_evidence_pages import text_of
from web.evidence_pages import PROOFS_SHOWN


def many_contributions(story, count: int = ONE_BAR_EACH + 10) -> None:
    app, actor, people = story.app, story.actor, story.people
    for n in range(count):
        said = app.submit_contribution(
            actor, story.policy, people["amira"], "suggestion", f"Idea {n}", "survey",
            happened_on=TODAY - timedelta(days=60),
        )  # fmt: skip
        if n % 3:
            app.respond_to_contribution(
                actor, said, "adopted", "Yes", people["daniel"], TODAY - timedelta(days=60 - n)
            )


def test_a_verdict_names_its_first_events_and_links_to_the_trail_for_the_rest(client, story):
    many_contributions(story)
    page = client.get(f"/policies/{story.policy}/evidence").get_data(as_text=True)
    influence = page.split("4. Influence, with timely responses")[1].split("</tr>")[0]
    assert influence.count('<li><a href="') == PROOFS_SHOWN
    assert f'<a href="/policies/{story.policy}#audit-trail">and ' in influence
    day = (TODAY - timedelta(days=10)).isoformat()
    then = client.get(f"/policies/{story.policy}/evidence", query_string={"as_of": day}).get_data(
        as_text=True
    )
    assert f"as_of={day}" in then.split("4. Influence, with timely responses")[1].split("</tr>")[0]


def test_response_times_of_many_contributions_are_counted_by_how_long_they_waited(client, story):
    many_contributions(story)
    text = text_of(client.get(f"/policies/{story.policy}/evidence").get_data(as_text=True))
    assert "Contribution 21" not in text
    assert "Answered, a week or less" in text and "Still waiting, 57 to 91 days 10 contributions" in text


def test_one_cycle_at_a_time_is_shown_stage_by_stage(client, story):
    story.app.start_new_cycle(story.actor, story.policy, "Start again", TODAY)
    url = f"/policies/{story.policy}/evidence"
    latest = client.get(url).get_data(as_text=True)
    assert f'href="{url}?cycle=1&amp;cycles_to=2#cycle-1"' in latest
    assert "The seven criteria: cycle 2" in latest and "The seven criteria: cycle 1" not in latest
    first = client.get(url, query_string={"cycle": "1"}).get_data(as_text=True)
    assert "The seven criteria: cycle 1" in first and "The seven criteria: cycle 2" not in first
    assert re.search(r"<summary>Co-commission: \w+</summary>", first)


def test_the_cycles_are_listed_five_a_page_and_the_charts_draw_the_last_three(client, story):
    for n in range(6):  # cycles 2 to 7
        story.app.start_new_cycle(story.actor, story.policy, f"Round {n + 2}", TODAY)
    url = f"/policies/{story.policy}/evidence"
    latest = client.get(url).get_data(as_text=True)
    assert "Cycles 3 to 7 of 7, a page of 5 at a time." in latest
    assert [int(n) for n in re.findall(r'<h2 id="cycle-(\d+)">', latest)] == [3, 4, 5, 6, 7]
    assert "The seven criteria: cycle 7" in latest
    assert f'href="{url}?cycles_to=2#cycles"' in latest and "Later cycles" not in latest
    timeline = latest.split("Stages entered, across cycles")[1].split("</section>")[0]
    assert "Cycle 5, Co-commission" in timeline and "Cycle 4, Co-commission" not in timeline
    assert "Drawn for its last 3 cycles, 5 to 7, of 7" in timeline
    figures = latest.split("<caption>The seven criteria: whole policy</caption>")[1].split("</table>")[0]
    assert "more figures, one a stage or a cycle" in figures  # a figure per stage of 7 cycles

    earlier = client.get(url, query_string={"cycles_to": "2"}).get_data(as_text=True)
    assert "Cycles 1 to 2 of 7, a page of 5 at a time." in earlier
    assert [int(n) for n in re.findall(r'<h2 id="cycle-(\d+)">', earlier)] == [1, 2]
    assert f'href="{url}?cycles_to=7#cycles"' in earlier and "Earlier cycles" not in earlier
    asked = client.get(url, query_string={"cycle": "1"}).get_data(as_text=True)
    assert "The seven criteria: cycle 1" in asked and '<h2 id="cycle-1">' in asked  # listed, in full
    odd = client.get(url, query_string={"cycles_to": "zero"})
    assert odd.status_code == 200 and "Cycles 3 to 7 of 7" in odd.get_data(as_text=True)
