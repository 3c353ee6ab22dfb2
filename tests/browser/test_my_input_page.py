"""A parent carer's My input, opened by their private link, at a desktop's width and a phone's
(issue 15): its feed linked in the page and in its head, the policy and the decision citing the
input linked, sentences built from numbers that read as English, and the site's icon found."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.conftest import TODAY
from tests.web.test_meeting_record import said_in_the_room
from web import commands
from web.private_links import PAGE, current_token

pytestmark = pytest.mark.browser


def test_my_input_links_its_feed_the_policy_and_the_decision_and_reads_as_english(served_app, public_page):
    base, story, app = served_app
    said = said_in_the_room(story)
    story.decide(text="Ask families first, in writing", cites=[said])
    story.app.respond_to_contribution(
        story.actor, said, "adopted", "Families get a letter first", story.people["daniel"], TODAY
    )
    story.app.publish_transparency_page(story.actor, story.policy)
    app.extensions["cotrace"].read_models.catch_up()
    with app.app_context(), commands.reading() as conn:
        link = f"{base}/my-input/{current_token(conn, PAGE, story.people['amira'])}"
    page = public_page
    page.set_default_timeout(10_000)

    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(link)
        feed = page.locator("head link[rel='alternate'][type='application/atom+xml']")
        expect(feed).to_have_count(1)
        shown = page.get_by_role("link", name="Follow this news in a feed reader")
        expect(shown).to_be_visible()
        assert shown.get_attribute("href") == feed.get_attribute("href")
        answer = page.request.get(shown.get_attribute("href"))
        assert answer.status == 200 and "atom+xml" in answer.headers["content-type"]

        main = page.locator("main")
        expect(main.get_by_text("Answered on 15 June 2026, the same day you said it.")).to_be_visible()
        assert not re.search(r"\b0 days\b|\b1 days\b|\bat Online\b|\b1 of 1\b", main.inner_text())
        expect(main.locator(f"a[href='/public/policies/{story.policy}']").first).to_be_visible()
        expect(main.locator(f"a[href='/public/policies/{story.policy}#decisions']")).to_be_visible()

        assert page.request.get(f"{base}/favicon.ico").status == 200
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
        assert_accessible(page, f"my-input-{width}")
