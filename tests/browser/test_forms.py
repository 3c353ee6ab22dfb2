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


def test_a_form_sent_to_its_place_on_the_page_keeps_focus_on_its_mistakes(served, page):
    """A form posted without htmx to an address ending in its fragment (#schedule, to come back to it
    with no JavaScript): the browser scrolls there after the page has loaded, which took the focus
    from the error summary and left it nowhere."""
    base, story = served
    page.goto(f"{base}/partnerships/{story.partnership}")
    form = page.locator("form[action$='#schedule']")
    form.get_by_role("button").click()
    page.get_by_role("alert").filter(has_text="There is a problem").wait_for()
    assert page.url.endswith("#schedule")
    expect_focus(page, ".error-summary")
