"""Issue 15, the last corrections without a browser test: a response to a contribution, an agenda
item, and a meeting's place. Each is done once with JavaScript and once without, one at 375 px and
one at 1280 px, the reason forgotten first (the error beside the field and in the summary, what was
typed kept), then recorded and shown beside the original on the page the chair goes back to. Pages
read without JavaScript are read again with it (axe is a script): axe-clean, and at 375 px with no
sideways scrolling."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import assert_accessible
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
WIDE = {"width": 1280, "height": 800}
CORRECTED_TODAY = "Corrected on 15 June 2026"


def fits_a_phone(page: Page, name: str) -> None:
    """The page as it stands, at 375 px: no sideways scrolling, and axe-clean."""
    assert page.viewport_size == PHONE, name
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
    assert_accessible(page, name)


def reason_forgotten(on: Page, missing: str) -> None:
    """The form sent with the reason left empty: `missing` in the error summary and beside the
    reason's field (which names it), the page not left, nothing recorded."""
    url = on.url
    on.get_by_role("button", name="Record correction").click()
    expect(on.get_by_role("alert")).to_contain_text(missing)
    expect(on.locator("#form-reason-error")).to_contain_text(missing)
    reason = on.get_by_label("Why it is corrected")
    expect(reason).to_have_attribute("aria-describedby", re.compile(r"\bform-reason-error\b"))
    expect(reason).to_have_attribute("aria-invalid", "true")
    assert on.url == url


def record(on: Page, reason: str) -> None:
    on.get_by_label("Why it is corrected").fill(reason)
    on.get_by_role("button", name="Record correction").click()
    expect(on.get_by_role("status")).to_contain_text("Correction recorded.")


def test_a_response_is_corrected_on_a_phone_with_javascript_and_at_1280_px_without(
    served_app, page, page_without_javascript
):
    base, story, flask_app = served_app

    def recorded(app, actor):
        ids = []
        for person, words, response, why in (
            ("amira", "Ask families first", "adopted", ""),
            ("tom", "Visit every family each year", "not_adopted", "Not in the council's powres"),
        ):
            said = app.submit_contribution(
                actor,
                story.policy,
                story.people[person],
                "suggestion",
                words,
                "survey",
                happened_on=TODAY - timedelta(days=2),
            )
            app.respond_to_contribution(
                actor, said, response, why, story.people["daniel"], TODAY - timedelta(days=1)
            )
            ids.append(said)
        return ids

    adopted, not_adopted = flask_app.extensions["cotrace"].run(recorded, story.actor)
    missing = "Give the reason for the correction, so the trail explains it"

    def response_shown(on: Page) -> Locator:
        """What is shown under the Response heading: the corrections beside the response."""
        return on.locator("#contribution-record #response ~ .corrections")

    # With JavaScript, on a phone: recorded as adopted, it was adapted.
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/contributions/{adopted}")
    expect(page.locator("#contribution-record")).to_contain_text("Adopted")
    fits_a_phone(page, "contribution-responded")
    page.get_by_role("link", name="Correct how this response was written down").click()
    correction_url = page.url
    done_with_it = page.get_by_role("group", name="What was done with it")
    expect(done_with_it.get_by_label("Adopted", exact=True)).to_be_checked()  # as recorded
    fits_a_phone(page, "correct-response")
    done_with_it.get_by_label("Adapted", exact=True).check()
    page.get_by_label("The response's reason").fill("Asked in a survey, then at a meeting")
    reason_forgotten(page, missing)
    expect(done_with_it.get_by_label("Adapted", exact=True)).to_be_checked()  # what was typed stays
    expect(page.get_by_label("The response's reason")).to_have_value("Asked in a survey, then at a meeting")
    fits_a_phone(page, "correct-response-with-errors")
    record(page, "Recorded as adopted: it was adapted")
    expect(page).to_have_url(re.compile(rf"/contributions/{adopted}#response$"))
    expect(page.locator("#contribution-record")).to_contain_text(
        "Adapted: Asked in a survey, then at a meeting"
    )
    shown = response_shown(page)
    expect(shown).to_contain_text(CORRECTED_TODAY)
    expect(shown).to_contain_text("Recorded as adopted: it was adapted")
    expect(shown).to_contain_text("It read: Adopted")
    fits_a_phone(page, "response-corrected")

    # Without JavaScript at 1280 px: the same response, a slip in its reason; a post and a redirect.
    wide = page_without_javascript
    wide.set_viewport_size(WIDE)
    wide.goto(f"{base}/contributions/{not_adopted}")
    wide.get_by_role("link", name="Correct how this response was written down").click()
    slip_url = wide.url
    done_with_it = wide.get_by_role("group", name="What was done with it")
    expect(done_with_it.get_by_label("Not adopted", exact=True)).to_be_checked()
    reason_of_response = wide.get_by_label("The response's reason")
    expect(reason_of_response).to_have_value("Not in the council's powres")
    reason_of_response.fill("Not in the council's powers")
    reason_forgotten(wide, missing)
    expect(reason_of_response).to_have_value("Not in the council's powers")
    wide.goto(f"{base}/contributions/{not_adopted}")  # nothing recorded by the form with a mistake
    expect(response_shown(wide)).to_have_count(0)
    wide.goto(slip_url)
    wide.get_by_label("The response's reason").fill("Not in the council's powers")
    record(wide, "A slip when typed up")
    expect(wide).to_have_url(re.compile(rf"/contributions/{not_adopted}#response$"))
    expect(wide.locator("#contribution-record")).to_contain_text("Not adopted: Not in the council's powers")
    shown = response_shown(wide)
    expect(shown).to_contain_text(CORRECTED_TODAY)
    expect(shown).to_contain_text("A slip when typed up")
    expect(shown).to_contain_text("It read: Not adopted: Not in the council's powres")

    # The pages the browser without JavaScript read, at 1280 px with it.
    page.set_viewport_size(WIDE)
    page.goto(slip_url)
    page.get_by_role("button", name="Record correction").click()
    expect(page.get_by_role("alert")).to_contain_text(missing)
    assert_accessible(page, "correct-response-with-errors")
    page.goto(f"{base}/contributions/{not_adopted}")
    expect(response_shown(page)).to_contain_text("A slip when typed up")
    assert_accessible(page, "response-corrected")
    page.goto(correction_url)  # the corrected response is the one offered for a further correction
    expect(
        page.get_by_role("group", name="What was done with it").get_by_label("Adapted", exact=True)
    ).to_be_checked()


def test_agenda_items_are_corrected_on_a_phone_without_javascript_and_at_1280_px_with_it(
    served_app, page, page_without_javascript
):
    base, story, flask_app = served_app

    def recorded(app, actor):
        app.add_agenda_item(actor, story.meeting, "The EHE policy", story.policy)
        app.add_agenda_item(actor, story.meeting, "Any other buisness", None)

    flask_app.extensions["cotrace"].run(recorded, story.actor)
    meeting = f"{base}/meetings/{story.meeting}"
    missing = "Give the reason for the correction, so the record explains it"

    def items(on: Page) -> Locator:
        """The agenda's items, each with its corrections (lists of their own) inside it."""
        return on.locator("section[aria-labelledby=agenda] > ol > li")

    # Without JavaScript, on a phone: the second item, misspelt.
    phone = page_without_javascript
    phone.set_viewport_size(PHONE)
    phone.goto(meeting)
    phone.get_by_role("link", name="Correct the agenda item: Any other buisness").click()
    second_url = phone.url
    title = phone.get_by_label("Agenda item")
    expect(title).to_have_value("Any other buisness")
    title.fill("Any other business")
    reason_forgotten(phone, missing)
    expect(title).to_have_value("Any other business")
    record(phone, "Misspelt when typed up")
    expect(phone).to_have_url(re.compile(r"#agenda$"))
    second = items(phone).nth(1)
    expect(second).to_contain_text("Any other business")
    expect(second.locator(".corrections")).to_contain_text(CORRECTED_TODAY)
    expect(second.locator(".corrections")).to_contain_text("Misspelt when typed up")
    expect(second.locator(".corrections")).to_contain_text("It read: “Any other buisness”")
    expect(items(phone).nth(0).locator(".corrections")).to_have_count(0)  # beside its own item only

    # With JavaScript at 1280 px: the first item, worded too narrowly.
    page.set_viewport_size(WIDE)
    page.goto(meeting)
    page.get_by_role("link", name="Correct the agenda item: The EHE policy").click()
    first_url = page.url
    title = page.get_by_label("Agenda item")
    expect(title).to_have_value("The EHE policy")
    title.fill("The EHE policy and its survey")
    reason_forgotten(page, missing)
    expect(title).to_have_value("The EHE policy and its survey")
    assert_accessible(page, "correct-agenda-item-with-errors")
    record(page, "The survey was on the agenda sent out")
    first, second = items(page).nth(0), items(page).nth(1)
    expect(first).to_contain_text("The EHE policy and its survey")
    expect(first).to_contain_text("(EHE policy)")  # its policy stays
    expect(first.locator(".corrections")).to_contain_text(CORRECTED_TODAY)
    expect(first.locator(".corrections")).to_contain_text("The survey was on the agenda sent out")
    expect(first.locator(".corrections")).to_contain_text("It read: “The EHE policy”")
    expect(second.locator(".corrections li")).to_have_count(1)  # the other item keeps its own
    expect(page.get_by_role("link", name="Correct the agenda item: Any other business")).to_be_visible()
    assert_accessible(page, "agenda-corrected")

    # The pages the phone read, at 375 px with JavaScript; the error as the phone had it.
    page.set_viewport_size(PHONE)
    for url, name in ((second_url, "correct-agenda-item"), (first_url, "correct-agenda-item-2")):
        page.goto(url)
        fits_a_phone(page, name)
    page.get_by_role("button", name="Record correction").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The corrected agenda item is the same as the recorded one"
    )
    expect(page.get_by_role("alert")).to_contain_text(missing)
    fits_a_phone(page, "correct-agenda-item-with-errors")
    page.goto(meeting)
    fits_a_phone(page, "agenda-corrected")


def test_a_meetings_place_is_corrected_on_a_phone_with_javascript_and_at_1280_px_without(
    served_app, page, page_without_javascript
):
    base, story, _ = served_app
    meeting = f"{base}/meetings/{story.meeting}"
    missing = "Give the reason for the correction, so the record explains it"

    # With JavaScript, on a phone.
    page.set_viewport_size(PHONE)
    page.goto(meeting)
    expect(page.get_by_role("main")).to_contain_text("15 June 2026, Library.")
    page.get_by_role("link", name="Correct the date or place of this meeting").click()
    correction_url = page.url
    place = page.get_by_label("Place")
    expect(place).to_have_value("Library")
    place.fill("Town Hall, Room 2")
    reason_forgotten(page, missing)
    expect(place).to_have_value("Town Hall, Room 2")
    fits_a_phone(page, "correct-meeting-place-with-errors")
    record(page, "Held at the town hall, not the library")
    main = page.get_by_role("main")
    expect(main).to_contain_text("15 June 2026, Town Hall, Room 2.")
    shown = main.locator(".corrections").first
    expect(shown).to_contain_text(CORRECTED_TODAY)
    expect(shown).to_contain_text("Held at the town hall, not the library")
    expect(shown).to_contain_text("It read: 15 June 2026, Library")
    fits_a_phone(page, "meeting-place-corrected")

    # Without JavaScript at 1280 px: corrected again, both corrections beside it.
    wide = page_without_javascript
    wide.set_viewport_size(WIDE)
    wide.goto(meeting)
    wide.get_by_role("link", name="Correct the date or place of this meeting").click()
    place = wide.get_by_label("Place")
    expect(place).to_have_value("Town Hall, Room 2")  # the corrected place
    place.fill("Online")
    reason_forgotten(wide, missing)
    expect(place).to_have_value("Online")
    record(wide, "Moved online the day before")
    main = wide.get_by_role("main")
    expect(main).to_contain_text("15 June 2026, Online.")
    shown = main.locator(".corrections").first.get_by_role("listitem")
    expect(shown).to_have_count(2)
    expect(shown.nth(1)).to_contain_text("Moved online the day before")
    expect(shown.nth(1)).to_contain_text("It read: 15 June 2026, Town Hall, Room 2")

    # The pages it read, at 1280 px with JavaScript.
    page.set_viewport_size(WIDE)
    page.goto(correction_url)
    page.get_by_label("Place").fill("Library")
    page.get_by_role("button", name="Record correction").click()
    expect(page.get_by_role("alert")).to_contain_text(missing)
    assert_accessible(page, "correct-meeting-place-with-errors")
    page.goto(meeting)
    expect(page.get_by_role("main")).to_contain_text("It read: 15 June 2026, Town Hall, Room 2")
    assert_accessible(page, "meeting-place-corrected")
