"""The chair corrects what was recorded wrong: a contribution's words, its response, an action marked
done. Each form records a correction with a reason, shown beside the original, or explains what is
wrong next to the field and writes nothing; only those who record for the partnership may."""

from __future__ import annotations

import html
from datetime import timedelta

from cotrace.accounts import open_account
from projections import evidence, transparency_pages
from projections.access import participants_with_address
from tests.conftest import TODAY, signed_in
from tests.web.test_meeting_page import post
from tests.web.test_my_input import link_for


def said(story):
    return story.app.submit_contribution(
        story.actor,
        story.policy,
        story.people["amira"],
        "suggestion",
        "Ask families before any visit",
        "survey",
        happened_on=TODAY - timedelta(days=3),
    )


def page_of(client, url: str) -> str:
    return html.unescape(client.get(url).get_data(as_text=True))


def test_a_contributions_words_are_corrected_and_shown_beside_the_original(client, flask_app, story):
    contribution_id = said(story)
    page = page_of(client, f"/contributions/{contribution_id}")
    assert f'href="/contributions/{contribution_id}/correction"' in page
    form = page_of(client, f"/contributions/{contribution_id}/correction")
    assert "Ask families before any visit" in form  # the words to correct, ready to edit

    before = story.notifications()
    refused = post(
        client,
        f"/contributions/{contribution_id}/correction",
        {"text": "Ask families before any visit", "reason": "", "happened_on": "15 June"},
    )
    assert refused.status_code == 422
    body = html.unescape(refused.get_data(as_text=True))
    assert 'id="form-reason-error"' in body and "Give the reason for the correction" in body
    assert "The corrected words are the same as the recorded ones" in body
    assert "The date of the correction must be a real date" in body
    assert story.notifications() == before  # nothing written

    done = post(
        client,
        f"/contributions/{contribution_id}/correction",
        {"text": "Ask families before any home visit", "reason": "Misheard", "happened_on": "2026-06-15"},
    )
    assert done.status_code == 303
    assert done.headers["Location"].endswith(f"/contributions/{contribution_id}#corrections")
    page = page_of(client, f"/contributions/{contribution_id}")
    assert "Ask families before any home visit" in page
    assert "Corrected</strong> on 15 June 2026 by Ada Admin: Misheard" in page
    assert "It read: “Ask families before any visit”" in page
    trail = page_of(client, f"/policies/{story.policy}?kind=contributions")
    assert "Correction:" in trail and "Reason: Misheard" in trail
    mine = page_of(flask_app.test_client(), link_for(flask_app, story, "amira"))  # her own page
    assert "Ask families before any home visit" in mine and "It read: “Ask families before any visit”" in mine


def test_a_response_is_corrected_and_the_evidence_judges_the_corrected_one(client, flask_app, story):
    contribution_id = said(story)
    url = f"/contributions/{contribution_id}/response/correction"
    assert client.get(url).status_code == 404  # no response yet: nothing to correct
    story.app.respond_to_contribution(
        story.actor, contribution_id, "adopted", "", story.people["daniel"], TODAY - timedelta(days=1)
    )
    before = story.notifications()
    refused = post(client, url, {"response": "not_adopted", "response_reason": "", "reason": "Slip"})
    assert refused.status_code == 422
    assert "Say why it was not adopted" in refused.get_data(as_text=True)
    assert story.notifications() == before

    done = post(
        client,
        url,
        {
            "response": "adapted",
            "response_reason": "Visits by appointment",
            "reason": "Recorded as adopted by mistake",
            "happened_on": "2026-06-15",
        },
    )
    assert done.status_code == 303
    page = page_of(client, f"/contributions/{contribution_id}")
    assert "Adapted</strong>: Visits by appointment" in page
    assert "Recorded as adopted by mistake" in page and "It read: Adopted" in page
    assert "on 14 June 2026" in page  # the day it was given stays

    with flask_app.extensions["cotrace"].engine.connect() as conn:
        kept = conn.execute(
            evidence.contributions.select().where(evidence.contributions.c.id == contribution_id)
        ).one()
        public = transparency_pages.public_responses_page(conn, story.policy, 1000).rows
    assert (kept.response, kept.responded_on) == ("adapted", TODAY - timedelta(days=1))
    assert [(r["response"], r["reason"]) for r in public] == [("adapted", "Visits by appointment")]


def test_an_action_marked_done_by_mistake_is_reopened_from_the_meeting_page(client, story):
    action_id = story.app.agree_action(
        story.actor, story.meeting, "Draft the survey", story.people["tom"], TODAY + timedelta(days=7)
    )
    story.app.complete_action(story.actor, story.meeting, action_id, TODAY)
    url = f"/meetings/{story.meeting}/actions/{action_id}/reopening"
    assert f'href="{url}"' in page_of(client, f"/meetings/{story.meeting}")

    before = story.notifications()
    refused = post(client, url, {"reason": " ", "happened_on": "2026-06-15"})
    assert refused.status_code == 422
    assert "Give the reason it is reopened" in refused.get_data(as_text=True)
    assert story.notifications() == before

    done = post(client, url, {"reason": "The letters have not gone yet", "happened_on": "2026-06-15"})
    assert done.status_code == 303
    page = page_of(client, f"/meetings/{story.meeting}")
    assert "Reopened</strong> on 15 June 2026 by Ada Admin: The letters have not gone yet" in page
    assert "It had been marked done on 15 June 2026" in page
    assert 'Mark as done<span class="visually-hidden">: Draft the survey' in page
    assert post(client, url, {"reason": "Again", "happened_on": "2026-06-15"}).status_code == 422


def test_a_member_may_not_correct_and_is_not_offered_to(flask_app, services, story):
    contribution_id = said(story)
    account = open_account(services, None, "Mo Member", "mo@example.org")
    services.run(lambda app, actor: app.grant_role(actor, story.partnership, account, "member"), account)
    member = signed_in(flask_app, "account", account)
    assert "/correction" not in page_of(member, f"/contributions/{contribution_id}")
    before = story.notifications()
    refused = post(
        member,
        f"/contributions/{contribution_id}/correction",
        {"text": "Other words", "reason": "Because", "happened_on": "2026-06-15"},
    )
    assert refused.status_code == 403
    assert story.notifications() == before


def test_a_meetings_place_is_corrected_and_shown_beside_the_original(client, story):
    url = f"/meetings/{story.meeting}/correction"
    assert f'href="{url}"' in page_of(client, f"/meetings/{story.meeting}")
    before = story.notifications()
    refused = post(
        client,
        url,
        {"held_on": "2026-06-16", "place": "Library", "reason": "Wrong day", "happened_on": "2026-06-15"},
    )
    assert refused.status_code == 422
    body = html.unescape(refused.get_data(as_text=True))
    assert 'id="form-held_on-error"' in body and "it has taken place" in body
    assert story.notifications() == before

    done = post(
        client,
        url,
        {
            "held_on": "2026-06-15",
            "place": "Library, Room 2",
            "reason": "The room was booked",
            "happened_on": "2026-06-15",
        },
    )
    assert done.status_code == 303
    page = page_of(client, f"/meetings/{story.meeting}")
    assert "15 June 2026, Library, Room 2." in page
    assert "by Ada Admin: The room was booked" in page and "It read: 15 June 2026, Library" in page


def test_a_meetings_date_is_corrected_and_its_decisions_and_contributions_move_with_it(
    client, flask_app, story
):
    url = f"/meetings/{story.meeting}/correction"
    assert "move to this date with it" in page_of(client, url)
    there = story.app.submit_contribution(
        story.actor,
        story.policy,
        story.people["amira"],
        "view",
        "Ask us first",
        "meeting",
        meeting_id=story.meeting,
    )
    earlier = said(story)  # 12 June
    decision_id = story.decide(cites=[there, earlier])
    before = story.notifications()
    refused = post(
        client,
        url,
        {"held_on": "2026-06-11", "place": "Library", "reason": "Wrong day", "happened_on": "2026-06-15"},
    )
    assert refused.status_code == 422
    body = html.unescape(refused.get_data(as_text=True))
    assert 'id="form-held_on-error"' in body
    assert "cites a contribution made on 12 June 2026, after 11 June 2026" in body
    assert story.notifications() == before  # nothing written

    done = post(
        client,
        url,
        {
            "held_on": "2026-06-13",
            "place": "Library",
            "reason": "Held on the Saturday",
            "happened_on": "2026-06-15",
        },
    )
    assert done.status_code == 303
    assert story.notifications() == before + 3
    meeting = page_of(client, f"/meetings/{story.meeting}")
    assert "Date corrected on 15 June 2026: Held on the Saturday (it was dated 15 June 2026)" in meeting
    contribution = page_of(client, f"/contributions/{there}")
    assert "13 June 2026" in contribution and "It was dated 15 June 2026, with its meeting" in contribution
    mine = page_of(flask_app.test_client(), link_for(flask_app, story, "amira"))  # her own page
    assert "13 June 2026" in mine and "It was dated 15 June 2026, with its meeting" in mine
    provenance = page_of(client, f"/decisions/{decision_id}")
    assert "Decision of 13 June 2026" in provenance and "recorded as taken on 15 June 2026" in provenance
    assert "This decision stands." in provenance
    trail = page_of(client, f"/policies/{story.policy}?kind=decisions")
    assert "was recorded as taken on 15 June 2026; it was taken on 13 June 2026" in trail
    with client.application.extensions["cotrace"].engine.connect() as conn:
        facts = evidence.policy_facts(conn, story.policy)
    assert {d.happened_on for d in facts.decisions} == {TODAY - timedelta(days=2)}
    assert {c.id: c.happened_on for c in facts.contributions}[there] == TODAY - timedelta(days=2)
    [exported] = client.get(f"/policies/{story.policy}/decisions.json").get_json()
    assert (exported["happened_on"], exported["first_recorded_on"]) == ("2026-06-13", "2026-06-15")
    prov = client.get(f"/decisions/{decision_id}/provenance.json").get_json()
    [redating] = [
        e for e in prov["entity"].values() if e.get("prov:type", {}).get("$") == "cotrace:DecisionRedating"
    ]
    assert redating["cotrace:previous_happened_on"]["$"] == "2026-06-15"
    assert redating["cotrace:reason"] == "Held on the Saturday"


def test_an_agenda_item_is_corrected_and_the_policys_trail_shows_it(client, story):
    story.app.add_agenda_item(story.actor, story.meeting, "Welcome", None)
    story.app.add_agenda_item(story.actor, story.meeting, "Terms of referance", story.policy)
    url = f"/meetings/{story.meeting}/agenda/2/correction"
    assert f'href="{url}"' in page_of(client, f"/meetings/{story.meeting}")
    assert client.get(f"/meetings/{story.meeting}/agenda/3/correction").status_code == 404
    before = story.notifications()
    refused = post(client, url, {"title": "", "reason": "Spelling", "happened_on": "2026-06-15"})
    assert refused.status_code == 422 and 'id="form-title-error"' in refused.get_data(as_text=True)
    assert story.notifications() == before

    done = post(
        client, url, {"title": "Terms of reference", "reason": "Spelling", "happened_on": "2026-06-15"}
    )
    assert done.status_code == 303
    agenda = page_of(client, f"/meetings/{story.meeting}").split('id="agenda"', 1)[1].split("</ol>", 1)[0]
    assert "Terms of reference" in agenda and "It read: “Terms of referance”" in agenda
    assert agenda.count("Corrected</strong>") == 1  # beside the second item alone
    trail = page_of(client, f"/policies/{story.policy}?kind=agenda")
    assert "It read “Terms of referance”; it now reads “Terms of reference”" in trail


def test_a_members_name_is_corrected_from_the_partnership_page(client, story):
    amira = story.people["amira"]
    url = f"/partnerships/{story.partnership}/members/{amira}/correction"
    assert f'href="{url}"' in page_of(client, f"/partnerships/{story.partnership}")
    before = story.notifications()
    refused = post(client, url, {"name": "Amira Hassan", "reason": "", "happened_on": "2026-06-15"})
    assert refused.status_code == 422 and 'id="form-reason-error"' in refused.get_data(as_text=True)
    assert story.notifications() == before

    done = post(
        client, url, {"name": "Amira Hassan", "reason": "Surname left out", "happened_on": "2026-06-15"}
    )
    assert done.status_code == 303
    page = page_of(client, f"/partnerships/{story.partnership}")
    assert "Amira Hassan" in page and "Surname left out" in page and "It read: Amira" in page
    assert "Amira Hassan" in page_of(client, f"/meetings/{story.meeting}")  # every page reads the new name


def test_a_members_email_address_is_corrected_by_the_chair_and_never_put_in_an_address(
    client, flask_app, services, story
):
    amira = story.people["amira"]
    url = f"/partnerships/{story.partnership}/members/{amira}/email/correction"
    assert client.get(url).status_code == 404  # no address recorded: nothing to correct
    assert f'href="{url}"' not in page_of(client, f"/partnerships/{story.partnership}")
    story.app.set_contact_preferences(story.actor, amira, "amira@exmaple.org", True)
    assert f'href="{url}"' in page_of(client, f"/partnerships/{story.partnership}")
    assert 'value="amira@exmaple.org"' in page_of(client, url)
    before = story.notifications()
    for data, field, message in [
        ({"email": "amira@", "reason": "Typo"}, "email", "Enter an email address in the right format"),
        ({"email": "amira@exmaple.org", "reason": "Typo"}, "email", "the same as the recorded one"),
        ({"email": "amira@example.org", "reason": ""}, "reason", "Give the reason for the correction"),
    ]:
        refused = post(client, url, {**data, "happened_on": "2026-06-15"})
        body = html.unescape(refused.get_data(as_text=True))
        assert refused.status_code == 422 and f'id="form-{field}-error"' in body and message in body
    assert story.notifications() == before

    done = post(
        client, url, {"email": "amira@example.org", "reason": "Mistyped", "happened_on": "2026-06-15"}
    )
    assert done.status_code == 303 and "example.org" not in done.headers["Location"]
    assert services.app.repository.get(amira).email == "amira@example.org"
    assert services.app.repository.get(amira).email_consent is True  # as she chose
    with services.engine.connect() as conn:  # the corrected address signs her in, the wrong one no one
        assert participants_with_address(conn, "amira@example.org") == [amira]
        assert participants_with_address(conn, "amira@exmaple.org") == []
    page = page_of(client, f"/partnerships/{story.partnership}")
    assert "Mistyped" in page and "The email address read: amira@exmaple.org" in page

    account = open_account(services, story.actor, "Mo Member", "mo@example.org")
    services.run(lambda app, actor: app.grant_role(actor, story.partnership, account, "member"), account)
    member_page = page_of(signed_in(flask_app, "account", account), f"/partnerships/{story.partnership}")
    assert "exmaple" not in member_page and "Mistyped" not in member_page  # the chair's to see


def test_a_members_group_is_corrected_from_the_partnership_page_and_shown_beside_it(client, story):
    sophie = story.people["sophie"]
    url = f"/partnerships/{story.partnership}/members/{sophie}/group/correction"
    assert f'href="{url}"' in page_of(client, f"/partnerships/{story.partnership}")
    before = story.notifications()
    for data, field in [
        ({"stakeholder_group": "he_organisation", "reason": "Typo"}, "stakeholder_group"),
        ({"stakeholder_group": "astronaut", "reason": "Typo"}, "stakeholder_group"),
        ({"stakeholder_group": "home_educator", "reason": ""}, "reason"),
    ]:
        refused = post(client, url, {**data, "happened_on": "2026-06-15"})
        assert refused.status_code == 422 and f'id="form-{field}-error"' in refused.get_data(as_text=True)
    assert story.notifications() == before

    done = post(
        client,
        url,
        {
            "stakeholder_group": "home_educator",
            "reason": "Entered as the HE organisation",
            "happened_on": "2026-06-15",
        },
    )
    assert done.status_code == 303
    page = page_of(client, f"/partnerships/{story.partnership}")
    row = next(r for r in page.split("<tr>") if "Sophie" in r)
    assert "Home educator" in row and "Entered as the HE organisation" in row
    assert "It read: Home education organisation" in row
