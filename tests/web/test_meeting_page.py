"""A chair records attendance and a decision on the meeting page, with and without htmx."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.story import Riverside

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://localhost/"}
# A form posted as a browser without JavaScript does, and as htmx does.
MODES = pytest.mark.parametrize("headers", [{}, HTMX], ids=["full page", "htmx"])


def post(client, url: str, data: dict, headers: dict | None = None):
    with client.session_transaction() as session:
        session["csrf"] = "token"
    return client.post(url, data={**data, "csrf_token": "token"}, headers=headers or {})


def good_decision(story: Riverside, **changes: Any) -> dict:
    data = {
        "policy_id": str(story.policy),
        "stage": "co_commission",
        "text": "Write the principles with home educators first",
        "proposed_by": str(story.people["tom"]),
        "decided_by": [str(story.people["amira"]), str(story.people["daniel"])],
        "method": "consensus",
    }
    data.update(changes)
    return data


def test_the_meeting_page_lists_who_can_decide(client, story):
    page = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    assert "<h1>Partnership meeting</h1>" in page
    assert f'name="decided_by" value="{story.people["amira"]}"' in page
    # Grace sent apologies: she can be marked present, but cannot be chosen to decide.
    assert f'name="decided_by" value="{story.people["grace"]}"' not in page


def test_without_javascript_a_decision_redirects_and_shows_in_the_audit_trail(client, story):
    response = post(client, f"/meetings/{story.meeting}/decisions", good_decision(story))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/meetings/{story.meeting}#decisions")

    meeting_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Decision recorded." in meeting_page
    assert "Write the principles with home educators first" in meeting_page

    trail = client.get(f"/policies/{story.policy}").get_data(as_text=True)
    assert "Write the principles with home educators first" in trail
    assert "Home educator, Local authority" in trail  # the decision makers' groups
    assert "15 June 2026" in trail  # happened: the meeting's date
    assert "by Local operator" in trail


def test_with_htmx_the_decision_appears_in_place(client, story):
    response = post(client, f"/meetings/{story.meeting}/decisions", good_decision(story), HTMX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="meeting-record">')
    assert "<html" not in body
    assert "Decision recorded." in body
    # in the decisions' own section, beside what changed, as without JavaScript: not at the top
    assert body.index('<h2 id="decisions">') < body.index("Decision recorded.") < body.index('id="actions"')
    assert "Write the principles with home educators first" in body
    again = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    assert "Decision recorded." not in again  # told once: not again on the next page


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full page", "htmx"])
def test_bad_input_gets_messages_next_to_the_fields_and_writes_nothing(client, story, headers):
    before = story.notifications()
    bad = good_decision(
        story,
        text="",
        decided_by=[str(story.people["grace"])],  # sent apologies
        stage="co_deliver",  # skips co-design
    )
    response = post(client, f"/meetings/{story.meeting}/decisions", bad, headers)

    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "There is a problem" in body
    for field, message in [
        ("text", "Enter what was decided"),
        ("decided_by", "Choose the decision makers from the people recorded as present"),
        ("stage", "a decision can be at Co-commission or open the next stage"),
    ]:
        assert f'href="#decision-{field}"' in body  # the summary links to the field
        assert re.search(rf'id="decision-{field}-error">.*{re.escape(message)}', body), field
    assert story.notifications() == before
    assert ("<html" in body) == (headers == {})


def test_a_vote_with_unreadable_tallies_is_explained(client, story):
    data = good_decision(story, method="vote", votes_for="two", votes_against="0", abstentions="0")
    response = post(client, f"/meetings/{story.meeting}/decisions", data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Enter the votes for as a whole number" in body
    # The error summary links to "For": the field itself is marked invalid and names its message.
    field = re.search(r'<input[^>]*id="decision-votes_for"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in field and "decision-votes_for-error" in field


def test_a_negative_tally_is_explained_next_to_its_own_field_and_nothing_is_written(client, story):
    before = story.notifications()
    data = good_decision(story, method="vote", votes_for="2", votes_against="-1", abstentions="1")
    response = post(client, f"/meetings/{story.meeting}/decisions", data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert re.search(r'id="decision-votes_against-error">.*Enter the votes against as 0 or more', body)
    assert 'href="#decision-votes_against"' in body
    assert story.notifications() == before


def test_a_vote_is_recorded_with_its_tallies(client, story):
    """Issue 15: the meeting page said "Vote." with no tally; every page now says it the same way."""
    data = good_decision(
        story,
        method="vote",
        votes_for="1",
        votes_against="0",
        abstentions="1",
        dissent="Wanted a survey first",
        dissent_by=str(story.people["daniel"]),
    )
    assert post(client, f"/meetings/{story.meeting}/decisions", data).status_code == 303
    trail = client.get(f"/policies/{story.policy}").get_data(as_text=True)
    assert "Vote: 1 for, 0 against, 1 abstained" in trail
    meeting_page = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    assert "Vote: 1 for, 0 against, 1 abstained." in meeting_page
    assert "Dissent noted by Daniel: Wanted a survey first" in meeting_page
    decision = re.search(r'href="(/decisions/[0-9a-f-]+)"', meeting_page).group(1)
    provenance = client.get(decision).get_data(as_text=True)
    assert "Vote: 1 for, 0 against, 1 abstained" in provenance


def test_attendance_is_recorded_and_the_decision_form_follows_it(client, story):
    grace = str(story.people["grace"])
    response = post(client, f"/meetings/{story.meeting}/attendance", {"present": [grace]}, HTMX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Attendance recorded." in body
    assert f'name="decided_by" value="{grace}"' in body
    assert f'name="decided_by" value="{story.people["amira"]}"' not in body


def test_someone_both_present_and_sending_apologies_is_refused(client, story):
    amira, tom = str(story.people["amira"]), str(story.people["tom"])
    response = post(
        client,
        f"/meetings/{story.meeting}/attendance",
        {"present": [tom, amira], "apologies": [amira]},
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    # Whoever it is, is named, and the summary's link lands on their box, which names the message.
    assert "Amira cannot be both present and sending apologies" in body
    boxes = re.findall(rf'<input type="checkbox" name="(?:present|apologies)" value="{amira}"[^>]*>', body)
    assert len(boxes) == 2
    assert all('aria-invalid="true"' in box and "attendance-apologies-error" in box for box in boxes)
    assert 'id="attendance-apologies"' in boxes[1]
    assert body.count('id="attendance-apologies"') == 1
    tom_boxes = re.findall(rf'<input type="checkbox" name="(?:present|apologies)" value="{tom}"[^>]*>', body)
    assert not any("aria-invalid" in box for box in tom_boxes)


def test_a_post_without_the_form_token_is_refused(client, story):
    before = story.notifications()
    response = client.post(f"/meetings/{story.meeting}/decisions", data=good_decision(story))
    assert response.status_code == 400
    assert story.notifications() == before


def test_an_unknown_meeting_is_a_plain_not_found(client, story):
    response = client.get(f"/meetings/{story.policy}")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_a_group_of_choices_with_a_mistake_marks_each_choice_invalid(client, story):
    data = good_decision(story, method="")
    body = post(client, f"/meetings/{story.meeting}/decisions", data).get_data(as_text=True)
    methods = re.findall(r'<input type="radio" id="decision-method[^"]*" name="method"[^>]*>', body)
    assert methods and all('aria-invalid="true"' in choice for choice in methods)
    stages = re.findall(r'<input type="radio" id="decision-stage[^"]*" name="stage"[^>]*>', body)
    assert stages and not any("aria-invalid" in choice for choice in stages)
