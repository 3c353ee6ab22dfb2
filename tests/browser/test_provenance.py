"""An auditor follows a policy's trail to a decision and sees the input it answered, in a real browser."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.dates import fill_date
from tests.policy_life import ANSWERED, DECIDED, PolicyLife

pytestmark = pytest.mark.browser


def test_an_auditor_filters_the_trail_to_decisions_and_opens_one_s_provenance(served, page):
    base, story = served
    life = PolicyLife.lived(story)
    page.goto(f"{base}/policies/{story.policy}")
    assert_accessible(page, "policy-whole-trail")
    everything = page.locator("table.audit-trail tbody tr").count()

    page.get_by_label("Kind of event").select_option(
        label="Decisions, corrections, reversals and supersessions"
    )
    page.get_by_role("button", name="Show the trail").click()
    page.wait_for_url("**kind=decisions**")  # htmx pushed the filtered address
    rows = page.locator("table.audit-trail tbody tr")
    assert rows.count() == 6 < everything
    assert page.get_by_label("Kind of event").input_value() == "decisions"
    assert_accessible(page, "policy-trail-decisions")

    decision_row = page.get_by_role("row").filter(has_text=f"Decision: {DECIDED}")
    decision_row.get_by_role("link", name="Provenance of this decision").click()
    page.wait_for_url(f"{base}/decisions/{life.decided}")
    assert page.get_by_role("heading", level=1).inner_text() == "Decision of 15 June 2026"
    answered = page.get_by_role("article").filter(has_text=ANSWERED)
    assert "Suggestion from A. Riverside (Home educator)" in answered.inner_text()
    assert "Response: Adopted" in answered.inner_text()
    assert answered.get_by_role("link").get_attribute("href") == f"/contributions/{life.answered}"
    assert_accessible(page, "decision-provenance")

    answered.get_by_role("link").click()  # on to the contribution the decision answered
    page.wait_for_url(f"{base}/contributions/{life.answered}")
    assert ANSWERED in page.get_by_role("main").inner_text()
    assert "Adopted" in page.get_by_role("main").inner_text()
    assert_accessible(page, "contribution-from-provenance")


def test_without_javascript_the_filter_form_reloads_the_page(served, page_without_javascript):
    base, story = served
    PolicyLife.lived(story)
    page = page_without_javascript
    page.goto(f"{base}/policies/{story.policy}")
    fill_date(page, "Happened from", "2026-06-16")
    page.get_by_role("button", name="Show the trail").click()
    page.wait_for_url("**from-day=16&from-month=6&from-year=2026**")
    assert page.get_by_text("No fact in the trail matches").is_visible()
