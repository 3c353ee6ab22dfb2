"""A chair records a decision in a real browser and finds it in the policy's audit trail."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, expect_focus

pytestmark = pytest.mark.browser

DECISION = "Write the principles with home educators before any officer drafts"


def fill_good_decision(page) -> None:
    assert page.get_by_label("Co-commission").is_checked()  # the policy's current stage, chosen already
    page.get_by_label("What was decided").fill(DECISION)
    page.get_by_label("Proposed by").select_option(label="Tom (Home educator)")
    decision_makers = page.get_by_role("group", name="Decision makers")
    decision_makers.get_by_label("Amira (Home educator)").check()
    decision_makers.get_by_label("Daniel (Local authority)").check()
    page.get_by_label("Consensus").check()


def test_a_chair_records_a_decision_and_an_auditor_sees_it_in_the_trail(served, page):
    base, story = served
    page.goto(f"{base}/meetings/{story.meeting}")
    assert_accessible(page, "meeting")

    fill_good_decision(page)
    page.get_by_role("button", name="Record decision").click()

    status = page.get_by_role("status")
    status.wait_for()
    assert status.inner_text() == "Decision recorded."
    assert page.url == f"{base}/meetings/{story.meeting}"  # swapped in place by htmx
    expect_focus(page, "[role=status]")
    assert page.get_by_text(DECISION).is_visible()
    assert_accessible(page, "meeting-after-decision")

    page.get_by_role("link", name="EHE policy", exact=True).first.click()
    page.wait_for_url(f"{base}/policies/{story.policy}*")
    row = page.get_by_role("row").filter(has_text=DECISION)
    assert "Home educator, Local authority" in row.inner_text()
    assert "15 June 2026" in row.inner_text()
    assert "by Ada Admin" in row.inner_text()  # the account signed in, never an anonymous operator
    assert_accessible(page, "policy-audit-trail")


def test_mistakes_are_summarised_and_focused_without_losing_what_was_typed(served, page):
    base, story = served
    page.goto(f"{base}/meetings/{story.meeting}")
    page.get_by_label("What was decided").fill(DECISION)
    page.get_by_role("button", name="Record decision").click()

    summary = page.get_by_role("alert")
    summary.wait_for()
    assert summary.get_by_role("listitem").all_inner_texts() == [
        "Choose who proposed the decision",
        "Choose at least one decision maker",
        "Choose how the decision was made",
    ]  # in the order of the form
    expect_focus(page, ".error-summary")
    assert page.get_by_label("What was decided").input_value() == DECISION
    assert_accessible(page, "meeting-with-errors")

    summary.get_by_role("link", name="Choose at least one decision maker").click()
    expect_focus(page, "#decision-decided_by")


def test_without_javascript_the_same_form_works_with_a_full_page_load(served, page_without_javascript):
    base, story = served
    page = page_without_javascript
    page.goto(f"{base}/meetings/{story.meeting}")
    fill_good_decision(page)
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/meetings/{story.meeting}#decisions")
    assert page.get_by_role("status").inner_text() == "Decision recorded."
    assert page.get_by_text(DECISION).is_visible()
