"""A visitor who has not signed in opens the home page, finds a published policy and reads its
transparency page, with and without JavaScript, on screen and in print; a chair publishes and
withdraws it from the policy page. axe-core finds nothing on any of them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from cotrace import credentials
from cotrace.accounts import open_account
from tests.browser.conftest import assert_accessible
from tests.transparency_story import ADAPTED, CANARY_WORD, published_with_input

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def page(public_page):
    """Here a browser starts with no one signed in: the visitor of a public page, or a chair who
    signs in by the form."""
    return public_page


@pytest.fixture
def page_without_javascript(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_a_visitor_reads_a_published_policy_without_signing_in(served, page):
    base, story = served
    published_with_input(story)

    page.goto(f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Published policies")
    assert page.get_by_role("main").get_by_role("link", name="sign in").is_visible()
    assert_accessible(page, "public-home")

    page.get_by_role("link", name="EHE policy").click()
    page.wait_for_url(f"{base}/public/policies/{story.policy}")
    expect(page.get_by_role("heading", level=1)).to_have_text("EHE policy")
    expect(page.get_by_role("table", name="What the partnership said back, oldest first")).to_contain_text(
        ADAPTED
    )
    assert CANARY_WORD not in page.content()
    assert_accessible(page, "public-policy")

    # A verdict's proof lands on the fact it names, on this page, focused for whoever reads on.
    page.get_by_role("link", name=re.compile(r"^Response 'Adapted' to a concern")).click()
    row = page.locator(page.url[page.url.index("#") :])
    expect(row).to_be_in_viewport()
    expect(row).to_be_focused()
    expect(row).to_contain_text(ADAPTED)


def test_the_public_page_needs_no_javascript_and_prints_without_the_screens_parts(
    served, page_without_javascript
):
    base, story = served
    published_with_input(story)
    page = page_without_javascript
    page.goto(f"{base}/public/policies/{story.policy}")
    expect(page.get_by_role("table", name="Contributions by response")).to_be_visible()

    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Your account")).to_be_hidden()
    expect(page.get_by_role("navigation", name="On this page")).to_be_hidden()
    expect(page.get_by_role("table", name=re.compile("^Decisions on EHE policy"))).to_be_visible()
    assert page.pdf(format="A4")[:4] == b"%PDF"  # it prints


@pytest.mark.console_error("status of 404")  # the withdrawn page, as a visitor finds it
def test_a_chair_publishes_and_withdraws_the_page_in_place(served_app, page, browser):
    base, story, app = served_app
    services = app.extensions["cotrace"]
    published_with_input(story, publish=False)
    chair = open_account(services, None, "Chris Chair", "chris@example.org")
    services.run(lambda app, actor: app.grant_role(actor, story.partnership, chair, "chair"), chair)
    with services.engine.begin() as conn:
        credentials.set_password(conn, chair, PASSWORD, datetime.now(UTC))
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill("chris@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(rf"^{base}/(\?.*)?$"))

    page.goto(f"{base}/policies/{story.policy}")
    page.get_by_role("button", name="Publish the transparency page").click()
    page.get_by_role("status").filter(has_text="The transparency page is published").wait_for()
    assert_accessible(page, "policy-page-published")

    visitor = browser.new_context().new_page()
    visitor.goto(f"{base}/public/policies/{story.policy}")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("EHE policy")

    page.get_by_label("Why is it withdrawn?").fill("Checking the wording with families")
    page.get_by_role("button", name="Withdraw the transparency page").click()
    page.get_by_role("status").filter(has_text="The transparency page is withdrawn").wait_for()
    assert visitor.goto(f"{base}/public/policies/{story.policy}").status == 404
    visitor.context.close()
