"""A participant without an email keeps a private link that the chair can show, revoke and reissue
(issue 12): the old page and feed answer "gone" at once, the new link works, the feed's link opens
only the feed, and nobody but the partnership's chairs can see or change a link."""

from __future__ import annotations

import re
from uuid import uuid4

import pytest
from itsdangerous import URLSafeSerializer

from cotrace import private_links
from cotrace.accounts import open_account
from tests.conftest import signed_in
from tests.web.test_meeting_page import HTMX, MODES, post
from web import commands, hide_private_links
from web.private_links import FEED, PAGE, current_token, unsubscribe_token

GONE = "This link no longer works"


@pytest.fixture
def services(flask_app):
    return flask_app.extensions["cotrace"]


def account_with_role(flask_app, story, name: str, role: str, partnership=None):
    services = flask_app.extensions["cotrace"]
    account = open_account(services, None, name, f"{name.split()[0].lower()}@example.org")
    where = partnership or story.partnership
    services.run(lambda app, actor: app.grant_role(actor, where, account, role), account)
    return signed_in(flask_app, "account", account)


@pytest.fixture
def chair(flask_app, story):
    return account_with_role(flask_app, story, "Chris Chair", "chair")


def link_page(story, name: str = "amira", partnership=None) -> str:
    return f"/partnerships/{partnership or story.partnership}/members/{story.people[name]}/private-link"


def shown_links(chair, story) -> tuple[str, str]:
    """The page's and the feed's paths, as the chair's page of Amira's link shows them."""
    response = chair.get(link_page(story))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page, feed = re.findall(r'href="http://localhost(/my-input/[^"]+)"', response.get_data(as_text=True))
    assert feed.endswith("/feed.atom") and feed.removesuffix("/feed.atom") != page  # a token of its own
    return page, feed


def test_a_link_names_its_participant_for_its_own_purpose_only(flask_app, services):
    someone, key = uuid4(), flask_app.secret_key
    page = private_links.link_token(key, PAGE, someone, 0)
    feed = private_links.link_token(key, FEED, someone, 0)
    with services.engine.connect() as conn:

        def named(purpose, token, secret=key):
            return private_links.participant_from_token(conn, secret, purpose, token)

        assert named(PAGE, page) == someone and named(FEED, feed) == someone
        assert named(FEED, page) is None and named(PAGE, feed) is None
        unsubscribing = private_links.unsubscribe_token(key, someone)
        assert named(PAGE, unsubscribing) is None and named(FEED, unsubscribing) is None
        assert named(PAGE, page[:-2] + "xx") is None
        assert named(PAGE, str(someone)) is None
        assert named(PAGE, page, secret="another installation") is None
        with pytest.raises(private_links.LinkReplaced):
            named(PAGE, private_links.link_token(key, PAGE, someone, 1))  # a number not yet reached


@MODES
def test_revoking_ends_the_page_and_the_feed_at_once_and_reissuing_gives_a_new_link(
    flask_app, story, chair, headers
):
    page, feed = shown_links(chair, story)
    public = flask_app.test_client()
    assert public.get(page).status_code == 200 and public.get(feed).status_code == 200

    revoked = post(chair, f"{link_page(story)}/revoke", {}, headers)
    if headers:
        body = revoked.get_data(as_text=True)
        assert revoked.status_code == 200 and body.lstrip().startswith('<section id="private-link"')
    else:
        assert revoked.status_code == 303 and revoked.headers["Location"].endswith(link_page(story))
        body = chair.get(revoked.headers["Location"]).get_data(as_text=True)
    assert "Amira’s private link has been revoked: it no longer works." in body
    assert "Amira has no private link" in body and "/my-input/" not in body
    for gone in (public.get(page), public.get(feed)):
        assert gone.status_code == 410
        text = gone.get_data(as_text=True)
        assert GONE in text and "Ask your chair for the new one" in text and "Amira" not in text
    before = story.notifications()
    assert post(public, f"{page}/contact", {"email": "eve@example.net"}).status_code == 410
    assert story.notifications() == before

    reissued = post(chair, f"{link_page(story)}/reissue", {}, headers)
    assert reissued.status_code == (200 if headers else 303)
    new_page, new_feed = shown_links(chair, story)
    assert {new_page, new_feed}.isdisjoint({page, feed})
    assert public.get(new_page).status_code == 200 and public.get(new_feed).status_code == 200
    assert public.get(page).status_code == 410 and public.get(feed).status_code == 410


def test_reissuing_a_working_link_ends_it_and_the_page_says_who_did_it(flask_app, story, chair):
    page, feed = shown_links(chair, story)
    shown = chair.get(link_page(story)).get_data(as_text=True)
    assert "None: this is the link Amira was first given." in shown
    assert "The old link will stop working at once" in shown

    assert post(chair, f"{link_page(story)}/reissue", {}).status_code == 303
    public = flask_app.test_client()
    assert public.get(page).status_code == 410 and public.get(feed).status_code == 410
    new_page, _ = shown_links(chair, story)
    assert public.get(new_page).status_code == 200
    changes = chair.get(link_page(story)).get_data(as_text=True)
    assert re.search(r"Reissued on \d{1,2} \w+ \d{4}, \d\d:\d\d UTC by Chris Chair\.", changes)
    # The log says who did it and holds the link's number, never the link.
    services = flask_app.extensions["cotrace"]
    stored = list(services.app.recorder.select_events(story.people["amira"]))
    assert stored[-1].topic.endswith("Participant.PrivateLinkReissued")
    for token in (page, feed.removesuffix("/feed.atom"), new_page):
        assert all(token.rsplit("/", 1)[-1].encode() not in event.state for event in stored)


def test_the_feeds_link_opens_only_the_feed_and_the_pages_link_is_no_feed(flask_app, story, chair):
    page, feed = shown_links(chair, story)
    feed_token = feed.removeprefix("/my-input/").removesuffix("/feed.atom")
    page_token = page.removeprefix("/my-input/")
    public = flask_app.test_client()
    before = story.notifications()
    assert public.get(f"/my-input/{feed_token}").status_code == 404
    assert post(public, f"/my-input/{feed_token}/contact", {"email": "eve@example.net"}).status_code == 404
    assert public.get(f"/my-input/{page_token}/feed.atom").status_code == 404
    assert story.notifications() == before
    # The participant finds their feed's address on their own page.
    assert f'href="http://localhost{feed}"' in public.get(page).get_data(as_text=True)


def test_a_link_given_before_links_could_be_replaced_works_until_the_chair_reissues(flask_app, story, chair):
    with flask_app.app_context():
        first = URLSafeSerializer(flask_app.secret_key, salt=private_links.FIRST_SALT).dumps(
            str(story.people["amira"])
        )
        unsubscribing = unsubscribe_token(story.people["amira"])
    public = flask_app.test_client()
    assert public.get(f"/my-input/{first}").status_code == 200
    assert public.get(f"/my-input/{first}/feed.atom").status_code == 200  # as it always did

    post(chair, f"{link_page(story)}/reissue", {})

    assert public.get(f"/my-input/{first}").status_code == 410
    assert public.get(f"/my-input/{first}/feed.atom").status_code == 410
    # Emails already sent go on unsubscribing, whatever became of the private link.
    post(chair, f"{link_page(story)}/revoke", {})
    story.app.set_contact_preferences(story.actor, story.people["amira"], "amira@example.org", True)
    assert public.post(f"/unsubscribe/{unsubscribing}").status_code == 200
    assert story.app.repository.get(story.people["amira"]).email_consent is False


def test_only_the_partnerships_chairs_may_show_revoke_or_reissue_a_link(flask_app, story, chair):
    elsewhere = story.app.form_partnership(story.actor, "Elmsford SEND Partnership")
    clients = {
        "member": account_with_role(flask_app, story, "Mo Member", "member"),
        "auditor": account_with_role(flask_app, story, "Al Auditor", "auditor"),
        "participant": signed_in(flask_app, "participant", story.people["amira"]),
        "other chair": account_with_role(flask_app, story, "Olu Other", "chair", elsewhere),
    }
    before = story.notifications()
    for who, client in clients.items():
        assert client.get(link_page(story)).status_code == 403, who
        for change in ("revoke", "reissue"):
            assert post(client, f"{link_page(story)}/{change}", {}).status_code == 403, (who, change)
        page = client.get(f"/partnerships/{story.partnership}").get_data(as_text=True)
        assert "private-link" not in page and "/my-input/" not in page, who
    public = flask_app.test_client()
    assert public.get(link_page(story)).status_code == 302  # to sign in
    assert post(public, f"{link_page(story)}/reissue", {}).status_code == 401
    # Through the other chair's own partnership, Riverside's members are not there to be found.
    other = clients["other chair"]
    assert other.get(link_page(story, partnership=elsewhere)).status_code == 404
    assert post(other, f"{link_page(story, partnership=elsewhere)}/reissue", {}).status_code == 404
    assert story.notifications() == before
    assert chair.get(link_page(story)).status_code == 200


def test_a_participant_signed_in_by_email_reaches_their_page_even_with_their_link_revoked(
    flask_app, story, chair
):
    amira = signed_in(flask_app, "participant", story.people["amira"])
    post(chair, f"{link_page(story)}/revoke", {})

    page = amira.get("/my-input")
    assert page.status_code == 200 and "My input" in page.get_data(as_text=True)
    body = page.get_data(as_text=True)
    assert 'action="/my-input/contact#contact"' in body and "feed.atom" not in body
    saved = post(amira, "/my-input/contact", {"email": "amira@example.org", "email_consent": "yes"}, HTMX)
    assert saved.status_code == 200 and "Your contact preferences are saved." in saved.get_data(as_text=True)
    assert story.app.repository.get(story.people["amira"]).email == "amira@example.org"
    # An account has no input of its own, and may not post a participant's choice.
    assert chair.get("/my-input").status_code == 303
    assert post(chair, "/my-input/contact", {"email": "x@example.org"}).status_code == 403


def test_the_request_log_hides_every_kind_of_private_token(flask_app, story):
    with flask_app.app_context(), commands.reading() as conn:
        tokens = [
            current_token(conn, PAGE, story.people["amira"]),
            current_token(conn, FEED, story.people["amira"]),
            unsubscribe_token(story.people["amira"]),
            URLSafeSerializer(flask_app.secret_key, salt=private_links.FIRST_SALT).dumps(str(uuid4())),
        ]
    for token in tokens:
        for path in (f"/my-input/{token}", f"/my-input/{token}/feed.atom", f"/unsubscribe/{token}"):
            logged = hide_private_links(f'"GET {path} HTTP/1.1" 200 -')
            assert token not in logged and "[private]" in logged, path


def test_a_private_links_page_prints_without_its_address(flask_app, story, chair):
    page, _ = shown_links(chair, story)
    body = flask_app.test_client().get(page).get_data(as_text=True)
    assert 'class="print-header"' in body  # what is printed, and when
    assert page.rsplit("/", 1)[-1] not in body.split('class="print-header"', 1)[1].split("</div>", 1)[0]
