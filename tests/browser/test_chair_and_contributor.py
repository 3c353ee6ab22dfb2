"""A chair logs a meeting with a contribution and a decision citing it; the contributor finds both on
their My input page, and sees "you said, we did" once the chair responds. axe-core on every page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, expect_focus
from tests.browser.test_private_links import MY_INPUT_LINK

pytestmark = pytest.mark.browser

SAID = "Ask families before anyone drafts the letter"
DECISION = "Draft the letter with home educators"
REASON = "The letter is drafted with families at the next workshop"


def log_a_contribution_and_a_decision_citing_it(page, base: str, meeting) -> None:
    page.goto(f"{base}/meetings/{meeting}")
    assert_accessible(page, "meeting-record")

    page.get_by_label("Who said it").select_option(label="Amira (Home educator)")
    page.get_by_label("Suggestion").check()
    page.get_by_label("What they said").fill(SAID)
    page.get_by_label("Pseudonym (optional)").fill("River mum")
    page.get_by_role("button", name="Record contribution").click()
    page.get_by_role("status").filter(has_text="Contribution recorded.").wait_for()
    assert page.get_by_role("link", name="Suggestion from River mum").is_visible()
    assert_accessible(page, "meeting-after-contribution")

    page.get_by_label("What was decided").fill(DECISION)
    page.get_by_label("Proposed by").select_option(label="Tom (Home educator)")
    makers = page.get_by_role("group", name="Decision makers")
    makers.get_by_label("Amira (Home educator)").check()
    makers.get_by_label("Daniel (Local authority)").check()
    page.get_by_label("Consensus").check()
    page.get_by_role("group", name="Contributions it responds to").get_by_label(SAID, exact=False).check()
    page.get_by_role("button", name="Record decision").click()
    page.get_by_role("status").filter(has_text="Decision recorded.").wait_for()
    decision = page.get_by_role("listitem").filter(has_text=DECISION)
    assert "Responds to:" in decision.inner_text() and "River mum" in decision.inner_text()
    assert_accessible(page, "meeting-after-decision-citing")


def test_a_chair_logs_a_contribution_and_a_decision_that_cites_it(served, page):
    base, story = served
    log_a_contribution_and_a_decision_citing_it(page, base, story.meeting)


def test_the_contributor_finds_their_input_and_then_what_was_done(served, page, browser):
    base, story = served
    log_a_contribution_and_a_decision_citing_it(page, base, story.meeting)

    # The chair asks for Amira's private link from the partnership page and sends it to her.
    page.goto(f"{base}/partnerships/{story.partnership}")
    assert_accessible(page, "partnership-with-private-links")
    page.get_by_role("link", name="Show private link for Amira").click()
    link = page.locator(MY_INPUT_LINK).get_attribute("href")

    amira = browser.new_context().new_page()
    amira.goto(link)
    mine = amira.get_by_role("article").filter(has_text=SAID)
    assert DECISION in mine.inner_text()
    assert "Home educator, Local authority" in mine.inner_text()
    assert "Awaiting a response since today." in mine.inner_text()
    assert_accessible(amira, "my-input-awaiting")

    # The chair responds, from the list of contributions awaiting a response.
    page.goto(f"{base}/meetings/{story.meeting}")
    page.get_by_role("link", name=f"Respond to “{SAID}”").click()
    page.wait_for_url(f"{base}/contributions/*")
    assert_accessible(page, "contribution")
    page.get_by_label("Adapted").check()
    page.get_by_label("Reason").fill(REASON)
    page.get_by_label("Responded by").select_option(label="Daniel (Local authority)")
    page.get_by_role("button", name="Record response").click()
    page.get_by_role("status").filter(has_text="Response recorded.").wait_for()
    assert_accessible(page, "contribution-answered")

    amira.reload()
    mine = amira.get_by_role("article").filter(has_text=SAID)
    assert f"Adapted: {REASON}" in mine.inner_text()
    assert "the same day you said it" in mine.inner_text()
    assert "Daniel" not in amira.content() and "Tom" not in amira.content()
    assert_accessible(amira, "my-input-answered")

    # Amira asks to be told by email next time.
    amira.get_by_label("Email address").fill("amira@example.org")
    amira.get_by_label("I agree to be told by email").check()
    amira.get_by_role("button", name="Save my contact preferences").click()
    amira.get_by_role("status").filter(has_text="Your contact preferences are saved.").wait_for()
    assert_accessible(amira, "my-input-contact-saved")
    amira.context.close()


def test_without_javascript_a_contribution_is_recorded_with_a_full_page_load(served, page_without_javascript):
    base, story = served
    page = page_without_javascript
    page.goto(f"{base}/meetings/{story.meeting}")
    page.get_by_label("Who said it").select_option(label="Amira (Home educator)")
    page.get_by_label("Concern").check()
    page.get_by_label("What they said").fill(SAID)
    page.get_by_role("button", name="Record contribution").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/meetings/{story.meeting}#contributions")
    assert page.get_by_role("status").inner_text() == "Contribution recorded."
    assert page.get_by_role("link", name="Concern from Amira").is_visible()


def test_a_contribution_with_mistakes_is_summarised_and_the_lists_are_accessible(served, page):
    base, story = served
    page.goto(f"{base}/meetings/{story.meeting}")
    page.get_by_label("What they said").fill(SAID)
    page.get_by_role("button", name="Record contribution").click()

    summary = page.get_by_role("alert")
    summary.wait_for()
    assert summary.get_by_role("listitem").all_inner_texts() == [
        "Choose the contributor from the partnership's members",
        "Choose whether this is a view, a suggestion or a concern",
    ]  # in the order of the form
    expect_focus(page, ".error-summary")
    assert page.get_by_label("What they said").input_value() == SAID
    assert_accessible(page, "meeting-contribution-errors")

    # The forms kept in <details> open by keyboard, and stay usable.
    page.get_by_text("Agree an action").focus()
    page.keyboard.press("Enter")
    assert page.get_by_label("Action", exact=True).is_visible()
    assert_accessible(page, "meeting-details-open")

    page.goto(f"{base}/partnerships/{story.partnership}/contributions")
    assert page.get_by_role("heading", name="Contributions and responses").is_visible()
    assert_accessible(page, "partnership-contributions")
