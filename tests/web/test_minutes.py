"""The chair writes or attaches a meeting's minutes on its page, then approves that very version
(issue 15: "Approve minutes" approved nothing visible), with and without htmx."""

from __future__ import annotations

import hashlib
import html
import io
import re

from domain.minutes import MINUTES_FILE_BYTES
from tests.conftest import TODAY
from tests.web.test_meeting_page import HTMX, MODES, post

WORDS = "Present: Amira, Tom, Daniel and Sophie.\n\nAgreed: ask families before writing anything."


def approval(story, content_hash: str) -> dict:
    return {
        "approved_by": [str(story.people["amira"]), str(story.people["daniel"])],
        "approved_on": TODAY.isoformat(),
        "content_hash": content_hash,
    }


@MODES
def test_minutes_written_are_shown_then_approved_as_that_version(client, story, headers):
    written = post(client, f"/meetings/{story.meeting}/minutes/versions", {"text": WORDS}, headers)
    assert written.status_code == (200 if headers else 303)
    page = (
        written.get_data(as_text=True)
        if headers
        else client.get(written.headers["Location"]).get_data(as_text=True)
    )
    checksum = hashlib.sha256(WORDS.encode()).hexdigest()
    assert "Minutes saved." in page
    assert "Present: Amira, Tom, Daniel and Sophie.</p>" in page
    assert f"<code>{checksum}</code>" in page
    assert f'name="content_hash" value="{checksum}"' in page  # the approval names what is shown

    approved = post(client, f"/meetings/{story.meeting}/minutes", approval(story, checksum), headers)
    assert approved.status_code == (200 if headers else 303)
    page = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    assert "Approved on 15 June 2026 by Amira, Daniel." in page
    assert "Version 1, written by Ada Admin on " in page
    assert f"<code>{checksum}</code>" in page
    assert "Save the minutes" not in page and "Approve minutes" not in page  # they stand as approved


def test_a_file_of_minutes_is_kept_as_its_name_and_checksum(client, story):
    content = b"%PDF-1.4 the minutes of the partnership meeting"
    data = {"minutes_file": (io.BytesIO(content), "/home/chair/June minutes.pdf")}
    response = post(client, f"/meetings/{story.meeting}/minutes/versions", data)
    assert response.status_code == 303, response.get_data(as_text=True)
    page = html.unescape(client.get(f"/meetings/{story.meeting}").get_data(as_text=True))
    assert "Version 1: the file “June minutes.pdf”, attached by Ada Admin" in page
    assert f"<code>{hashlib.sha256(content).hexdigest()}</code>" in page


@MODES
def test_approving_with_no_minutes_is_explained_and_writes_nothing(client, story, headers):
    before = story.notifications()
    response = post(client, f"/meetings/{story.meeting}/minutes", approval(story, ""), headers)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'href="#minutes-approved_by"' in body
    assert re.search(r'id="minutes-approved_by-error">.*Write or attach the minutes first', body)
    assert story.notifications() == before


@MODES
def test_approving_a_version_since_replaced_is_refused(client, story, headers):
    old = story.app.write_minutes(story.actor, story.meeting, "Draft")
    story.app.write_minutes(story.actor, story.meeting, WORDS)
    before = story.notifications()
    response = post(client, f"/meetings/{story.meeting}/minutes", approval(story, old), headers)
    assert response.status_code == 422
    assert "The minutes have changed since this page was opened" in response.get_data(as_text=True)
    assert story.notifications() == before


@MODES
def test_minutes_sent_wrong_are_explained_next_to_the_field_and_nothing_is_written(client, story, headers):
    before = story.notifications()
    for data, field, message in [
        ({"text": " "}, "text", "Write the minutes, or attach a file of them"),
        ({"minutes_file": (io.BytesIO(b""), "minutes.pdf")}, "minutes_file", "The file chosen is empty"),
        (
            {"minutes_file": (io.BytesIO(b"x" * (MINUTES_FILE_BYTES + 1)), "minutes.pdf")},
            "minutes_file",
            "The file must be 10 MB or smaller",
        ),
        ({"text": WORDS, "minutes_file": (io.BytesIO(b"x"), "m.pdf")}, "text", "not both"),
    ]:
        response = post(client, f"/meetings/{story.meeting}/minutes/versions", data, headers)
        assert response.status_code == 422, message
        body = response.get_data(as_text=True)
        assert f'href="#written-{field}"' in body, message
        assert re.search(rf'id="written-{field}-error">.*{re.escape(message)}', body), message
        assert ("<html" in body) == (headers == {})
    assert story.notifications() == before


def test_an_approval_from_before_minutes_were_kept_says_so(client, story):
    story.app.approve_minutes(story.actor, story.meeting, [story.people["amira"]], TODAY)
    page = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    assert "Approved on 15 June 2026 by Amira." in page
    assert "These minutes are kept outside Cotrace" in page
    refused = post(client, f"/meetings/{story.meeting}/minutes/versions", {"text": WORDS}, HTMX)
    assert refused.status_code == 422
    assert "they stand as approved" in refused.get_data(as_text=True)
