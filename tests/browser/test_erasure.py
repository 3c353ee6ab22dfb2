"""An admin erases a participant in a real browser, with the keyboard's labels: a confirmation that
explains what goes and what stays, a mistake explained, then the record shows only their group."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_an_admin_erases_a_participant_after_confirming(served, page):
    base, story = served
    page.goto(f"{base}/admin/participants")
    assert_accessible(page, "admin-participants")
    page.get_by_role("link", name="Erase personal data of Grace").click()
    page.get_by_role("heading", name="Erase Grace's personal data").wait_for()
    assert_accessible(page, "erase-participant")

    page.get_by_role("button", name="Erase personal data").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "Tick the box to confirm" in summary.inner_text()
    assert_accessible(page, "erase-participant-not-confirmed")

    page.get_by_label("I understand that this cannot be undone").check()
    page.get_by_role("button", name="Erase personal data").click()
    page.wait_for_url(f"{base}/admin/participants")
    assert "the record now shows an erased parent carer" in page.content()
    assert "Grace" not in page.get_by_role("table").inner_text()
    assert_accessible(page, "admin-participants-after-erasure")
