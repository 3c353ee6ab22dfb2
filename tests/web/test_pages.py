"""The partnership and policy pages, scheduling a meeting, and what every page promises."""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cotrace.demo import DEMO_FOLDER, HISTORIES
from cotrace.importer import load_history
from tests.command_line import command_line
from tests.web.test_meeting_page import post


def test_the_home_page_lists_partnerships(client, story):
    page = client.get("/").get_data(as_text=True)
    assert "Riverside EHE Policy Partnership" in page  # read after writes made outside the web


def pages_linked_from_home(client) -> dict[str, str]:
    """Every HTML page reachable from the home page by following links, by path."""
    pages: dict[str, str] = {}
    seen: set[str] = set()
    queue = ["/"]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, path
        if response.mimetype != "text/html":
            continue
        pages[path] = body = response.get_data(as_text=True)
        for href in re.findall(r'href="([^"]+)"', body):
            link = urlsplit(html.unescape(href))
            if not link.netloc and link.path.startswith("/") and "unsubscribe" not in link.path:
                queue.append(link.path + (f"?{link.query}" if link.query else ""))
    assert len(pages) > 20  # the crawl went beyond the home page
    return pages


def test_every_page_linked_from_home_opens_with_a_plain_text_title(client, story):
    """The title is what a screen reader says first, and what a tab shows: text, never markup."""
    story.decide(stage="co_design")
    for path, body in pages_linked_from_home(client).items():
        title = re.search(r"<title>(.*?)</title>", body, re.S)
        assert title and re.fullmatch(r"[^<>]+ – Cotrace", html.unescape(title.group(1)).strip()), path
        assert not title.group(1).startswith("Error"), path


def test_every_form_sent_empty_gets_its_mistakes_explained_never_an_error_page(client, story):
    """What a person gets who presses the button too soon, on every form the pages link to."""
    story.decide(stage="co_design")
    forms = {}
    for path, body in pages_linked_from_home(client).items():
        for form in re.findall(r"<form[^>]*>", body):
            # Signing out is not a form with mistakes to make: it ends the session the rest need.
            if 'method="post"' in form and "unsubscribe" not in form and "sign-out" not in form:
                action = re.search(r'action="([^"]*)"', form)
                forms[urlsplit(html.unescape(action.group(1)) if action else path).path or path] = path
    assert len(forms) > 10
    for action, page in sorted(forms.items()):
        response = post(client, action, {})
        assert response.status_code in (303, 422), f"{action} (from {page}): {response.status_code}"
        if response.status_code == 422:
            body = response.get_data(as_text=True)
            assert 'class="error-summary"' in body and "<title>Error: " in body, action


def test_the_policy_page_shows_the_stage_timeline(client, story):
    story.decide(stage="co_design")
    page = client.get(f"/policies/{story.policy}").get_data(as_text=True)
    assert "Cycle 1" in page
    assert "from 17 March 2026" in page  # co-commission began when the policy started
    assert "from 15 June 2026 (current stage)" in page  # co-design, opened by the decision
    assert page.count("not yet") == 2


def test_scheduling_a_meeting_opens_its_page(client, story):
    data = {"title": "Co-design workshop", "held_on": "2026-07-01", "place": "Hall"}
    response = post(client, f"/partnerships/{story.partnership}/meetings", data)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h1>Co-design workshop</h1>" in page and "1 July 2026" in page


@pytest.mark.parametrize(
    "held_on, message",
    [
        ("2062-07-01", "within a year from today"),
        ("", "Enter the date of the meeting"),
        ("2026-02-31", "must be a real date"),
    ],
)
def test_a_meeting_date_that_cannot_be_right_is_explained(client, story, held_on, message):
    before = story.notifications()
    data = {"title": "Workshop", "held_on": held_on, "place": ""}
    response = post(client, f"/partnerships/{story.partnership}/meetings", data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body and 'href="#meeting-held_on"' in body
    assert story.notifications() == before


def test_pages_forbid_scripts_from_elsewhere(client, story):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unpkg" not in response.get_data(as_text=True)


def test_htmx_is_served_from_our_own_files_with_its_recorded_checksum(client):
    vendor = Path(__file__).parents[2] / "web" / "static" / "vendor"
    recorded = (vendor / "README.md").read_text()
    response = client.get("/static/vendor/htmx-2.0.11.min.js")
    assert response.status_code == 200
    assert hashlib.sha256(response.get_data()).hexdigest() in recorded
    response.close()


def test_cotrace_demo_loads_once_and_rebuild_gives_the_same_rows(flask_app):
    from tests.integration.test_projections import snapshot

    runner = command_line(flask_app)
    loaded = runner.invoke(args=["demo", "--if-empty"])
    assert "Loaded the Riverside EHE Policy Partnership" in loaded.output
    again = runner.invoke(args=["demo", "--if-empty"])
    assert "demo data not loaded" in again.output

    services = flask_app.extensions["cotrace"]
    before = snapshot(services)
    rebuilt = runner.invoke(args=["rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    events = services.app.recorder.max_notification_id()
    assert f"Applied {events} events" in rebuilt.output
    assert snapshot(services) == before
    files = [load_history((DEMO_FOLDER / name).read_text()) for name in HISTORIES]
    decided = sum(record["type"] == "decision" for history in files for record in history.records)
    assert len(before["directory_decisions"]) == decided  # and none yet at today's meeting


def test_a_meeting_with_no_title_and_no_date_gets_both_messages(client, story):
    response = post(
        client, f"/partnerships/{story.partnership}/meetings", {"title": "", "held_on": "", "place": ""}
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Enter the date of the meeting" in body
    assert "Enter a title for the meeting" in body


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_a_method_a_page_does_not_take_is_told_as_such(client, story, method):
    response = client.open(f"/meetings/{story.meeting}/decisions", method=method)
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_reloading_the_address_a_form_was_sent_to_explains_itself(client, story):
    response = client.get(f"/meetings/{story.meeting}/decisions")
    assert response.status_code == 405
    page = response.get_data(as_text=True)
    assert "<h1>Nothing to show here</h1>" in page and "only receives a form" in page
    assert '<html lang="en-GB">' in page  # the app's own page, not the server's bare one
