"""The public transparency page stays the same size however long the policy's life: its decisions and
responses a page at a time, its stage timeline the last three cycles (every cycle on asking), its
verdict read from what was kept, each verdict naming its first few events; and every proof still
lands on its fact, on this page or on the page of its list that holds it."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from cotrace import published_verdicts
from tests.transparency_story import published_with_input
from web import public_pages


@pytest.fixture
def one_row_a_page(monkeypatch):
    monkeypatch.setattr(public_pages, "PUBLIC_ROWS", 1)


def page_of(public_client, address: str) -> str:
    response = public_client.get(address)
    assert response.status_code == 200, address
    return response.get_data(as_text=True)


def test_decisions_and_responses_are_listed_a_page_at_a_time(public_client, story, one_row_a_page):
    published_with_input(story)  # two decisions, two responses
    story.decide(text="Publish the register letter's new wording")
    address = f"/public/policies/{story.policy}"
    first = page_of(public_client, address)
    assert "Decisions 1 to 1 of 3, oldest first." in first
    assert "Responses 1 to 1 of 2, oldest first." in first
    assert "Rewrite the register letter with families" in listed(first)
    assert "Publish the register letter" not in listed(first)
    seen, page = [], first
    while following := re.search(r'rel="next" href="([^"]+)"', listed(page)):
        page = page_of(public_client, html.unescape(following.group(1)))
        seen.append(re.search(r"Decisions \d+ to \d+ of 3", page).group(0))
        assert "Responses 1 to 1 of 2" in page  # the other list stays where it was
    assert seen == ["Decisions 2 to 2 of 3", "Decisions 3 to 3 of 3"]
    assert "Publish the register letter" in listed(page)


def listed(page: str) -> str:
    """The decisions section of the page."""
    return page.split('<h2 id="decisions">')[1].split("</section>")[0]


def test_every_proof_lands_on_its_fact_on_this_page_or_the_page_holding_it(
    public_client, story, one_row_a_page
):
    published_with_input(story)
    story.decide(text="Publish the register letter's new wording")
    address = f"/public/policies/{story.policy}"
    page = page_of(public_client, address)
    proofs = re.findall(r'<ul class="refs">(.*?)</ul>', page, re.S)
    links = [html.unescape(href) for refs in proofs for href in re.findall(r'href="([^"]+)"', refs)]
    assert links
    elsewhere = 0
    for link in links:
        target = urlsplit(link)
        assert target.fragment.startswith("fact-"), link
        if target.path:
            assert target.path == address, link  # a public page: this one, another page of a list
            elsewhere += 1
            landed = page_of(public_client, f"{target.path}?{target.query}")
        else:
            landed = page
        assert f'id="{target.fragment}"' in landed, link
    assert elsewhere, "with one row a page, some proofs are on another page of their list"


def test_the_timeline_shows_the_last_three_cycles_and_every_cycle_on_asking(public_client, story):
    published_with_input(story)
    for n in range(4):  # cycles 2 to 5
        story.app.start_new_cycle(
            story.actor, story.policy, f"Round {n + 2}", story.today - timedelta(days=4 - n)
        )
    address = f"/public/policies/{story.policy}"
    page = page_of(public_client, address)
    timeline = page.split('<h2 id="stages">')[1].split("</section>")[0]
    assert re.findall(r"<h3>Cycle (\d+)</h3>", timeline) == ["3", "4", "5"]
    assert "The last 3 cycles of 5 are shown." in timeline
    assert f'href="{address}?cycles=all#stages"' in timeline
    every = page_of(public_client, f"{address}?cycles=all")
    timeline = every.split('<h2 id="stages">')[1].split("</section>")[0]
    assert re.findall(r"<h3>Cycle (\d+)</h3>", timeline) == ["1", "2", "3", "4", "5"]


def test_the_verdict_is_read_from_what_was_kept(public_client, story):
    """The public page judges no fact itself once the verdict is kept: it reads what the evidence
    page reads (shown by what the process kept for the policy after one view)."""
    published_with_input(story)
    page_of(public_client, f"/public/policies/{story.policy}")
    kept = [key for key in published_verdicts._kept_verdicts.keys() if key[1] == story.policy]
    assert kept and kept[0][3] == published_verdicts.View(story.today)
