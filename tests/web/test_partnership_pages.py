"""A partnership with years of meetings: its page lists them a page at a time, newest first, and
moving through the meetings leaves its other lists where they were; and the home page's
partnerships, a page at a time, each person's own."""

from __future__ import annotations

import base64
import html
import json
import re
from datetime import timedelta
from uuid import UUID

import pytest

from cotrace.accounts import open_account
from projections.keyset import encode
from tests.conftest import TODAY, signed_in
from tests.story import Riverside

MEETINGS = 60


@pytest.fixture
def story(flask_app) -> Riverside:
    """Riverside with 60 more meetings, three a week, two of them on the same day each week."""
    story = Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY)
    for n in range(MEETINGS):
        day = TODAY - timedelta(days=7 * (n // 3) + (1 if n % 3 == 2 else 0))
        story.app.schedule_meeting(story.actor, story.partnership, f"Meeting {n:02d}", day, "Library")
    return story


def meeting_links(page: str) -> list[str]:
    section = page.split('<h2 id="meetings">', 1)[1].split("<h2", 1)[0]
    return re.findall(r'<a href="/meetings/([0-9a-f-]+)"', section)


def link(page: str, rel: str, label: str) -> str | None:
    found = re.search(
        rf'<a rel="{rel}" href="([^"]+)"[^>]*>\w+ page<span class="visually-hidden"> of {label}', page
    )
    return html.unescape(found.group(1)) if found else None


def test_the_meetings_are_read_a_page_at_a_time_newest_first(flask_app, client, story):
    url, pages, texts = f"/partnerships/{story.partnership}", [], []
    while url:
        page = client.get(url).get_data(as_text=True)
        pages.append(meeting_links(page))
        texts.append(page)
        url = link(page, "next", "meetings")
    assert [len(p) for p in pages] == [25, 25, 11]  # the 60 and today's "Partnership meeting"
    every = [m for p in pages for m in p]
    with flask_app.extensions["cotrace"].engine.connect() as conn:
        from projections import reads

        expected = [str(m["id"]) for m in reads.partnership_meetings(conn, story.partnership)]
    # The same order as the whole list (newest first, then by title), nothing missed or twice.
    assert every == expected and len(set(every)) == len(every)
    assert "Meetings 1 to 25 of 61, newest first." in texts[0]
    assert "Meetings 26 to 50 of 61, newest first." in texts[1]
    assert link(texts[2], "prev", "meetings").endswith("#meetings")
    back = client.get(link(texts[2], "prev", "meetings")).get_data(as_text=True)
    assert meeting_links(back) == pages[1]


def test_paging_the_meetings_keeps_the_other_lists_where_they_were(client, story):
    first = client.get(f"/partnerships/{story.partnership}").get_data(as_text=True)
    following = link(first, "next", "meetings")
    assert "meetings_after=" in following and "members_" not in following
    # A members' cursor already in the address is kept when the meetings move on.
    with_members = f"/partnerships/{story.partnership}?members_after={encode((str(story.people['amira']),))}"
    page = client.get(with_members).get_data(as_text=True)
    assert ">Amira<" not in page and ">Tom<" in page
    assert "members_after=" in link(page, "next", "meetings")


@pytest.mark.parametrize(
    "args", ["meetings_after=nonsense", "meetings_before=" + encode(("2026-13-01", "x", "y"))]
)
def test_a_spoilt_meetings_link_is_explained(client, story, args):
    response = client.get(f"/partnerships/{story.partnership}?{args}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This link to a page of the list is not one Cotrace made" in page
    assert f'href="/partnerships/{story.partnership}#meetings">Go to the first page' in page


def test_the_members_are_paged_by_name_with_addresses_that_name_no_one(client, story):
    for n in range(50):
        person = story.app.register_participant(story.actor, f"Zed Member {n:02d}", "parent_carer")
        story.app.add_member(story.actor, story.partnership, person, joined_on=TODAY)
    first = client.get(f"/partnerships/{story.partnership}").get_data(as_text=True)
    assert "Members 1 to 50 of 55, by name." in first
    following = link(first, "next", "members")
    cursor = re.search(r"members_after=([^&#]+)", following).group(1)
    (named,) = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    assert named == str(UUID(named))  # an id, not a name
    second = client.get(following).get_data(as_text=True)
    assert "Members 51 to 55 of 55, by name." in second
    assert re.findall(r"<tr role=\"row\"><td role=\"cell\">(Zed Member \d+)</td>", second) == [
        f"Zed Member {n}" for n in range(45, 50)
    ]


def test_the_home_page_lists_the_partnerships_a_page_at_a_time_and_only_ones_own(flask_app, client, story):
    for n in range(30):
        story.app.form_partnership(story.actor, f"Area {n:02d} partnership")
    first = client.get("/").get_data(as_text=True)
    names = re.findall(r">(Area \d+ partnership|Riverside EHE Policy Partnership)</a></th>", first)
    assert names == [f"Area {n:02d} partnership" for n in range(25)]
    following = link(first, "next", "the partnerships")
    second = client.get(following).get_data(as_text=True)
    names = re.findall(r">(Area \d+ partnership|Riverside EHE Policy Partnership)</a></th>", second)
    assert names == [f"Area {n:02d} partnership" for n in range(25, 30)] + [
        "Riverside EHE Policy Partnership"
    ]
    # A chair of Riverside alone sees Riverside alone, and no pages.
    services = flask_app.extensions["cotrace"]
    account = open_account(services, None, "Chris Chair", "chris@example.org")
    services.run(lambda app, actor: app.grant_role(actor, story.partnership, account, "chair"), account)
    chair_page = signed_in(flask_app, "account", account).get("/").get_data(as_text=True)
    assert re.findall(r'<th scope="row"><a href="/partnerships/[^"]+">([^<]+)</a>', chair_page) == [
        "Riverside EHE Policy Partnership"
    ]
    assert 'class="pager"' not in chair_page
