"""An admin opens the integrity page from the header, in a real browser: the verdict, the latest
checkpoint and the verifier key, with nothing an accessibility checker objects to."""

from __future__ import annotations

import pytest

from cotrace import checkpoints
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_an_admin_opens_the_integrity_page_from_the_header(served_app, page):
    base, _, app = served_app
    services = app.extensions["cotrace"]
    vkey = checkpoints.keygen(services.settings)
    signed = checkpoints.sign_checkpoint(services)
    page.goto(f"{base}/")
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Integrity").click()
    page.wait_for_url("**/integrity")
    assert page.get_by_role("heading", level=1).inner_text() == "Integrity of the record"
    assert page.get_by_role("status").inner_text().startswith("The record is as it was sealed")
    assert page.locator("pre.signed-note").inner_text().strip() == signed.note.strip()
    assert vkey in page.locator("main").inner_text()
    assert_accessible(page, "integrity")


def test_an_admin_runs_the_auditors_check_by_keyboard(served_app, page):
    base, _, app = served_app
    checkpoints.keygen(app.extensions["cotrace"].settings)
    page.goto(f"{base}/integrity")
    button = page.get_by_role("button", name="Run the auditor’s check now")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/integrity/auditors-check*")
    assert page.get_by_role("heading", level=1).inner_text() == "The auditor’s check, run on this server"
    assert page.get_by_role("status").inner_text().strip() == "Passed: every check passed."
    assert_accessible(page, "integrity-auditors-check")
