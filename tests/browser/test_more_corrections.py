"""Issue 15, the chair corrects more of what was recorded wrong, in a real browser: a meeting's date
after attendance was recorded (with JavaScript at 1280 px, the reason forgotten first), a member's
stakeholder group and email address (without JavaScript on a 375 px phone, the address never in a
page's address), and a meeting's minutes, written and approved, found in its policy's trail (without
JavaScript at 375 px and with it at 1280 px). Every page visited at 375 px is read again there with
JavaScript (axe is a script): axe-clean, with no sideways scrolling."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.dates import fill_date
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
WIDE = {"width": 1280, "height": 800}


def assert_fits_a_phone(page: Page, urls: list[tuple[str, str]]) -> None:
    """Each page, at 375 px with JavaScript: no sideways scrolling, and axe-clean."""
    page.set_viewport_size(PHONE)
    for url, name in urls:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
        assert_accessible(page, name)


def test_a_meetings_date_is_corrected_after_attendance_and_its_records_move_with_it(
    served_app, page, page_without_javascript
):
    base, story, flask_app = served_app

    def recorded(app, actor):
        said = app.submit_contribution(
            actor,
            story.policy,
            story.people["amira"],
            "view",
            "Ask us before any visit",
            "meeting",
            meeting_id=story.meeting,
        )
        decided = story.decide(cites=[said])
        return said, decided

    said, decided = flask_app.extensions["cotrace"].run(recorded, story.actor)
    earlier = TODAY - timedelta(days=2)  # 13 June 2026, the Saturday

    def reason_forgotten(on: Page) -> str:
        """From the meeting page, the date typed and the reason left empty: the error beside the
        field, and in the summary; what was typed stays. Gives the correction page's address."""
        on.goto(f"{base}/meetings/{story.meeting}")
        expect(on.get_by_role("main")).to_contain_text("15 June 2026, Library.")
        on.get_by_role("link", name="Correct the date or place of this meeting").click()
        correction_url = on.url
        fill_date(on, "Date of the meeting", earlier)
        on.get_by_role("button", name="Record correction").click()
        expect(on.get_by_role("alert")).to_contain_text("Give the reason for the correction")
        expect(on.locator("#form-reason-error")).to_contain_text("Give the reason for the correction")
        reason = on.get_by_label("Why it is corrected")
        expect(reason).to_have_attribute("aria-describedby", re.compile(r"\bform-reason-error\b"))
        date_group = on.get_by_role("group", name="Date of the meeting", exact=True)
        expect(date_group.get_by_label("Day", exact=True)).to_have_value("13")
        expect(on.get_by_label("Place")).to_have_value("Library")
        assert on.url == correction_url
        return correction_url

    # Without JavaScript on a phone, the error: a full page back, nothing recorded.
    phone = page_without_javascript
    phone.set_viewport_size(PHONE)
    reason_forgotten(phone)
    phone.goto(f"{base}/meetings/{story.meeting}")
    expect(phone.get_by_role("main")).to_contain_text("15 June 2026, Library.")

    # With JavaScript at 1280 px: the error, then the correction.
    page.set_viewport_size(WIDE)
    correction_url = reason_forgotten(page)
    assert_accessible(page, "correct-meeting-with-errors")
    page.get_by_label("Why it is corrected").fill("Held on the Saturday")
    page.get_by_role("button", name="Record correction").click()
    expect(page.get_by_role("status")).to_contain_text("Correction recorded.")
    main = page.get_by_role("main")
    expect(main).to_contain_text("13 June 2026, Library.")
    shown = main.locator(".corrections")
    expect(shown).to_contain_text("Corrected on 15 June 2026")
    expect(shown).to_contain_text("Held on the Saturday")
    expect(shown).to_contain_text("It read: 15 June 2026, Library")
    decision = page.locator(".decision").first
    expect(decision).to_contain_text(
        "Date corrected on 15 June 2026: Held on the Saturday (it was dated 15 June 2026)"
    )
    assert_accessible(page, "meeting-redated")

    page.goto(f"{base}/contributions/{said}")
    record = page.locator("#contribution-record")
    expect(record).to_contain_text("13 June 2026")
    expect(record).to_contain_text("It was dated 15 June 2026, with its meeting")
    expect(record).to_contain_text("Held on the Saturday")
    page.goto(f"{base}/decisions/{decided}")
    expect(page.get_by_role("main")).to_contain_text("Decision of 13 June 2026")
    expect(page.get_by_role("main")).to_contain_text("recorded as taken on 15 June 2026")
    expect(page.get_by_role("main")).to_contain_text("Reason: Held on the Saturday.")

    page.set_viewport_size(PHONE)  # the error as the phone had it, read with JavaScript
    page.goto(correction_url)
    page.get_by_role("button", name="Record correction").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the reason for the correction")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page, "correct-meeting-with-errors")
    assert_fits_a_phone(
        page,
        [
            (correction_url, "correct-meeting"),
            (f"{base}/meetings/{story.meeting}", "meeting-redated"),
            (f"{base}/contributions/{said}", "contribution-redated"),
            (f"{base}/decisions/{decided}", "decision-redated"),
        ],
    )


def test_a_members_group_and_email_are_corrected_on_a_phone_and_the_address_never_in_a_url(
    served_app, page, page_without_javascript
):
    base, story, flask_app = served_app
    amira = story.people["amira"]
    flask_app.extensions["cotrace"].run(
        lambda app, actor: app.set_contact_preferences(actor, amira, "amira@exmaple.org", True), story.actor
    )
    members = f"{base}/partnerships/{story.partnership}#members"

    addresses = ("exmaple", "example.org", "amira@", "amira%40")

    def address_kept_out(of: Page) -> None:
        assert not any(words in of.url for words in addresses), of.url

    asked_for: list[str] = []  # every address either browser asked for, redirects and htmx's included
    for watched in (page, page_without_javascript):
        watched.on("request", lambda request: asked_for.append(request.url))

    # With JavaScript at 1280 px, a mistyped correction: refused beside the field, in no address.
    page.set_viewport_size(WIDE)
    page.goto(members)
    page.get_by_role("link", name="Correct the email address of Amira").click()
    address_kept_out(page)
    email = page.get_by_label("Email address")
    expect(email).to_have_value("amira@exmaple.org")
    email.fill("amira@")
    page.get_by_label("Why it is corrected").fill("A letter mistyped when added")
    page.get_by_role("button", name="Record correction").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter an email address in the right format")
    expect(page.locator("#form-email-error")).to_contain_text("Enter an email address in the right format")
    expect(email).to_have_value("amira@")
    address_kept_out(page)

    # Without JavaScript, on a phone: the group, then the address, each a post and a redirect.
    phone = page_without_javascript
    phone.set_viewport_size(PHONE)
    phone.goto(members)
    phone.get_by_role("link", name="Correct the stakeholder group of Sophie").click()
    group_url = phone.url
    group = phone.get_by_role("group", name="Stakeholder group")
    expect(group.get_by_label("Home education organisation")).to_be_checked()  # as recorded
    group.get_by_label("Home educator", exact=True).check()
    phone.get_by_label("Why it is corrected").fill("Entered as the HE organisation")
    phone.get_by_role("button", name="Record correction").click()
    expect(phone.get_by_role("status")).to_contain_text("Correction recorded.")
    row = phone.get_by_role("row").filter(has_text="Sophie")
    expect(row).to_contain_text("Home educator")
    expect(row).to_contain_text("Entered as the HE organisation")
    expect(row).to_contain_text("It read: Home education organisation")

    phone.get_by_role("link", name="Correct the email address of Amira").click()
    email_url = phone.url
    address_kept_out(phone)
    phone.get_by_label("Email address").fill("amira@example.org")
    phone.get_by_label("Why it is corrected").fill("A letter mistyped when added")
    phone.get_by_role("button", name="Record correction").click()
    expect(phone.get_by_role("status")).to_contain_text("Correction recorded.")
    address_kept_out(phone)
    row = phone.get_by_role("row").filter(has_text="Amira")
    expect(row).to_contain_text("A letter mistyped when added")
    expect(row).to_contain_text("The email address read: amira@exmaple.org")
    # Stacked on the phone, each cell the row's width: four narrow columns broke words mid-word.
    cells = [phone.get_by_role("row").filter(has_text="Amira").get_by_role("cell").nth(n) for n in range(4)]
    assert all(cell.bounding_box()["width"] > 300 for cell in cells)
    phone.get_by_role("link", name="Correct the email address of Amira").click()
    expect(phone.get_by_label("Email address")).to_have_value("amira@example.org")  # the corrected one
    address_kept_out(phone)

    assert_fits_a_phone(
        page,
        [
            (members, "members-corrected"),
            (group_url, "correct-member-group"),
            (email_url, "correct-member-email"),
        ],
    )
    address_kept_out(page)
    assert asked_for and not [url for url in asked_for if any(words in url for words in addresses)]


MINUTES = "Present: Amira, Tom, Daniel and Sophie.\n\nThe EHE policy: agreed to ask families first."


def test_a_meetings_minutes_written_and_approved_are_in_the_trail_of_the_policy_on_its_agenda(
    served_app, page, page_without_javascript
):
    base, story, flask_app = served_app
    flask_app.extensions["cotrace"].run(
        lambda app, actor: app.add_agenda_item(actor, story.meeting, "The EHE policy", story.policy),
        story.actor,
    )
    meeting = f"{base}/meetings/{story.meeting}"
    policy = f"{base}/policies/{story.policy}"

    # Without JavaScript, on a phone: the chair writes the minutes and records their approval.
    phone = page_without_javascript
    phone.set_viewport_size(PHONE)
    phone.goto(meeting)
    minutes = phone.locator("section", has=phone.get_by_role("heading", name="Minutes", exact=True))
    minutes.get_by_label("The minutes", exact=True).fill(MINUTES)
    minutes.get_by_role("button", name="Save the minutes").click()
    expect(phone.get_by_role("status")).to_contain_text("Minutes saved.")
    minutes.get_by_text("Approve the minutes (version 1)").click()
    minutes.get_by_role("group", name="Approved by").get_by_label("Amira (Home educator)").check()
    minutes.get_by_role("button", name="Approve minutes").click()
    expect(phone.get_by_role("status")).to_contain_text("Minutes approved.")
    checksum = minutes.locator("code").first.inner_text()

    def shows_the_minutes(on: Page) -> None:
        expect(on.locator("#trail-results")).to_contain_text("2 facts match the filters")
        trail = on.get_by_role("region", name="Audit trail of EHE policy")
        expect(trail).to_contain_text(
            f"Minutes of Partnership meeting written in Cotrace, version 1 (SHA-256 {checksum})."
        )
        expect(trail).to_contain_text(
            f"Minutes of Partnership meeting approved by Amira: version 1 (SHA-256 {checksum})."
        )
        expect(on).to_have_url(re.compile(r"[?&]kind=minutes\b"))

    phone.goto(policy)
    phone.get_by_label("Kind of event").select_option(label="Minutes written and approved")
    phone.get_by_role("button", name="Show the trail").click()
    shows_the_minutes(phone)
    filtered = phone.url

    # With JavaScript at 1280 px: the same filter, the trail swapped in place and its address pushed.
    page.set_viewport_size(WIDE)
    page.goto(policy)
    expect(page.locator("#trail-results")).to_contain_text("facts in the trail")
    page.get_by_label("Kind of event").select_option(label="Minutes written and approved")
    page.get_by_role("button", name="Show the trail").click()
    shows_the_minutes(page)
    assert_accessible(page, "policy-trail-minutes")

    assert_fits_a_phone(page, [(meeting, "meeting-minutes-approved"), (filtered, "policy-trail-minutes")])
