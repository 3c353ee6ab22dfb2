"""The chair corrects what was recorded wrong, in a real browser: with JavaScript at 1280 px (a
contribution's words, an error first), and without it on a 375 px phone (an action marked done by
mistake); each page axe-clean (run at 375 px with JavaScript, as axe is a script), the correction
shown beside the original."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser.conftest import assert_accessible
from tests.conftest import TODAY

pytestmark = pytest.mark.browser


def test_a_contribution_corrected_with_javascript_and_an_action_reopened_without(
    served_app, page, page_without_javascript
):
    base, story, flask_app = served_app

    def recorded(app, actor):
        said = app.submit_contribution(
            actor,
            story.policy,
            story.people["amira"],
            "suggestion",
            "Ask famillies first",
            "survey",
            happened_on=TODAY - timedelta(days=2),
        )
        action = app.agree_action(actor, story.meeting, "Draft the survey", story.people["tom"], TODAY)
        app.complete_action(actor, story.meeting, action, TODAY)
        return said

    said = flask_app.extensions["cotrace"].run(recorded, story.actor)

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{base}/contributions/{said}")
    page.get_by_role("link", name="Correct how this contribution was written down").click()
    page.get_by_label("What was said").fill("Ask families first")
    page.get_by_role("button", name="Record correction").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "Give the reason for the correction" in summary.inner_text()
    assert_accessible(page, "correct-contribution-with-errors")
    page.get_by_label("Why it is corrected").fill("Misspelt when typed up")
    page.get_by_role("button", name="Record correction").click()
    page.get_by_role("status").wait_for()
    record = page.locator("#contribution-record").inner_text()
    assert "Ask families first" in record
    assert "Corrected on 15 June 2026" in record and "Misspelt when typed up" in record
    assert "It read: “Ask famillies first”" in record
    assert_accessible(page, "contribution-corrected")

    # Without JavaScript, on a phone: a full page load each way (a redirect after the post).
    phone = page_without_javascript
    phone.set_viewport_size({"width": 375, "height": 800})
    phone.goto(f"{base}/meetings/{story.meeting}#actions")
    phone.get_by_role("link", name="Reopen the action: Draft the survey").click()
    reopen_url = phone.url
    phone.get_by_label("Why it is reopened").fill("The survey is not drafted yet")
    phone.get_by_role("button", name="Reopen action").click()
    phone.get_by_role("status").wait_for()
    actions = phone.locator("#actions-list").inner_text()
    assert "Reopened on 15 June 2026" in actions and "The survey is not drafted yet" in actions
    assert "Mark as done" in phone.locator("#actions-list button").inner_text()  # open again

    # The same pages at 375 px with JavaScript (axe runs as a script): no sideways scrolling.
    page.set_viewport_size({"width": 375, "height": 800})
    for url, name in (
        (reopen_url, "reopen-action-375"),
        (f"{base}/meetings/{story.meeting}", "reopened-375"),
    ):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
        assert_accessible(page, name)
