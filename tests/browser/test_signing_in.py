"""Signing in as a person would, in Chromium: with a password, with a one-time link read from the
mail the app wrote, with a second factor; acting within one's role and refused outside it; signing
out everywhere. axe-core on every page of signing in, with and without mistakes shown."""

from __future__ import annotations

import email
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest

from cotrace import credentials
from cotrace.accounts import open_account
from tests.browser.conftest import assert_accessible
from tests.browser.dates import fill_date

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
CHAIR = ("Chris Chair", "chris@example.org")
MEMBER = ("Mo Member", "mo@example.org")
ADMIN = ("Ada Admin", "ada@example.org")


@pytest.fixture
def page(public_page):
    """Here every browser starts with no one signed in: signing in is what these tests do."""
    return public_page


def account(served_app, story, person: tuple[str, str], role: str | None) -> None:
    """An account with a password: an admin (role None) or holding `role` in Riverside."""
    services = served_app[2].extensions["cotrace"]
    account_id = open_account(services, None, *person, is_admin=role is None)
    if role is not None:
        services.run(
            lambda app, actor: app.grant_role(actor, story.partnership, account_id, role), account_id
        )
    with services.engine.begin() as conn:
        credentials.set_password(conn, account_id, PASSWORD, datetime.now(UTC))


def sign_in(page, base: str, address: str, password: str = PASSWORD, then: str = "/") -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}{then}")


def emailed_link(served_app) -> str:
    """The link in the newest mail the app wrote to its outbox folder (no mail server is set)."""
    outbox = sorted(
        (Path(served_app[2].instance_path) / "outbox").glob("*.eml"), key=lambda p: p.stat().st_mtime
    )
    body = email.message_from_bytes(outbox[-1].read_bytes()).get_payload(decode=True).decode()
    return re.search(r"https?://\S+", body).group(0)


def test_a_chair_signs_in_with_a_password_and_records_a_meeting(served, served_app, page):
    base, story = served
    account(served_app, story, CHAIR, "chair")
    page.goto(f"{base}/partnerships/{story.partnership}")
    page.wait_for_url(re.compile(r"/sign-in\?next="))  # the public is sent to sign in, then back
    assert_accessible(page, "sign-in")

    page.get_by_label("Email address").fill(CHAIR[1])
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=re.compile("did not match")).wait_for()  # the error summary
    assert page.title().startswith("Error: ")
    assert_accessible(page, "sign-in-mistake")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/partnerships/{story.partnership}")
    assert page.get_by_role("navigation", name="Your account").get_by_text(CHAIR[0]).is_visible()

    page.get_by_label("Title").fill("Budget workshop")
    fill_date(page, "Date of the meeting", story.today)
    page.get_by_label("Place").fill("Riverside Library")
    page.get_by_role("button", name="Schedule meeting").click()
    page.get_by_role("heading", name=re.compile("Budget workshop")).wait_for()
    assert "/meetings/" in page.url


@pytest.mark.console_error("status of 403")  # the chair's pages, refused as they should be
def test_a_member_sees_no_chairs_forms_and_is_refused_the_chairs_pages(served, served_app, page):
    base, story = served
    account(served_app, story, MEMBER, "member")
    sign_in(page, base, MEMBER[1])
    page.goto(f"{base}/partnerships/{story.partnership}")
    assert page.get_by_role("heading", name="Riverside EHE Policy Partnership").is_visible()
    assert page.get_by_role("heading", name="Schedule a meeting").count() == 0
    assert page.get_by_role("link", name="Add a member").count() == 0
    assert page.locator("main form").count() == 0  # the one form left is "Sign out", in the header
    page.goto(f"{base}/meetings/{story.meeting}")
    assert page.locator("main form").count() == 0
    assert page.get_by_role("row", name=re.compile("Amira")).get_by_text("Present").is_visible()
    assert_accessible(page, "meeting-for-a-member")

    refused = page.goto(f"{base}/partnerships/{story.partnership}/members/new")
    assert refused.status == 403
    assert page.get_by_role("heading", name="You cannot use this page").is_visible()
    assert page.locator("main form").count() == 0  # a plain page: nothing to fill in
    assert_accessible(page, "refused")

    # A form sent by hand, with this session's own token, is refused all the same; nothing is kept.
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    sent = page.context.request.post(
        f"{base}/partnerships/{story.partnership}/meetings",
        form={
            "csrf_token": token,
            "title": "Not my meeting",
            "held_on": story.today.isoformat(),
            "place": "",
        },
        max_redirects=0,
    )
    assert sent.status == 403 and "You cannot use this page" in sent.text()
    page.goto(f"{base}/partnerships/{story.partnership}")
    assert "Not my meeting" not in page.content()


def test_a_home_educator_signs_in_with_a_link_emailed_to_her(served, served_app, page):
    base, story = served
    amira = story.people["amira"]
    served_app[2].extensions["cotrace"].run(
        lambda app, actor: app.set_contact_preferences(actor, amira, "amira@example.org", False), amira
    )
    page.goto(f"{base}/sign-in")
    page.get_by_role("link", name="Get a link to sign in by email").click()
    page.get_by_role("heading", name="Get a link to sign in").wait_for()
    assert_accessible(page, "email-link")

    page.get_by_role("button", name="Send me a link").click()  # no address yet
    page.get_by_role("link", name="Enter the email address you gave the partnership").wait_for()
    assert_accessible(page, "email-link-mistake")

    page.get_by_label("Email address").fill("amira@example.org")
    page.get_by_role("button", name="Send me a link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    assert_accessible(page, "email-link-sent")

    page.goto(emailed_link(served_app))
    assert_accessible(page, "email-link-followed")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/my-input")  # her own page, signed in: no private link in the address
    assert "Amira" in page.content()


def test_a_chair_resets_a_forgotten_password_from_the_emailed_link(served, served_app, page):
    base, story = served
    account(served_app, story, CHAIR, "chair")
    page.goto(f"{base}/sign-in")
    page.get_by_role("link", name="I have forgotten my password").click()
    page.get_by_role("heading", name="Reset your password").wait_for()
    assert_accessible(page, "reset-request")
    page.get_by_label("Email address").fill(CHAIR[1])
    page.get_by_role("button", name="Send me a link").click()
    page.get_by_role("heading", name="Check your email").wait_for()

    page.goto(emailed_link(served_app))
    page.get_by_role("heading", name="Choose a password").wait_for()
    assert_accessible(page, "reset")
    page.get_by_label("New password", exact=True).fill("password")
    page.get_by_label("New password again").fill("password")
    page.get_by_role("button", name="Set password").click()
    page.locator(".error-summary").wait_for()
    assert_accessible(page, "reset-mistake")

    new = "a long and new passphrase"
    page.get_by_label("New password", exact=True).fill(new)
    page.get_by_label("New password again").fill(new)
    page.get_by_role("button", name="Set password").click()
    page.get_by_role("status").filter(has_text="Your password is set").wait_for()
    sign_in(page, base, CHAIR[1], new)


def test_an_admin_sets_up_a_second_factor_then_gives_a_code_to_sign_in(served, served_app, page):
    base, story = served
    account(served_app, story, ADMIN, None)
    sign_in(page, base, ADMIN[1], then="/account/second-factor")  # before anything else
    assert_accessible(page, "second-factor-setup")
    secret = page.locator(".secret-key").inner_text().replace(" ", "")

    page.get_by_label("Code from your app").fill("000000")
    page.get_by_role("button", name="Turn on the second factor").click()
    page.locator(".error-summary").wait_for()
    assert_accessible(page, "second-factor-setup-mistake")
    # The code of the step before now (still accepted), so that the code of now is new at sign-in.
    page.get_by_label("Code from your app").fill(
        pyotp.TOTP(secret).at(datetime.now(UTC) - timedelta(seconds=30))
    )
    page.get_by_role("button", name="Turn on the second factor").click()
    page.wait_for_url(f"{base}/account")
    page.get_by_role("status").filter(has_text="Your second factor is set up").wait_for()
    assert_accessible(page, "account")

    page.goto(f"{base}/account/second-factor")
    page.get_by_role("heading", name="Your second factor is on").wait_for()
    assert_accessible(page, "second-factor-on")
    page.goto(f"{base}/account/password")
    assert_accessible(page, "change-password")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("status").filter(has_text="You have signed out").wait_for()
    sign_in(page, base, ADMIN[1], then="/sign-in/second-factor")
    assert_accessible(page, "second-factor")
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    page.locator(".error-summary").wait_for()
    assert_accessible(page, "second-factor-mistake")
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/admin/accounts")
    assert page.get_by_role("heading", name="Accounts").is_visible()


def test_signing_out_everywhere_signs_out_the_other_browser_too(
    served, served_app, page_without_javascript, browser
):
    """Without JavaScript, as every page of signing in works."""
    base, story = served
    page = page_without_javascript
    account(served_app, story, CHAIR, "chair")
    laptop = browser.new_context()
    try:
        other = laptop.new_page()
        sign_in(other, base, CHAIR[1])
        sign_in(page, base, CHAIR[1])
        page.goto(f"{base}/account")
        page.get_by_role("button", name="Sign out everywhere").click()
        page.get_by_role("status").filter(has_text="signed out on every device (2 sessions ended)").wait_for()

        other.goto(f"{base}/partnerships/{story.partnership}")
        other.wait_for_url(re.compile(r"/sign-in\?next="))  # the other browser's session is over too
        assert other.get_by_role("heading", name="Sign in").is_visible()
    finally:
        laptop.close()
