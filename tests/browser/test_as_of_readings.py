"""An auditor asks for a policy as of a day, in each of the two readings, on the trail and the
evidence page, with and without JavaScript; every page passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.dates import fill_date
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

DAY = TODAY.isoformat()


@pytest.mark.parametrize(
    "reading, label, said",
    [
        ("recorded", "As recorded", "as recorded"),
        ("happened", "As it happened", "as it happened"),
    ],
)
def test_the_trail_as_of_a_day_in_each_reading(served, page, reading, label, said):
    base, story = served
    page.goto(f"{base}/policies/{story.policy}")
    fill_date(page, "Show the policy as of", DAY)
    page.get_by_label(re.compile(f"^{label}")).check()
    page.get_by_role("button", name="Show the trail").click()
    expect(page.locator("#trail-results")).to_contain_text(f"({said})", timeout=10_000)
    assert page.get_by_label(re.compile(f"^{label}")).is_checked()  # the choice survives the htmx swap
    assert_accessible(page, f"trail-as-of-{reading}")


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize(
    "reading, label, said",
    [
        ("recorded", "As recorded", "as recorded: only what had been recorded by then"),
        ("happened", "As it happened", "as it happened: what had happened by then"),
    ],
)
def test_the_evidence_page_as_of_a_day_in_each_reading(
    served, page, page_without_javascript, javascript, reading, label, said
):
    """A plain GET form: the same with JavaScript or without (axe needs JavaScript to run)."""
    base, story = served
    page = page if javascript else page_without_javascript
    page.set_default_timeout(10_000)
    page.goto(f"{base}/policies/{story.policy}/evidence")
    fill_date(page, "See the evidence as it stood on", DAY)
    page.get_by_label(re.compile(f"^{label}")).check()
    page.get_by_role("button", name="Show the evidence").click()
    expect(page).to_have_url(re.compile(f"reading={reading}"))
    expect(page.locator("main")).to_contain_text(said)
    if javascript:
        assert_accessible(page, f"evidence-as-of-{reading}")
