"""Where focus goes after htmx changes a page, what a person hears when a post fails, and every main
page read at 1280, 375 and 320 CSS pixels wide without scrolling sideways (WCAG 1.4.10), in a real
browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, expect_focus, keep_screenshot
from tests.browser.dates import fill_date
from tests.policy_life import PolicyLife

pytestmark = pytest.mark.browser

SETTLING = ".htmx-request, .htmx-swapping, .htmx-settling"


def settled(page) -> None:
    """htmx has swapped and settled: cotrace.js has moved focus, if it is going to."""
    expect(page.locator(SETTLING)).to_have_count(0, timeout=2000)


def focused(page) -> dict:
    return page.evaluate(
        "({id: document.activeElement.id, tag: document.activeElement.tagName,"
        " text: document.activeElement.innerText.trim()})"
    )


def test_filtering_the_trail_focuses_its_count_not_an_older_notice(served, page):
    base, story = served
    page.goto(f"{base}/policies/{story.policy}")
    page.get_by_role("link", name="A RAG rating of the policy").click()
    page.get_by_label("What was rated").fill("Communication with families")
    page.get_by_label("Amber").check()
    fill_date(page, "Date of the rating, if not at a meeting", story.today)
    page.get_by_role("button", name="Record rating").click()
    page.wait_for_url(f"{base}/policies/{story.policy}")
    notice = page.get_by_role("status").filter(has_text="Rating recorded.")
    expect_focus(page, ".notice")

    page.get_by_label("Kind of event").select_option(label="RAG ratings")
    page.get_by_role("button", name="Show the trail").click()
    page.get_by_text("1 fact matches the filters").wait_for()
    settled(page)
    assert notice.is_visible()  # still on the page, above the form: it must not take focus back
    assert focused(page) == {"id": "trail-results", "tag": "P", "text": "1 fact matches the filters."}

    page.get_by_label("Kind of event").select_option(label="Any kind")
    page.get_by_role("button", name="Show the trail").click()
    page.get_by_text("facts in the trail").wait_for()
    settled(page)
    assert focused(page)["id"] == "trail-results"  # the whole trail is announced too, not lost on body
    assert focused(page)["text"].endswith("facts in the trail.")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert_accessible(page, "policy-trail-unfiltered-focused")


@pytest.mark.console_error("status of 400", "Error Code 400")  # the expired form, and htmx saying so
def test_an_expired_form_says_nothing_was_saved_and_takes_focus(served, page):
    base, story = served
    page.goto(f"{base}/meetings/{story.meeting}")
    form = page.locator("form").filter(has=page.get_by_role("button", name="Record decision"))
    form.locator("input[name=csrf_token]").evaluate("input => { input.value = 'expired' }")
    page.get_by_label("What was decided").fill("Meet in the library")
    page.get_by_role("button", name="Record decision").click()

    alert = page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text() == "Nothing was saved: the form had expired. Reload the page and try again."
    expect_focus(page, "[role=alert]")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert page.get_by_label("What was decided").input_value() == "Meet in the library"  # nothing lost
    assert_accessible(page, "meeting-form-expired")

    page.reload()  # as the message says: a fresh token, and the form answers again
    page.get_by_label("What was decided").fill("Meet in the library")
    page.get_by_role("button", name="Record decision").click()
    page.get_by_role("alert").filter(has_text="There is a problem").wait_for()  # the form's own mistakes
    assert page.get_by_text("Nothing was saved").count() == 0


# the post cut off on purpose, and htmx saying so
@pytest.mark.console_error("net::ERR_FAILED", "htmx:sendError", "htmx:afterRequest")
def test_a_post_that_cannot_reach_cotrace_says_so_and_goes_once_it_can(served, page):
    base, story = served
    page.goto(f"{base}/meetings/{story.meeting}")
    page.route("**/meetings/*/decisions*", lambda route: route.abort())
    page.get_by_role("button", name="Record decision").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text() == (
        "Nothing was saved: the page could not reach Cotrace. Reload the page and try again."
    )
    expect_focus(page, "[role=alert]")

    page.unroute("**/meetings/*/decisions*")
    page.get_by_role("button", name="Record decision").click()
    page.get_by_role("alert").filter(has_text="There is a problem").wait_for()
    assert page.get_by_text("Nothing was saved").count() == 0


def test_the_main_pages_at_1280_375_and_320_css_pixels(served, page):
    """Every main page reads at 320 CSS pixels without scrolling sideways (WCAG 1.4.10), is axe-clean
    at a phone's 375, and, with COTRACE_SCREENSHOTS set, is kept as a screenshot at 1280 and 375."""
    base, story = served
    PolicyLife.lived(story)  # every kind of fact in the trail, a published version's SHA-256 among them
    app, people = story.app, story.people
    open_meeting = app.schedule_meeting(
        story.actor, story.partnership, "Open meeting", story.today, "Riverside Neighbourhood Centre"
    )  # a word longer than a summary list's value leaves room for at 320 px
    app.record_attendance(story.actor, open_meeting, [people[n] for n in ("amira", "tom", "daniel")], [])
    decided_in_the_open = story.decide(meeting_id=open_meeting)
    pages = {
        "home": "/",
        "partnership": f"/partnerships/{story.partnership}",
        "dashboard": f"/partnerships/{story.partnership}/dashboard",
        "policy": f"/policies/{story.policy}",
        "evidence": f"/policies/{story.policy}/evidence",
        "meeting": f"/meetings/{story.meeting}",
        "provenance": f"/decisions/{decided_in_the_open}",
    }
    too_wide = {}
    for width in (1280, 375, 320):
        page.set_viewport_size({"width": width, "height": 800})
        for name, path in pages.items():
            page.goto(f"{base}{path}")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                too_wide[f"{name} at {width}"] = scroll_width
            if width == 375:
                assert_accessible(page, f"main-{name}")  # its screenshot too
            elif width == 1280:
                keep_screenshot(page, f"main-{name}")
    assert too_wide == {}, f"pages wider than the window (they scroll sideways): {too_wide}"
