"""The GOV.UK date input and the words explained, as a person meets them, at a desktop's width and a
phone's, with JavaScript and without (issue 15)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

WIDTHS = (1280, 375)


def fits(page: Page) -> bool:
    """Nothing wider than the window: no sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def schedule_with_the_month_left_out(page: Page, base: str, partnership) -> None:
    page.goto(f"{base}/partnerships/{partnership}")
    page.get_by_label("Title").fill("Budget workshop")
    date = page.get_by_role("group", name="Date of the meeting", exact=True)
    date.get_by_label("Day", exact=True).fill("3")
    date.get_by_label("Year", exact=True).fill("2026")
    page.get_by_role("button", name="Schedule meeting").click()


def test_a_date_typed_day_month_and_year_and_the_words_explained(served, page):
    base, story = served
    page.set_default_timeout(10_000)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        schedule_with_the_month_left_out(page, base, story.partnership)
        message = "The date of the meeting must include a month"
        expect(page.get_by_role("alert").get_by_role("link", name=message)).to_be_visible()
        date = page.get_by_role("group", name="Date of the meeting", exact=True)
        expect(date.get_by_text(message)).to_be_visible()  # beside the field, inside its group
        for part in ("Day", "Month", "Year"):
            expect(date.get_by_label(part, exact=True)).to_have_attribute("inputmode", "numeric")
        expect(date.get_by_label("Month", exact=True)).to_have_attribute("aria-invalid", "true")
        expect(date.get_by_label("Day", exact=True)).to_have_value("3")  # what was typed stays
        assert fits(page), width
        assert_accessible(page, f"date-input-error-{width}")

        page.goto(f"{base}/policies/{story.policy}")
        stages = page.get_by_text("What do the stages mean?")
        meaning = page.get_by_text(re.compile("^The first stage: deciding together what is needed"))
        expect(meaning).to_be_hidden()
        stages.click()
        expect(meaning).to_be_visible()
        assert fits(page), width
        assert_accessible(page, f"policy-stages-explained-{width}")

        page.get_by_role("link", name="Words used in Cotrace").click()
        expect(page.get_by_role("heading", name="Words used in Cotrace")).to_be_visible()
        expect(page.get_by_text("Wokingham's reporting template", exact=True)).to_be_visible()
        assert fits(page), width
        assert_accessible(page, f"glossary-{width}")


def test_without_javascript_a_date_is_corrected_and_the_words_open(served, page_without_javascript):
    base, story = served
    page = page_without_javascript
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": 375, "height": 800})
    schedule_with_the_month_left_out(page, base, story.partnership)
    date = page.get_by_role("group", name="Date of the meeting", exact=True)
    expect(date.get_by_text("The date of the meeting must include a month")).to_be_visible()
    date.get_by_label("Month", exact=True).fill("July")  # a month may be written as a word
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_role("heading", name=re.compile("Budget workshop"))).to_be_visible()
    expect(page.locator("main").get_by_text("3 July 2026").first).to_be_visible()

    page.goto(f"{base}/policies/{story.policy}/evidence")
    page.get_by_text("What is a rung of the co-production ladder?").click()
    expect(page.get_by_text(re.compile("^One step of the co-production ladder"))).to_be_visible()
