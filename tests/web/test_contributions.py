"""Responding to a contribution ("you said, we did"), with and without htmx."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from tests.conftest import TODAY
from tests.story import Riverside
from tests.web.test_meeting_page import MODES, post
from tests.web.test_meeting_record import said_in_the_room


def an_earlier_contribution(riverside: Riverside) -> str:
    """Made by email ten days ago, so the days a response took can be counted."""
    story = riverside
    return str(
        story.app.submit_contribution(
            story.actor,
            story.policy,
            story.people["tom"],
            "concern",
            "The register letter reads like a threat",
            "email",
            happened_on=TODAY - timedelta(days=10),
        )
    )


def changed_by_hand(services, originator_id) -> Any:
    """A space added to the stored bytes of the record's first event, straight in the database, as
    someone working around Cotrace would: the event's row, as it was before."""
    table = services.app.recorder.events_record_cls.__table__
    with services.engine.begin() as conn:
        row = conn.execute(select(table).where(table.c.originator_id == originator_id)).first()
        conn.execute(update(table).where(table.c.id == row.id).values(state=bytes(row.state) + b" "))
    return row


def test_a_contribution_shows_what_was_said_and_awaits_a_response(client, story):
    contribution = an_earlier_contribution(story)
    page = client.get(f"/contributions/{contribution}").get_data(as_text=True)
    assert "<h1>Concern from Tom</h1>" in page
    assert "The register letter reads like a threat" in page
    assert "Email" in page and "Co-commission, cycle 1" in page and "5 June 2026" in page
    assert "Awaiting a response for 10 days." in page
    assert "Record response" in page


def test_a_contributor_with_a_pseudonym_is_shown_by_it(client, story):
    contribution = said_in_the_room(story)
    page = client.get(f"/contributions/{contribution}").get_data(as_text=True)
    assert "<h1>Suggestion from River mum</h1>" in page
    assert "Amira" not in page[: page.index('id="response"')]


@MODES
def test_a_response_is_recorded_with_how_long_it_took(client, story, headers):
    contribution = an_earlier_contribution(story)
    data = {
        "response": "adapted",
        "reason": "The letter is rewritten with families",
        "responded_by": str(story.people["daniel"]),
        "happened_on": TODAY.isoformat(),
    }
    response = post(client, f"/contributions/{contribution}/response", data, headers)
    if headers:
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert body.lstrip().startswith('<div id="contribution-record">')
    else:
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/contributions/{contribution}#response")
        body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Response recorded." in body
    assert "<strong>Adapted</strong>: The letter is rewritten with families" in body
    assert "Responded by Daniel on 15 June 2026,\n      10 days after it was made." in body
    assert "Record response" not in body  # a response is never changed


@MODES
def test_a_response_without_its_reason_is_explained_and_nothing_is_written(client, story, headers):
    contribution = an_earlier_contribution(story)
    before = story.notifications()
    data = {
        "response": "not_adopted",
        "reason": " ",
        "responded_by": str(story.people["daniel"]),
        "happened_on": "",
    }
    response = post(client, f"/contributions/{contribution}/response", data, headers)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'href="#response-happened_on"' in body
    assert re.search(r'id="response-happened_on-error">.*Enter the date of the response', body)
    assert story.notifications() == before

    data["happened_on"] = TODAY.isoformat()
    response = post(client, f"/contributions/{contribution}/response", data, headers)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'href="#response-reason"' in body
    assert re.search(r'id="response-reason-error">.*Say why it was not adopted', body)
    assert story.notifications() == before
    assert ("<html" in body) == (headers == {})


def test_an_unknown_contribution_is_not_found(client, story):
    assert client.get(f"/contributions/{story.policy}").status_code == 404


def test_the_audit_trail_says_how_each_contribution_was_given(client, story):
    an_earlier_contribution(story)
    said_in_the_room(story)
    page = client.get(f"/policies/{story.policy}").get_data(as_text=True)
    assert "How it was given: email." in page
    assert re.search(r"How it was given: at a meeting \([^)]+\)\.", page)
    assert "By at a meeting" not in page


@MODES
def test_a_response_sent_twice_says_why_the_second_saved_nothing(client, story, headers):
    contribution = an_earlier_contribution(story)
    data = {
        "response": "adopted",
        "responded_by": str(story.people["daniel"]),
        "happened_on": TODAY.isoformat(),
    }
    assert post(client, f"/contributions/{contribution}/response", data, headers).status_code in (200, 303)
    before = story.notifications()
    again = post(client, f"/contributions/{contribution}/response", data, headers)
    assert again.status_code == 422
    body = again.get_data(as_text=True)
    assert re.search(r'role="alert"[^>]*>\s*<h2[^>]*>Nothing was saved</h2>\s*<ul><li>[^<]+</li>', body)
    assert story.notifications() == before
