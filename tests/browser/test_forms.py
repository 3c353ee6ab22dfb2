"""A one-thing-per-page form in a real browser: keyboard to the error, axe-core clean."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, expect_focus
from tests.browser.dates import fill_date

pytestmark = pytest.mark.browser


def test_adding_a_member_with_mistakes_then_without(served, page):
    base, story = served
    page.goto(f"{base}/partnerships/{story.partnership}/members/new")
    assert_accessible(page, "add-member")

    page.get_by_role("button", name="Add member").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    expect_focus(page, ".error-summary")
    assert_accessible(page, "add-member-with-errors")

    summary.get_by_role("link", name="Enter the participant's name or a pseudonym").click()
    expect_focus(page, "#form-name")
    page.keyboard.type("Priya")
    page.get_by_label("Parent carer").check()
    fill_date(page, "Date they joined the partnership", "2026-05-01")
    page.get_by_role("button", name="Add member").click()
    page.get_by_role("status").wait_for()
    assert page.get_by_role("status").inner_text() == "Member added."
    assert page.get_by_role("cell", name="Priya", exact=True).is_visible()
