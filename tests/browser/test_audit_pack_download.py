"""An auditor reaches the policy's audit pack with the keyboard alone, in a real browser, and the pack
it saves verifies with the standalone verifier."""

from __future__ import annotations

import pytest

import verify_audit_pack
from cotrace import checkpoints
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

MAX_TABS = 400  # far more stops than the policy page has: a link never reached fails, not hangs


def test_the_policy_s_audit_pack_is_downloaded_by_keyboard(served_app, page, tmp_path):
    base, story, app = served_app
    vkey = checkpoints.keygen(app.extensions["cotrace"].settings)
    page.goto(f"{base}/policies/{story.policy}")
    pack = page.get_by_role("link", name="Download the audit pack (zip)")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if pack.evaluate("link => link === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the audit pack's link")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename.startswith("cotrace-audit-pack-policy-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    report = verify_audit_pack.verify(saved, vkey)
    assert report.ok, report.text()
    assert_accessible(page, "policy-with-audit-pack")
