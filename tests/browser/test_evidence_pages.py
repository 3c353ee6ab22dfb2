"""An auditor reads the dashboard, follows a policy to its level page; both pass axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.dates import fill_date
from tests.web.test_evidence_pages import co_commissioned_with_citizens, designed_after_the_fact

pytestmark = pytest.mark.browser


def test_an_auditor_reads_the_dashboard_and_a_policys_evidence(served, page):
    base, story = served
    co_commissioned_with_citizens(story)
    designed_after_the_fact(story)

    page.goto(f"{base}/partnerships/{story.partnership}/dashboard")
    assert page.get_by_role("heading", level=1).inner_text() == "Co-production dashboard"
    assert_accessible(page, "evidence-dashboard")

    page.get_by_role("link", name=re.compile(r"^EHE policy\s*: evidence of co-production$")).click()
    page.wait_for_url(f"{base}/policies/{story.policy}/evidence")
    assert page.get_by_text("Evidenced level: Intermediate").first.is_visible()
    assert page.get_by_role("img", name="Stages entered, across cycles").is_visible()
    page.get_by_text("Co-design: intermediate").click()  # opens the stage's details
    assert_accessible(page, "evidence-policy")

    page.goto(f"{base}/policies/{story.policy}/evidence?as_of=2026-02-31")
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page, "evidence-policy-bad-date")


def test_as_of_works_without_javascript_and_a_bad_date_is_explained(served, page_without_javascript):
    base, story = served
    page = page_without_javascript
    page.goto(f"{base}/policies/{story.policy}/evidence")
    fill_date(page, "See the evidence as it stood on", "2062-01-01")
    page.get_by_role("button", name="Show the evidence").click()
    assert page.get_by_role("alert").get_by_role("link").inner_text() == (
        "The date cannot be in the future: enter today's date or an earlier one"
    )
    # A plain GET form: the address to share.
    assert page.url.endswith("?reading=happened&as_of-day=1&as_of-month=1&as_of-year=2062")


def test_a_proof_link_lands_on_its_row_of_the_trail_highlighted(served, page):
    base, story = served
    co_commissioned_with_citizens(story)
    designed_after_the_fact(story)
    page.set_viewport_size({"width": 1024, "height": 600})
    page.goto(f"{base}/policies/{story.policy}/evidence")

    proof = page.get_by_role(
        "link", name=re.compile(r"^Decision 'Use the neighbouring council's draft', ")
    ).first
    proof.click()
    page.wait_for_url(re.compile(rf"/policies/{story.policy}\?after=\w+#event-\d+$"))
    row = page.locator(page.url[page.url.index("#") :])
    expect(row).to_be_in_viewport()
    expect(row).to_contain_text("Use the neighbouring council's draft")
    expect(row).to_be_focused()  # tabindex="-1": a keyboard or screen-reader user carries on from there
    outline = row.evaluate(
        "r => [getComputedStyle(r).outlineStyle, parseFloat(getComputedStyle(r).outlineWidth)]"
    )
    assert outline[0] == "solid" and outline[1] >= 3  # a shape, not colour alone
    assert_accessible(page, "proof-link-target")
