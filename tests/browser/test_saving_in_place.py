"""With JavaScript, a form on the meeting page saves in place: the reader stays where they were, with
the notice beside what changed and focused (announced), and the strict CSP holds with no console error
(every browser test fails on one: conftest.console_errors)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_record_a_decision import DECISION, fill_good_decision

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 375])
def test_a_decision_saved_in_place_keeps_the_reader_beside_it(served, page, width):
    base, story = served
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{base}/meetings/{story.meeting}")
    # The chair made the box bigger: the browser keeps that size in its style attribute, which htmx
    # would copy onto the box swapped in, with a call the CSP (style-src 'self') refuses.
    page.get_by_label("What was decided").evaluate("box => { box.style.height = '12em' }")
    fill_good_decision(page)
    page.get_by_role("button", name="Record decision").click()

    decisions = page.get_by_role("region", name="Decisions")
    notice = decisions.get_by_role("status")
    expect(notice).to_have_text("Decision recorded.")
    # Focus checked by Playwright itself: wait_for_function evals its string in the page, which the
    # strict CSP (no 'unsafe-eval') refused once in CI.
    expect(page.locator("#meeting-record section .notice")).to_be_focused(timeout=5000)
    expect(notice).to_be_in_viewport()  # not the top of the page, 2,000 pixels up
    expect(decisions.get_by_text(DECISION)).to_be_visible()
    assert page.evaluate("window.scrollY") > 0
    assert page.url == f"{base}/meetings/{story.meeting}"
    assert_accessible(page, "meeting-decision-saved-in-place")
