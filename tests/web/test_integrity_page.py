"""The auditor's integrity page: the log verified on the server with its plain verdict, the latest
checkpoint and the verifier key; an event changed by hand is named, on a page that still answers."""

from __future__ import annotations

import html

from cotrace import checkpoints
from domain.accounts import AUDITOR, MEMBER
from tests.conftest import signed_in
from tests.web.test_contributions import an_earlier_contribution, changed_by_hand


def test_the_page_shows_the_verdict_the_checkpoint_and_the_key(flask_app, client, story):
    services = flask_app.extensions["cotrace"]
    vkey = checkpoints.keygen(services.settings)
    signed = checkpoints.sign_checkpoint(services)
    answer = client.get("/integrity")
    page = html.unescape(answer.get_data(as_text=True))
    assert answer.status_code == 200
    assert f"The record is as it was sealed: {signed.size} events, none changed, none missing." in page
    assert f'<pre class="signed-note">{signed.note}</pre>' in page
    assert vkey in page and "docs/seal.md" in page
    assert 'href="/integrity"' in page  # the header links to it for an admin


def test_without_a_key_or_checkpoint_the_page_says_what_to_run(client, story):
    page = client.get("/integrity").get_data(as_text=True)
    assert "The record is as it was sealed" in page
    assert "No checkpoint has been signed yet" in page and "cotrace keygen" in page


def test_an_event_changed_by_hand_is_named(flask_app, client, story):
    services = flask_app.extensions["cotrace"]
    contribution = an_earlier_contribution(story)
    row = changed_by_hand(services, contribution)
    answer = client.get("/integrity")
    page = html.unescape(answer.get_data(as_text=True))
    assert answer.status_code == 200
    assert "The record is not as it was sealed" in page
    assert f"Event {row.id} ({row.topic}, {contribution} v1) is not as it was sealed" in page


def test_auditors_and_chairs_see_the_link_and_members_do_not(flask_app, client, story):
    from cotrace.accounts import open_account

    services = flask_app.extensions["cotrace"]
    accounts = {}
    for role in (AUDITOR, MEMBER):
        accounts[role] = open_account(services, None, role.title(), f"{role}@example.org")
        story.app.grant_role(story.actor, story.partnership, accounts[role], role)
    services.read_models.catch_up()
    auditor = signed_in(flask_app, "account", accounts[AUDITOR])
    member = signed_in(flask_app, "account", accounts[MEMBER])
    assert 'href="/integrity"' in auditor.get("/").get_data(as_text=True)
    assert auditor.get("/integrity").status_code == 200
    assert 'href="/integrity"' not in member.get("/").get_data(as_text=True)
    assert member.get("/integrity").status_code == 403


def test_the_auditors_check_runs_the_standalone_verifier_here(flask_app, client, story):
    checkpoints.keygen(flask_app.extensions["cotrace"].settings)
    form = client.get("/integrity").get_data(as_text=True)
    assert 'action="/integrity/auditors-check"' in form and "Run the auditor’s check now" in form
    answer = client.get("/integrity/auditors-check")
    page = html.unescape(answer.get_data(as_text=True))
    assert answer.status_code == 200, page
    assert "Passed: every check passed." in page
    assert "the tree of all" in page and "has the root checkpoint.txt signs" in page
    assert "policy 'EHE policy': the verdicts judged again agree with those published" in page


def test_the_auditors_check_says_plainly_when_there_is_no_key(client, story):
    assert "Run the auditor’s check now" not in client.get("/integrity").get_data(as_text=True)
    answer = client.get("/integrity/auditors-check")
    assert answer.status_code == 503
    assert "cotrace keygen" in answer.get_data(as_text=True)


def test_an_auditor_s_check_covers_their_own_partnerships_and_names_no_other_s_policy(flask_app, story):
    from tests.web.test_private_links import account_with_role

    checkpoints.keygen(flask_app.extensions["cotrace"].settings)
    elsewhere = story.app.form_partnership(story.actor, "Elsewhere SEND Partnership")
    story.app.start_policy(story.actor, elsewhere, "Elsewhere's secret strategy", "authority", story.today)
    auditor = account_with_role(flask_app, story, "Audrey Auditor", AUDITOR)
    page = html.unescape(auditor.get("/integrity/auditors-check").get_data(as_text=True))
    assert "Riverside EHE Policy Partnership" in page and "Passed: every check passed." in page
    assert "policy 'EHE policy': the verdicts judged again agree" in page
    assert "Elsewhere" not in page
