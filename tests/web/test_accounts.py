"""Signing in and out, second factors, password resets, one-time links for citizens, and who the
record says did what: through the real app, with emails read from the outbox folder they are
written to when no mail server is set."""

from __future__ import annotations

import email
import re
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import pyotp
import pytest

from cotrace import credentials
from cotrace.accounts import open_account
from tests.conftest import ADMIN, signed_in

PASSWORD = "correct horse battery staple"


def form_post(client, url: str, data: dict):
    with client.session_transaction() as cookie:
        cookie.setdefault("csrf", "token")
        token = cookie["csrf"]
    return client.post(url, data={**data, "csrf_token": token})


@pytest.fixture
def services(flask_app):
    return flask_app.extensions["cotrace"]


@pytest.fixture
def chair(services, story):
    """A chair of Riverside with a password."""
    account = open_account(services, None, "Chris Chair", "chris@example.org")
    services.run(lambda app, actor: app.grant_role(actor, story.partnership, account, "chair"), account)
    with services.engine.begin() as conn:
        credentials.set_password(conn, account, PASSWORD, datetime.now(UTC))
    return account


def emails_in(flask_app) -> list[email.message.Message]:
    folder = Path(flask_app.instance_path) / "outbox"
    return (
        [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]
        if folder.exists()
        else []
    )


def link_in(message) -> str:
    body = message.get_payload(decode=True).decode()
    return re.search(r"http://localhost(/\S+)", body).group(1)


def test_signing_in_with_a_password_opens_the_partnership_and_records_as_that_person(flask_app, chair, story):
    client = flask_app.test_client()
    assert client.get(f"/partnerships/{story.partnership}").status_code == 302  # to sign in
    answer = form_post(client, "/sign-in", {"email": "Chris@Example.org ", "password": PASSWORD})
    assert answer.status_code == 303
    page = client.get(f"/partnerships/{story.partnership}").get_data(as_text=True)
    assert "Riverside" in page and "Chris Chair" in page  # the header names who is signed in
    changed = form_post(
        client,
        f"/partnerships/{story.partnership}/thresholds",
        {
            "timely_response_days": "28",
            "key_decision_share": "75",
            "influence_share": "25",
            "dominance_share": "60",
            "citizen_share": "60",
            "reason": "Agreed",
            "happened_on": story.today.isoformat(),
        },
    )
    assert changed.status_code == 303
    page = client.get(f"/partnerships/{story.partnership}").get_data(as_text=True)
    assert re.search(r"recorded on [^,]+ by Chris Chair, because: Agreed", page)


def test_a_wrong_password_is_told_plainly_and_never_says_whether_the_address_exists(flask_app, chair):
    client = flask_app.test_client()
    wrong = form_post(client, "/sign-in", {"email": "chris@example.org", "password": "not the one"})
    unknown = form_post(client, "/sign-in", {"email": "nobody@example.org", "password": "not the one"})
    assert wrong.status_code == unknown.status_code == 422
    assert "did not match" in wrong.get_data(as_text=True)
    strip = lambda page: re.sub(r'value="[^"]*"', "", page)  # noqa: E731 - the typed address and form keys
    assert strip(wrong.get_data(as_text=True)).replace("chris@", "x@") == strip(
        unknown.get_data(as_text=True)
    ).replace("nobody@", "x@")
    assert 'value="not the one"' not in wrong.get_data(as_text=True)  # a password is never shown back


def test_signing_in_is_throttled_after_five_failures_for_an_account(flask_app, chair):
    client = flask_app.test_client()
    for _ in range(5):
        form_post(client, "/sign-in", {"email": "chris@example.org", "password": "guess"})
    blocked = form_post(client, "/sign-in", {"email": "chris@example.org", "password": PASSWORD})
    assert blocked.status_code == 422
    assert "too many attempts" in blocked.get_data(as_text=True)


def test_an_admin_must_set_up_a_second_factor_then_gives_a_code_each_time(flask_app, services):
    admin = open_account(services, None, *ADMIN, is_admin=True)
    with services.engine.begin() as conn:
        credentials.set_password(conn, admin, PASSWORD, datetime.now(UTC))
    client = flask_app.test_client()
    form_post(client, "/sign-in", {"email": ADMIN[1], "password": PASSWORD})
    refused = client.get("/admin/accounts")
    assert refused.status_code == 303 and refused.headers["Location"].endswith("/account/second-factor")
    setup = client.get("/account/second-factor").get_data(as_text=True)
    secret = re.search(r'class="secret-key">([A-Z2-7 ]+)<', setup).group(1).replace(" ", "")
    empty = form_post(client, "/account/second-factor", {"code": ""})
    assert empty.status_code == 422
    assert "Enter the 6-digit code your authenticator app shows" in empty.get_data(as_text=True)
    wrong = form_post(client, "/account/second-factor", {"code": "000000"})
    assert wrong.status_code == 422
    assert "this one was not right" in wrong.get_data(as_text=True)  # not asked for as if left empty
    done = form_post(client, "/account/second-factor", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 303
    assert client.get("/admin/accounts").status_code == 200

    again = flask_app.test_client()
    answer = form_post(again, "/sign-in", {"email": ADMIN[1], "password": PASSWORD})
    assert answer.headers["Location"].endswith("/sign-in/second-factor")
    assert again.get("/admin/accounts").status_code == 302  # not signed in until the code
    replayed = form_post(again, "/sign-in/second-factor", {"code": pyotp.TOTP(secret).now()})
    assert replayed.status_code == 422  # the code just used cannot be used again


def test_signing_out_everywhere_ends_every_session(flask_app, chair, story):
    laptop, phone = flask_app.test_client(), flask_app.test_client()
    for client in (laptop, phone):
        form_post(client, "/sign-in", {"email": "chris@example.org", "password": PASSWORD})
        assert client.get(f"/partnerships/{story.partnership}").status_code == 200
    form_post(phone, "/sign-out-everywhere", {})
    assert laptop.get(f"/partnerships/{story.partnership}").status_code == 302
    assert phone.get(f"/partnerships/{story.partnership}").status_code == 302


def test_signing_out_ends_this_session_and_its_cookie_is_worth_nothing(flask_app, chair, story):
    client = flask_app.test_client()
    form_post(client, "/sign-in", {"email": "chris@example.org", "password": PASSWORD})
    with client.session_transaction() as cookie:
        stolen = dict(cookie)
    form_post(client, "/sign-out", {})
    thief = flask_app.test_client()
    with thief.session_transaction() as cookie:
        cookie.update(stolen)
    assert thief.get(f"/partnerships/{story.partnership}").status_code == 302


def test_a_password_reset_link_works_once_and_signs_out_everywhere(flask_app, chair, story):
    signed = flask_app.test_client()
    form_post(signed, "/sign-in", {"email": "chris@example.org", "password": PASSWORD})
    client = flask_app.test_client()
    unknown = form_post(client, "/reset-password", {"email": "nobody@example.org"})
    known = form_post(client, "/reset-password", {"email": "chris@example.org"})
    assert unknown.status_code == known.status_code == 200
    [message] = emails_in(flask_app)
    assert message["To"] == "chris@example.org"
    link = link_in(message)
    assert client.get(link).status_code == 200
    weak = form_post(client, link, {"password": "password", "confirm_password": "password"})
    assert weak.status_code == 422 and "common" in weak.get_data(as_text=True).lower()
    new = "a new and quite long passphrase"
    assert form_post(client, link, {"password": new, "confirm_password": new}).status_code == 303
    assert form_post(client, link, {"password": new, "confirm_password": new}).status_code == 410
    assert signed.get(f"/partnerships/{story.partnership}").status_code == 302
    assert form_post(client, "/sign-in", {"email": "chris@example.org", "password": new}).status_code == 303


def test_a_citizen_signs_in_with_a_one_time_link_and_sees_only_their_own(flask_app, story):
    services = flask_app.extensions["cotrace"]
    amira = story.people["amira"]
    services.run(
        lambda app, actor: app.set_contact_preferences(actor, amira, "amira@example.org", False), amira
    )
    client = flask_app.test_client()
    asked = form_post(client, "/sign-in/email", {"email": "AMIRA@example.org"})
    assert asked.status_code == 200 and "Check your email" in asked.get_data(as_text=True)
    [message] = emails_in(flask_app)
    link = link_in(message)
    assert client.get(link).status_code == 200  # opening the link (a mail scanner) signs nobody in
    assert client.get(f"/partnerships/{story.partnership}").status_code == 302
    answer = form_post(client, link, {})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/my-input")
    mine = client.get("/my-input", follow_redirects=True)
    assert mine.status_code == 200 and "Amira" in mine.get_data(as_text=True)
    assert client.get(f"/partnerships/{story.partnership}").status_code == 200  # a member reads
    assert client.get(f"/partnerships/{story.partnership}/thresholds").status_code == 403  # not a chair
    assert form_post(flask_app.test_client(), link, {}).status_code == 410  # used once


def test_an_admin_opens_an_account_gives_a_role_and_the_grant_is_in_the_record(flask_app, client, story):
    opened = form_post(
        client, "/admin/accounts/new", {"name": "Amira Hassan", "email": "amira.h@example.org"}
    )
    assert opened.status_code == 303
    account_page = opened.headers["Location"]
    [message] = emails_in(flask_app)
    assert message["To"] == "amira.h@example.org" and "/reset-password/" in link_in(message)
    again = form_post(client, "/admin/accounts/new", {"name": "Someone", "email": "Amira.H@example.org"})
    assert again.status_code == 422 and "already exists" in again.get_data(as_text=True)
    granted = form_post(
        client, f"{account_page}/roles", {"partnership_id": str(story.partnership), "role": "chair"}
    )
    assert granted.status_code == 303
    page = client.get(account_page).get_data(as_text=True)
    assert "Amira Hassan made chair by Ada Admin" in page
    form_post(
        client, f"{account_page}/roles/revoke", {"partnership_id": str(story.partnership), "role": "chair"}
    )
    assert "Amira Hassan no longer chair by Ada Admin" in client.get(account_page).get_data(as_text=True)


def test_a_chair_of_one_partnership_cannot_record_in_another(flask_app, services, story):
    other = services.run(lambda app, actor: app.form_partnership(actor, "Elsewhere"), story.actor)
    account = open_account(services, None, "Pat", "pat@example.org")
    services.run(lambda app, actor: app.grant_role(actor, other, account, "chair"), account)
    client = signed_in(flask_app, "account", account)
    assert client.get(f"/partnerships/{story.partnership}").status_code == 403
    assert (
        form_post(client, f"/policies/{story.policy}/stages/new", {"stage": "co_design"}).status_code == 403
    )


def test_create_admin_refuses_a_weak_password_and_import_needs_a_known_account(runner, tmp_path):
    weak = runner.invoke(["create-admin", "root@example.org", "--name", "Root", "--password", "password1"])
    assert weak.exit_code == 1 and "password" in weak.output
    made = runner.invoke(["create-admin", "root@example.org", "--name", "Root", "--password", PASSWORD])
    assert made.exit_code == 0, made.output
    history = tmp_path / "h.yaml"
    history.write_text("partnership: X\nrecords: []\n")
    unknown = runner.invoke(["import", "--as", "ghost@example.org", str(history)])
    assert unknown.exit_code == 1 and "No account signs in with ghost@example.org" in unknown.output


def test_a_member_sees_their_partnership_without_the_chairs_forms(flask_app, services, story):
    other = services.run(lambda app, actor: app.form_partnership(actor, "Elsewhere"), story.actor)
    account = open_account(services, None, "Mo Member", "mo@example.org")
    services.run(lambda app, actor: app.grant_role(actor, story.partnership, account, "member"), account)
    member = signed_in(flask_app, "account", account)
    listing = member.get("/").get_data(as_text=True)
    assert "Riverside" in listing and "Elsewhere" not in listing and str(other) not in listing
    page = member.get(f"/partnerships/{story.partnership}").get_data(as_text=True)
    assert "Schedule a meeting" not in page and "Add a member" not in page
    policy = member.get(f"/policies/{story.policy}").get_data(as_text=True)
    assert "Record for this policy" not in policy
    chair_page = signed_in(flask_app, "account", open_account(services, None, *ADMIN, is_admin=True))
    assert "Schedule a meeting" in chair_page.get(f"/partnerships/{story.partnership}").get_data(as_text=True)


def test_the_new_account_form_sent_twice_opens_one_account_and_sends_one_email(flask_app, client):
    """A double click: the second sending of the same form goes to the account the first opened."""
    form = {"name": "Double Click", "email": "double@example.org", "submission": uuid4().hex}
    first = form_post(client, "/admin/accounts/new", form)
    second = form_post(client, "/admin/accounts/new", form)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert len(emails_in(flask_app)) == 1
