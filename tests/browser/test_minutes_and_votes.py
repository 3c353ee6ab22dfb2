"""Issue 15, the chair: a vote shows its tally and dissent on the meeting page, and the minutes are
written there and approved as the version shown; in a real browser, with JavaScript and without,
on a wide screen and a phone's."""

from __future__ import annotations

import hashlib

import pytest

from domain.decisions import VoteTally
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

MINUTES = "Present: Amira, Tom, Daniel and Sophie.\n\nAgreed to ask families before writing anything."


@pytest.mark.parametrize(("javascript", "width"), [(True, 375), (False, 375)], ids=["js", "no-js"])
def test_a_chair_sees_the_tally_writes_the_minutes_and_approves_them(browser, served_app, javascript, width):
    base, story, app = served_app
    story.decide(
        method="vote",
        votes=VoteTally(1, 0, 1),
        dissent=[{"by": story.people["daniel"], "note": "Wanted a survey first"}],
    )
    app.extensions["cotrace"].read_models.catch_up()
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900})
    sign_in(context, served_app)
    page = context.new_page()
    page.goto(f"{base}/meetings/{story.meeting}")
    decision = page.locator(".decision").first
    assert "Vote: 1 for, 0 against, 1 abstained." in decision.inner_text()
    assert "Dissent noted by Daniel: Wanted a survey first" in decision.inner_text()

    minutes = page.locator("section", has=page.get_by_role("heading", name="Minutes", exact=True))
    assert "No minutes have been written or attached yet." in minutes.inner_text()
    minutes.get_by_label("The minutes", exact=True).fill(MINUTES)
    minutes.get_by_role("button", name="Save the minutes").click()
    status = page.get_by_role("status").filter(has_text="Minutes saved.")
    status.wait_for()
    checksum = hashlib.sha256(MINUTES.encode()).hexdigest()
    shown = minutes.locator(".minutes-text")
    assert shown.is_visible() and "Agreed to ask families before writing anything." in shown.inner_text()
    assert minutes.locator("code").first.inner_text() == checksum
    if javascript:  # axe and the page's width are read by a script: the page is the same without
        for viewport in (1280, 375):
            page.set_viewport_size({"width": viewport, "height": 900})
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport  # the checksum wraps
            assert_accessible(page, f"meeting-minutes-written-{viewport}")

    minutes.get_by_text("Approve the minutes (version 1)").click()
    minutes.get_by_role("group", name="Approved by").get_by_label("Amira (Home educator)").check()
    minutes.get_by_role("button", name="Approve minutes").click()
    page.get_by_role("status").filter(has_text="Minutes approved.").wait_for()
    assert "Approved on 15 June 2026 by Amira." in minutes.inner_text()
    assert minutes.locator("code").first.inner_text() == checksum  # the version approved
    assert minutes.get_by_role("button", name="Approve minutes").count() == 0
    if javascript:
        assert_accessible(page, f"meeting-minutes-approved-{width}")
    context.close()
