"""A chair logs a whole meeting on one page: agenda, access adjustments, contributions made in the
room, decisions that cite them, actions and the minutes; each form with and without htmx."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.conftest import TODAY
from tests.story import Riverside
from tests.web.test_meeting_page import MODES, good_decision, post


def said_in_the_room(riverside: Riverside, text: str = "Ask families before writing anything") -> str:
    story = riverside
    return str(
        story.app.submit_contribution(
            story.actor,
            story.policy,
            story.people["amira"],
            "suggestion",
            text,
            "meeting",
            meeting_id=story.meeting,
            pseudonym="River mum",
        )
    )


def forms(riverside: Riverside) -> dict[str, dict]:
    """Each form: where it posts, a good entry and what the page then shows, a bad entry and its message."""
    story = riverside
    people = {name: str(person) for name, person in story.people.items()}
    # The version approved is the one the page shows: minutes are written first.
    minutes = story.app.write_minutes(story.actor, story.meeting, "Agreed to ask families")
    return {
        "agenda": dict(
            url="agenda",
            good={"title": "Principles of the policy", "policy_id": str(story.policy)},
            shows=["Agenda item added.", "Principles of the policy"],
            bad={"title": " "},
            field="title",
            message="Enter the agenda item",
        ),
        "adjustment": dict(
            url="adjustments",
            good={"kind": "time", "description": "Held after school hours"},
            shows=["Access adjustment recorded.", "Held after school hours"],
            bad={"kind": "weather", "description": "Sunny"},
            field="kind",
            message="Choose time, place, format or support",
        ),
        "contribution": dict(
            url="contributions",
            good={
                "contributor_id": people["amira"],
                "policy_id": str(story.policy),
                "kind": "concern",
                "text": "Visits at home feel like inspections",
                "pseudonym": "River mum",
            },
            shows=[
                "Contribution recorded.",
                "Visits at home feel like inspections",
                "Concern from River mum",
            ],
            bad={
                "contributor_id": people["grace"],  # sent apologies
                "policy_id": str(story.policy),
                "kind": "concern",
                "text": "Visits feel like inspections",
            },
            field="contributor_id",
            message="Choose the contributor from the people recorded as present",
        ),
        "action": dict(
            url="actions",
            good={
                "description": "Write to every family",
                "owner_id": people["daniel"],
                "due_on": (TODAY + timedelta(days=14)).isoformat(),
            },
            shows=["Action agreed.", "Write to every family", "29 June 2026", "Mark as done"],
            bad={
                "description": "Write to every family",
                "owner_id": people["daniel"],
                "due_on": "2026-06-31",
            },
            field="due_on",
            message="The date the action is due must be a real date",
        ),
        "minutes": dict(
            url="minutes",
            good={
                "approved_by": [people["amira"], people["daniel"]],
                "approved_on": TODAY.isoformat(),
                "content_hash": minutes,
            },
            shows=["Minutes approved.", "Approved on 15 June 2026 by Amira, Daniel."],
            bad={"approved_by": [], "approved_on": TODAY.isoformat(), "content_hash": minutes},
            field="approved_by",
            message="Choose who approved the minutes from the partnership",
        ),
    }


@MODES
@pytest.mark.parametrize("name", ["agenda", "adjustment", "contribution", "action", "minutes"])
def test_each_part_of_the_record_is_saved_and_shown(client, story, headers, name):
    form = forms(story)[name]
    response = post(client, f"/meetings/{story.meeting}/{form['url']}", form["good"], headers)
    if headers:
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert body.lstrip().startswith('<div id="meeting-record">')
    else:
        assert response.status_code == 303
        assert response.headers["Location"].startswith(f"/meetings/{story.meeting}#")
        body = client.get(response.headers["Location"]).get_data(as_text=True)
        section = response.headers["Location"].split("#")[1]
        assert f'id="{section}"' in body  # the page opens at the section just saved
    for shown in form["shows"]:
        assert shown in body, shown


@MODES
@pytest.mark.parametrize("name", ["agenda", "adjustment", "contribution", "action", "minutes"])
def test_a_bad_entry_is_explained_next_to_its_field_and_nothing_is_written(client, story, headers, name):
    form = forms(story)[name]
    before = story.notifications()
    response = post(client, f"/meetings/{story.meeting}/{form['url']}", form["bad"], headers)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    prefix = name
    assert f'href="#{prefix}-{form["field"]}"' in body
    assert re.search(rf'id="{prefix}-{form["field"]}-error">.*{re.escape(form["message"])}', body)
    assert story.notifications() == before
    assert ("<html" in body) == (headers == {})
    assert ("<title>Error: " in body) == (headers == {})  # a screen reader hears it first


@MODES
def test_a_decision_cites_a_contribution_and_names_who_was_consulted_and_informed(client, story, headers):
    contribution = said_in_the_room(story)
    data = good_decision(
        story,
        cites=[contribution],
        consulted=[str(story.people["sophie"])],
        informed=[str(story.people["grace"])],
        dissent="Sophie wanted a survey first",
    )
    response = post(client, f"/meetings/{story.meeting}/decisions", data, headers)
    assert response.status_code == (200 if headers else 303)
    body = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    decision = body[body.index('class="decision"') :]
    assert "Responds to:" in decision and f"/contributions/{contribution}" in decision
    assert "“Ask families before writing anything” (River mum)" in decision
    assert "Consulted: Sophie." in decision and "Informed: Grace." in decision
    assert "Dissent noted: Sophie wanted a survey first" in decision

    page = client.get(f"/contributions/{contribution}").get_data(as_text=True)
    assert "Write the principles with home educators first" in page


@MODES
def test_a_decision_citing_another_policys_contribution_is_refused(client, story, headers):
    other = story.app.start_policy(story.actor, story.partnership, "SEND strategy", "authority", TODAY)
    elsewhere = story.app.submit_contribution(
        story.actor, other, story.people["amira"], "view", "Too slow", "meeting", meeting_id=story.meeting
    )
    before = story.notifications()
    data = good_decision(story, cites=[str(elsewhere)])
    response = post(client, f"/meetings/{story.meeting}/decisions", data, headers)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'href="#decision-cites"' in body
    assert re.search(r'id="decision-cites-error">.*Choose contributions made on this policy', body)
    assert story.notifications() == before


@MODES
def test_an_open_action_is_marked_as_done(client, story, headers):
    action = story.app.agree_action(
        story.actor, story.meeting, "Book the hall", story.people["tom"], TODAY + timedelta(days=7)
    )
    response = post(client, f"/meetings/{story.meeting}/actions/{action}/done", {}, headers)
    assert response.status_code == (200 if headers else 303)
    body = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    assert "Action marked as done." in (response.get_data(as_text=True) if headers else body)
    assert "Done on 15 June 2026" in body
    assert "Mark as done" not in body

    before = story.notifications()
    again = post(client, f"/meetings/{story.meeting}/actions/{action}/done", {}, headers)
    assert again.status_code == 422
    assert re.search(
        r'href="#actions-list">This action was done on 15 June 2026', again.get_data(as_text=True)
    )
    assert 'id="actions-list"' in again.get_data(as_text=True)
    assert story.notifications() == before


def test_contributions_awaiting_a_response_are_listed_for_the_chair(client, story):
    contribution = said_in_the_room(story)
    page = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    awaiting = page[page.index('id="awaiting"') :]
    assert (
        f'href="/contributions/{contribution}">Respond to “Ask families before writing anything”' in awaiting
    )

    listing = client.get(f"/partnerships/{story.partnership}/contributions").get_data(as_text=True)
    assert "Awaiting a response (1)" in listing and "Ask families before writing anything" in listing


def test_a_corrected_and_a_reversed_decision_show_where_they_stand(client, story):
    corrected = story.decide(text="Meet monthly")
    story.app.correct_decision(story.actor, corrected, "Meet every month", "Typo in the minutes", TODAY)
    reversed_ = story.decide(text="Publish drafts on paper only")
    story.app.reverse_decision(story.actor, reversed_, "Families asked for drafts online", TODAY)
    page = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    assert 'Meet every month <strong class="tag">Corrected</strong>' in page
    assert "Corrected on 15 June 2026: Typo in the minutes (was: “Meet monthly”)" in page
    assert 'Publish drafts on paper only <strong class="tag">Reversed</strong>' in page
    assert "Reversed on 15 June 2026: Families asked for drafts online" in page


@MODES
def test_a_dissent_can_name_who_dissented_from_those_present(client, story, headers):
    data = good_decision(story, dissent="Wanted a survey first", dissent_by=str(story.people["sophie"]))
    response = post(client, f"/meetings/{story.meeting}/decisions", data, headers)
    assert response.status_code == (200 if headers else 303)
    body = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    assert "Dissent noted by Sophie: Wanted a survey first" in body

    absent = good_decision(story, text="Another", dissent="No", dissent_by=str(story.people["grace"]))
    refused = post(client, f"/meetings/{story.meeting}/decisions", absent, headers)
    assert refused.status_code == 422
    assert "those dissenting" in refused.get_data(as_text=True)


@MODES
def test_a_dissenter_chosen_without_a_note_is_asked_for_it_not_dropped(client, story, headers):
    before = story.notifications()
    data = good_decision(story, dissent="", dissent_by=str(story.people["sophie"]))
    refused = post(client, f"/meetings/{story.meeting}/decisions", data, headers)
    assert refused.status_code == 422
    assert "Enter what the dissent was" in refused.get_data(as_text=True)
    assert story.notifications() == before


@MODES
@pytest.mark.parametrize("name", ["agenda", "adjustment", "contribution", "decision", "action", "minutes"])
def test_a_form_sent_empty_is_explained_and_nothing_is_written(client, story, headers, name):
    """Found by submitting every form empty: a contribution with no policy chosen gave "Page not found"."""
    url = forms(story)[name]["url"] if name in forms(story) else "decisions"
    before = story.notifications()
    response = post(client, f"/meetings/{story.meeting}/{url}", {}, headers)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert re.search(rf'href="#{name}-[a-z_]+"', body), "the error summary links to a field"
    assert story.notifications() == before


@MODES
def test_a_form_sent_twice_says_why_the_second_saved_nothing(client, story, headers):
    """A double click: the form is gone once the minutes are approved, so the reason stands alone."""
    form = forms(story)["minutes"]
    assert post(client, f"/meetings/{story.meeting}/minutes", form["good"], headers).status_code in (200, 303)
    before = story.notifications()
    again = post(client, f"/meetings/{story.meeting}/minutes", form["good"], headers)
    assert again.status_code == 422
    body = again.get_data(as_text=True)
    assert re.search(r'role="alert"[^>]*>\s*<h2[^>]*>Nothing was saved</h2>\s*<ul><li>[^<]+</li>', body)
    assert story.notifications() == before


@MODES
def test_a_contribution_sent_empty_is_told_every_mistake_at_once(client, story, headers):
    """Found in a browser: with no policy chosen, only that was said; the rest came on the next try."""
    response = post(client, f"/meetings/{story.meeting}/contributions", {}, headers)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    for field in ("policy_id", "contributor_id", "kind", "text"):
        assert f'href="#contribution-{field}"' in body, field


@pytest.mark.parametrize("name", ["agenda", "adjustment", "contribution", "action", "minutes"])
def test_without_javascript_the_saved_message_is_where_the_page_opens(client, story, name):
    """Found in a browser: the page opened at the section, with its message far above, out of sight."""
    form = forms(story)[name]
    response = post(client, f"/meetings/{story.meeting}/{form['url']}", form["good"])
    section = response.headers["Location"].split("#")[1]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    message = form["shows"][0]
    opened_at = page.index(f'<h2 id="{section}"')
    assert page.count(f"<p>{message}</p>") == 1
    assert opened_at < page.index(f"<p>{message}</p>") < page.index("</section>", opened_at)


@MODES
def test_a_contribution_given_at_a_workshop_held_as_the_meeting_is_recorded_there(client, story, headers):
    form = forms(story)["contribution"]["good"] | {"channel": "workshop", "text": "Drop-ins in the library"}
    response = post(client, f"/meetings/{story.meeting}/contributions", form, headers)
    assert response.status_code in (200, 303), response.get_data(as_text=True)
    meeting = client.get(f"/meetings/{story.meeting}").get_data(as_text=True)
    assert "Drop-ins in the library" in meeting[meeting.index('id="contributions"') :]
    trail = client.get(f"/policies/{story.policy}").get_data(as_text=True)
    assert re.search(r"How it was given: workshop \([^)]+\)\.", trail)
