"""A policy's public transparency page: opened by its partnership's chair, read by anyone without
signing in, naming no one and quoting no contributor, and gone again once withdrawn."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest

from cotrace.accounts import open_account
from cotrace.demo import DEMO_FOLDER, HISTORIES, load_demo
from cotrace.importer import load_history
from tests.conftest import signed_in
from tests.transparency_story import (
    ADAPTED,
    CANARY_WORD,
    DISSENT,
    NAMES,
    NOT_ADOPTED,
    published_with_input,
)
from tests.web.test_meeting_page import HTMX, post


def holding(flask_app, story, role: str):
    """A browser signed in as a new account holding `role` in Riverside."""
    services = flask_app.extensions["cotrace"]
    account = open_account(services, None, f"Riverside {role}", f"{role}@example.org")
    services.run(lambda app, actor: app.grant_role(actor, story.partnership, account, role), account)
    return signed_in(flask_app, "account", account)


def public_page(story) -> str:
    return f"/public/policies/{story.policy}"


def test_an_unpublished_policy_has_no_public_page_for_anyone(public_client, client, story):
    published_with_input(story, publish=False)
    assert public_client.get(public_page(story)).status_code == 404
    assert client.get(public_page(story)).status_code == 404  # an admin too: it is not published


def test_a_published_page_is_open_to_anyone_and_names_no_one(public_client, story):
    published_with_input(story)
    response = public_client.get(public_page(story))
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))

    assert "<h1>EHE policy</h1>" in page and "Riverside EHE Policy Partnership" in page
    assert "Rewrite the register letter with families" in page
    assert "Home educator, Local authority" in page  # the decision makers' groups
    assert "Vote: 3 for, 1 against, 0 abstained" in page
    assert ADAPTED in page and NOT_ADOPTED in page  # the partnership's responses
    assert re.search(r"<th scope=\"row\">Adapted</th><td>1</td>", page)
    assert re.search(r"<th scope=\"row\">Awaiting a response</th><td>1</td>", page)
    assert "Evidenced level:" in page and "The seven criteria" in page
    # Nobody's name or pseudonym, and none of the contributors' words, not even in a proof.
    for name in NAMES:
        assert not re.search(rf"\b{re.escape(name)}\b", page), name
    assert CANARY_WORD not in page and DISSENT not in page


def test_the_public_page_links_only_to_public_pages(public_client, story):
    published_with_input(story)
    page = public_client.get(public_page(story)).get_data(as_text=True)
    for href in re.findall(r'href="([^"]+)"', page):
        link = urlsplit(html.unescape(href))
        public = link.path in ("", "/", public_page(story), "/sign-in", "/glossary")
        assert public or link.path.startswith("/static/"), href
        if link.path != "/static/cotrace.css":
            assert public_client.get(link.path or public_page(story)).status_code == 200, href
    # Every proof that links at all lands on a fact shown on this very page.
    for anchor in re.findall(r'href="#(fact-\d+)"', page):
        assert f'id="{anchor}"' in page, anchor
    assert re.findall(r'href="#fact-\d+"', page)


def test_the_home_page_lists_published_policies_only_to_the_public(public_client, story):
    published_with_input(story)
    story.app.start_policy(
        story.actor, story.partnership, "Unpublished SEND strategy", "authority", story.today
    )
    response = public_client.get("/")
    assert response.status_code == 200  # not sent to sign in
    page = response.get_data(as_text=True)
    assert f'href="/public/policies/{story.policy}"' in page and "EHE policy" in page
    assert "Unpublished SEND strategy" not in page
    assert f"/partnerships/{story.partnership}" not in page  # the partnerships' list is for the signed-in
    assert 'href="/sign-in"' in page


def test_a_signed_in_reader_keeps_the_partnerships_and_sees_the_published_below(flask_app, story):
    published_with_input(story)
    page = holding(flask_app, story, "member").get("/").get_data(as_text=True)
    assert f'href="/partnerships/{story.partnership}"' in page
    assert f'href="/public/policies/{story.policy}"' in page


def test_other_pages_still_send_the_public_to_sign_in(public_client, story):
    published_with_input(story)
    response = public_client.get(f"/policies/{story.policy}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", ["member", "auditor"])
def test_only_a_chair_may_publish_and_others_are_not_offered_the_button(flask_app, story, role):
    reader = holding(flask_app, story, role)
    policy_page = reader.get(f"/policies/{story.policy}").get_data(as_text=True)
    assert "Publish the transparency page" not in policy_page
    response = post(reader, f"/policies/{story.policy}/transparency-page", {})
    assert response.status_code == 403
    assert flask_app.test_client().get(public_page(story)).status_code == 404


def test_the_public_cannot_publish_or_withdraw(public_client, story):
    assert post(public_client, f"/policies/{story.policy}/transparency-page", {}).status_code == 401
    story.app.publish_transparency_page(story.actor, story.policy)
    withdrawal = f"/policies/{story.policy}/transparency-page/withdrawal"
    assert post(public_client, withdrawal, {"reason": ""}).status_code == 401
    assert public_client.get(public_page(story)).status_code == 200


def test_a_chair_publishes_then_withdraws_without_javascript(flask_app, public_client, story):
    chair = holding(flask_app, story, "chair")
    assert "Publish the transparency page" in chair.get(f"/policies/{story.policy}").get_data(as_text=True)

    published = post(chair, f"/policies/{story.policy}/transparency-page", {"submission": "a" * 32})
    assert published.status_code == 303
    assert published.headers["Location"].endswith(f"/policies/{story.policy}#transparency-page")
    page = chair.get(published.headers["Location"]).get_data(as_text=True)
    assert "The transparency page is published" in page and "Withdraw the transparency page" in page
    assert f'href="/public/policies/{story.policy}"' in page
    assert public_client.get(public_page(story)).status_code == 200

    withdrawal = f"/policies/{story.policy}/transparency-page/withdrawal"
    withdrawn = post(chair, withdrawal, {"reason": "Checking the wording", "submission": "b" * 32})
    assert withdrawn.status_code == 303
    assert public_client.get(public_page(story)).status_code == 404
    trail = chair.get(f"/policies/{story.policy}").get_data(as_text=True)
    assert "Transparency page withdrawn" in trail and "Reason: Checking the wording" in trail
    assert "by Riverside chair" in trail


def test_with_htmx_only_the_section_is_swapped_with_what_was_done(flask_app, story):
    chair = holding(flask_app, story, "chair")
    response = post(chair, f"/policies/{story.policy}/transparency-page", {}, HTMX)
    assert response.status_code == 200
    part = response.get_data(as_text=True)
    assert part.lstrip().startswith('<section id="transparency-page"')
    assert "The transparency page is published" in part and 'role="status"' in part


def test_a_form_sent_twice_publishes_once(flask_app, story):
    chair = holding(flask_app, story, "chair")
    before = story.notifications()
    for _ in range(2):
        post(chair, f"/policies/{story.policy}/transparency-page", {"submission": "c" * 32})
    story.app.withdraw_transparency_page(story.actor, story.policy)
    # The second sending is the first one's answer; a new form would find the page withdrawn.
    assert story.notifications() == before + 2


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full page", "htmx"])
def test_a_withdrawal_reason_too_long_is_told_next_to_it_and_nothing_is_written(flask_app, story, headers):
    story.app.publish_transparency_page(story.actor, story.policy)
    chair = holding(flask_app, story, "chair")
    before = story.notifications()
    withdrawal = f"/policies/{story.policy}/transparency-page/withdrawal"
    response = post(chair, withdrawal, {"reason": "x" * 2001}, headers)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="transparency-reason-error"' in body
    assert "The reason must be 2,000 characters or fewer" in body and 'href="#transparency-reason"' in body
    if not headers:
        assert "<title>Error: EHE policy" in body
    assert story.notifications() == before
    assert flask_app.test_client().get(public_page(story)).status_code == 200


def test_the_demo_publishes_its_policies_and_their_pages_name_no_one(flask_app, admin_id, public_client):
    """`make run` shows real content on the home page to a visitor who has not signed in."""
    services = flask_app.extensions["cotrace"]
    services.run(lambda app, actor: load_demo(app, actor, app.today()), admin_id)
    histories = [load_history((DEMO_FOLDER / name).read_text()) for name in HISTORIES]
    records = [record for history in histories for record in history.records]
    home = public_client.get("/").get_data(as_text=True)
    pages = re.findall(r'href="(/public/policies/[^"]+)"', home)
    titles = [r["title"] for r in records if r["type"] == "policy"]
    assert len(pages) == len(titles) == 3 and all(title in home for title in titles)
    names = [r["name"] for r in records if r["type"] == "participant"]
    said = [" ".join(r["text"].split()) for r in records if r["type"] == "contribution"]
    for path in pages:
        page = " ".join(html.unescape(public_client.get(path).get_data(as_text=True)).split())
        for words in names + [name.split()[0] for name in names] + said:
            assert not re.search(rf"\b{re.escape(words)}\b", page), (path, words)
