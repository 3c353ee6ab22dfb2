"""The chair shows a member's private link and reissues it, with the keyboard alone; the old link
then says plainly that it no longer works. axe-core on every page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cotrace import credentials
from cotrace.accounts import open_account
from tests.browser.conftest import assert_accessible, expect_focus

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
MY_INPUT_LINK = "a[href*='/my-input/']:not([href$='/feed.atom'])"  # the page's link, not the feed's


def sign_in_as_chair(page, base: str) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill("chris@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{base}/")


@pytest.fixture
def chair_account(served_app):
    """Chris, chair of Riverside, with a password."""
    _, story, app = served_app
    services = app.extensions["cotrace"]
    account = open_account(services, None, "Chris Chair", "chris@example.org")
    services.run(lambda app, actor: app.grant_role(actor, story.partnership, account, "chair"), account)
    with services.engine.begin() as conn:
        credentials.set_password(conn, account, PASSWORD, datetime.now(UTC))
    return account


@pytest.mark.console_error("status of 410")  # the old link, gone as it should be
def test_the_chair_shows_and_reissues_a_private_link_with_the_keyboard(
    served, chair_account, public_page, browser
):
    base, story = served
    page = public_page
    sign_in_as_chair(page, base)

    page.goto(f"{base}/partnerships/{story.partnership}")
    assert "/my-input/" not in page.content()  # no link is on the partnership page itself
    page.get_by_role("link", name="Show private link for Amira").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Amira’s private link").wait_for()
    assert_accessible(page, "private-link-shown")
    old = page.locator(MY_INPUT_LINK).get_attribute("href")

    page.get_by_role("button", name="Reissue private link").focus()
    page.keyboard.press("Enter")
    notice = page.get_by_role("status").filter(has_text="Amira’s private link has been reissued")
    notice.wait_for()
    expect_focus(page, ".notice")
    new = page.locator(MY_INPUT_LINK).get_attribute("href")
    assert new != old
    changes = page.get_by_role("listitem").filter(has_text="Reissued on")
    assert changes.filter(has_text="by Chris Chair.").count() == 1
    assert_accessible(page, "private-link-reissued")

    amira = browser.new_context().new_page()
    answer = amira.goto(old)
    assert answer.status == 410
    assert amira.get_by_role("heading", name="This link no longer works").is_visible()
    assert "Amira" not in amira.content()
    assert_accessible(amira, "private-link-replaced")
    assert amira.goto(new).status == 200
    amira.get_by_role("heading", name="My input").wait_for()
    amira.context.close()
