"""My input: a home educator sees what they said, what was done, the decisions that cite it and
where the policy stands, and nobody else's name; and sets how to be told about responses."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.conftest import TODAY, signed_in
from tests.story import Riverside
from tests.web.test_contributions import an_earlier_contribution
from tests.web.test_meeting_page import MODES, post
from tests.web.test_meeting_record import said_in_the_room
from web import commands
from web.private_links import PAGE, current_token

OTHERS = ["Tom", "Daniel", "Sophie", "Grace", "Local operator"]


def link_for(flask_app, riverside: Riverside, name: str) -> str:
    story = riverside
    with flask_app.app_context(), commands.reading() as conn:
        return f"/my-input/{current_token(conn, PAGE, story.people[name])}"


def test_amira_sees_what_she_said_what_was_done_and_the_decision_citing_it(client, flask_app, story):
    said = said_in_the_room(story)
    story.decide(text="Ask families first, in writing", cites=[said], consulted=[story.people["sophie"]])
    story.app.respond_to_contribution(
        story.actor, said, "adopted", "Families get a letter first", story.people["daniel"], TODAY
    )
    an_earlier_contribution(story)  # Tom's: not on Amira's page
    story.app.publish_document_version(
        story.actor, story.policy, "EHE policy", "Draft 1", "b" * 64, "https://example.org/draft-1", TODAY
    )

    page = client.get(link_for(flask_app, story, "amira")).get_data(as_text=True)

    assert "Ask families before writing anything" in page
    assert "Shown as “River mum”." in page
    assert "<strong>Adopted</strong>: Families get a letter first" in page
    assert "Answered on 15 June 2026, the same day you said it." in page
    assert "Ask families first, in writing" in page
    assert "Decided on 15 June 2026 by Home educator, Local authority." in page
    assert "At Co-commission, cycle 1." in page
    assert '<a href="https://example.org/draft-1">EHE policy, Draft 1</a>' in page
    assert "The register letter reads like a threat" not in page
    for name in OTHERS:
        assert not re.search(rf"\b{name}\b", page), name


def test_a_contribution_without_a_response_says_how_long_it_has_waited(client, flask_app, story):
    story.app.submit_contribution(
        story.actor,
        story.policy,
        story.people["amira"],
        "view",
        "Flexi-schooling should be mentioned",
        "survey",
        happened_on=TODAY - timedelta(days=12),
    )
    page = client.get(link_for(flask_app, story, "amira")).get_data(as_text=True)
    assert "Awaiting a response for 12 days." in page
    assert "No decision cites it yet." in page


def test_an_unknown_or_forged_link_is_not_found(client, flask_app, story):
    assert client.get(f"/my-input/{story.people['amira']}").status_code == 404
    assert client.get(link_for(flask_app, story, "amira")[:-3] + "abc").status_code == 404


def test_the_chair_finds_each_members_private_link_from_the_partnership_page(client, flask_app, story):
    page = client.get(f"/partnerships/{story.partnership}").get_data(as_text=True)
    shown = f"/partnerships/{story.partnership}/members/{story.people['amira']}/private-link"
    assert f'href="{shown}">Show private link<span class="visually-hidden"> for Amira</span>' in page
    assert "/my-input/" not in page  # no member's link is on the page itself
    assert f'href="http://localhost{link_for(flask_app, story, "amira")}"' in client.get(shown).get_data(
        as_text=True
    )


@MODES
def test_contact_preferences_are_saved(client, flask_app, story, headers):
    link = link_for(flask_app, story, "amira")
    data = {"email": "amira@example.org", "email_consent": "yes"}
    response = post(client, f"{link}/contact", data, headers)
    if headers:
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert body.lstrip().startswith('<section id="contact"')
    else:
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"{link}#contact")
        body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your contact preferences are saved." in body
    assert 'value="amira@example.org"' in body
    assert re.search(r'name="email_consent" value="yes"\s+checked', body)


@MODES
def test_agreeing_to_email_without_an_address_is_explained_and_nothing_is_written(
    client, flask_app, story, headers
):
    before = story.notifications()
    response = post(
        client, f"{link_for(flask_app, story, 'amira')}/contact", {"email_consent": "yes"}, headers
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'href="#contact-email"' in body
    assert re.search(r'id="contact-email-error">.*Enter an email address to be told about responses', body)
    assert story.notifications() == before
    assert ("<html" in body) == (headers == {})


def test_the_policy_is_shown_adopted_and_then_retired(client, flask_app, story):
    said_in_the_room(story)
    link = link_for(flask_app, story, "amira")
    story.app.adopt_policy(story.actor, story.policy, TODAY)
    assert "Adopted on 15 June 2026; now at Co-commission, cycle 1." in client.get(link).get_data(
        as_text=True
    )
    story.app.retire_policy(story.actor, story.policy, "Replaced by the 2027 policy", TODAY)
    assert "Retired on 15 June 2026." in client.get(link).get_data(as_text=True)


@MODES
@pytest.mark.parametrize(
    "address",
    ["amira@example.org\nBcc: eve@example.net", "amira@example.org,eve@example.net"],
    ids=["line break", "comma"],
)
def test_an_address_that_would_add_a_header_or_a_recipient_is_refused_next_to_the_field(
    client, flask_app, story, headers, address
):
    before = story.notifications()
    link = link_for(flask_app, story, "amira")
    response = post(client, f"{link}/contact", {"email": address, "email_consent": "yes"}, headers)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'href="#contact-email"' in body
    assert re.search(
        r'id="contact-email-error">.*Enter an email address in the right format, like name@example.com', body
    )
    assert story.notifications() == before
    participant = story.app.repository.get(story.people["amira"])
    assert (participant.email, participant.email_consent, participant.version) == (None, False, 1)


def a_cited_contribution(story: Riverside) -> tuple:
    said = said_in_the_room(story)
    decision = story.decide(text="Ask families first, in writing", cites=[said])
    return said, decision


def test_the_page_links_its_own_feed_in_the_page_and_in_its_head(client, flask_app, story):
    a_cited_contribution(story)
    page = client.get(link_for(flask_app, story, "amira")).get_data(as_text=True)
    head = page.split("</head>")[0]
    feed = re.search(r'<link rel="alternate" type="application/atom\+xml" [^>]*href="([^"]+)"', head)
    assert feed is not None
    assert f'<a href="{feed[1]}" type="application/atom+xml">Follow this news in a feed reader</a>' in page
    answer = client.get(feed[1].removeprefix("http://localhost"))
    assert answer.status_code == 200 and answer.mimetype == "application/atom+xml"


def test_by_private_link_the_policy_is_linked_only_once_its_page_is_public(client, flask_app, story):
    a_cited_contribution(story)
    link = link_for(flask_app, story, "amira")
    page = client.get(link).get_data(as_text=True)
    assert f"/policies/{story.policy}" not in page  # its record is the partnership's readers'
    assert "/decisions/" not in page

    story.app.publish_transparency_page(story.actor, story.policy)
    page = client.get(link).get_data(as_text=True)
    public = f"/public/policies/{story.policy}"
    assert f'<a href="{public}">' in page
    assert f'<a href="{public}#decisions">on the public page' in page
    assert client.get(public).status_code == 200  # the link opens for whoever holds the private link
    assert "/decisions/" not in page


def test_signed_in_the_participant_gets_links_to_the_policy_and_the_decision_citing_it(flask_app, story):
    _, decision = a_cited_contribution(story)
    amira = signed_in(flask_app, "participant", story.people["amira"])
    page = amira.get("/my-input").get_data(as_text=True)
    assert f'<a href="/policies/{story.policy}">The policy: ' in page
    assert f'<a href="/decisions/{decision}">Ask families first, in writing</a>' in page
    assert amira.get(f"/policies/{story.policy}").status_code == 200
    assert amira.get(f"/decisions/{decision}").status_code == 200
