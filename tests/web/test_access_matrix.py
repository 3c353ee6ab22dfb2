"""Every route, every role, the answer expected: built from the app's URL map, so a route added
without a line in EXPECTED fails here (and is refused by the app until it has a rule).

The expectations are written out here, apart from the rules in `web.access`, so that a rule changed
by mistake shows as a failure rather than as a new truth.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.conftest import signed_in
from tests.web.url_map import World, open_world

# Who may use each endpoint (every method it answers).
EXPECTED = {
    "static": "anyone",
    "favicon": "anyone",
    "glossary.show": "anyone",
    "my_input.show": "anyone",
    "my_input.set_contact_preferences": "anyone",
    "my_input.feed": "anyone",
    "my_input.unsubscribe": "anyone",
    "my_input.mine": "signed in",
    "own_input.give": "own participants",
    "my_input.set_my_contact_preferences": "participants",
    "accounts.sign_in": "anyone",
    "accounts.second_factor": "anyone",
    "accounts.email_link": "anyone",
    "accounts.follow_link": "anyone",
    "accounts.reset_request": "anyone",
    "accounts.reset": "anyone",
    "accounts.sign_out": "anyone",
    "accounts.sign_out_everywhere": "signed in",
    "accounts.account": "signed in",
    "accounts.change_password": "accounts",
    "accounts.second_factor_setup": "accounts",
    "admin_accounts.index": "admin",
    "admin_accounts.new": "admin",
    "admin_accounts.show": "admin",
    "admin_accounts.grant": "admin",
    "admin_accounts.revoke": "admin",
    "admin_accounts.change_admin": "admin",
    "admin_accounts.reset_second_factor": "admin",
    "admin_erasure.index": "admin",
    "admin_erasure.erase": "admin",
    "partnerships.index": "anyone",  # the published transparency pages; the partnerships to the signed-in
    "public.policy": "anyone",
    "partnerships.new_partnership": "admin",
    "partnerships.show": "readers",
    "partnerships.new_member": "chairs",
    "partnerships.schedule_meeting": "chairs",
    "partnerships.thresholds": "chairs",
    "partnerships.correct_member": "chairs",
    "partnerships.correct_member_email": "chairs",
    "partnerships.correct_member_group": "chairs",
    "partnerships.private_link": "chairs",
    "partnerships.revoke_private_link": "chairs",
    "partnerships.reissue_private_link": "chairs",
    "contributions.for_partnership": "readers",
    "contributions.show": "readers",
    "contributions.respond": "chairs",
    "contributions.correct": "chairs",
    "contributions.correct_response": "chairs",
    "contributions.receipt": "readers",
    "integrity.show": "auditors anywhere",
    "integrity.auditors_check": "auditors anywhere",
    "decisions.show": "readers",
    "decisions.correct": "chairs",
    "decisions.reverse": "chairs",
    "decisions.decide_outside_meeting": "chairs",
    "exports.audit_trail": "auditors",
    "exports.decisions": "auditors",
    "exports.you_said_we_did": "auditors",
    "exports.decision_prov": "auditors",
    "audit_packs.policy": "auditors",
    "audit_packs.partnership": "auditors",
    "audit_packs.installation": "admin",
    "evidence.dashboard": "readers",
    "evidence.policy_level": "readers",
    "meetings.show": "readers",
    "meetings.add_agenda_item": "chairs",
    "meetings.agree_action": "chairs",
    "meetings.approve_minutes": "chairs",
    "meetings.write_minutes": "chairs",
    "meetings.complete_action": "chairs",
    "meetings.reopen_action": "chairs",
    "meetings.correct_meeting": "chairs",
    "meetings.correct_agenda_item": "chairs",
    "meetings.record_adjustment": "chairs",
    "meetings.record_attendance": "chairs",
    "meetings.record_contribution": "chairs",
    "meetings.record_decision": "chairs",
    "policies.show": "readers",
    "policies.new_policy": "chairs",
    "policies.adopt": "chairs",
    "policies.claim": "chairs",
    "policies.enter_stage": "chairs",
    "policies.publish_version": "chairs",
    "policies.rate": "chairs",
    "policies.retire": "chairs",
    "policies.start_new_cycle": "chairs",
    "policies.publish_transparency_page": "chairs",
    "policies.withdraw_transparency_page": "chairs",
}

ROLES = ("public", "participant", "member", "auditor", "chair", "other chair", "admin")
# Who is in each group of EXPECTED, for the partnership the page belongs to.
ALLOWED = {
    "anyone": set(ROLES),
    "signed in": set(ROLES) - {"public"},
    "accounts": set(ROLES) - {"public", "participant"},
    "participants": {"participant"},
    "readers": {"participant", "member", "auditor", "chair", "admin"},
    "auditors": {"auditor", "chair", "admin"},
    "chairs": {"chair", "admin"},
    "admin": {"admin"},
    "own participants": {"participant"},
    # An auditor or a chair of any partnership (the other chair's is Elmsford): the whole log's.
    "auditors anywhere": {"auditor", "chair", "other chair", "admin"},
}


@pytest.fixture(scope="module")
def database_url(tmp_path_factory) -> str:
    """One SQLite file for the whole matrix: each request is read-only or refused, or harmless."""
    return f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'cotrace.db'}"


@pytest.fixture(scope="module")
def world(tmp_path_factory, database_url) -> Iterator[World]:
    opened = open_world(database_url, str(tmp_path_factory.mktemp("instance")))
    yield opened
    opened.close()


def _cases(app) -> list[tuple[str, str, str]]:
    return [
        (rule.endpoint, rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


def test_every_route_has_an_expected_answer(world):
    app = world.app
    missing = sorted({endpoint for endpoint, _, _ in _cases(app)} - set(EXPECTED))
    assert missing == [], f"Routes with no line in EXPECTED (and refused by the app): {missing}"


def test_every_route_answers_every_role_as_expected(world):
    app, people = world.app, world.people
    wrong = []
    for endpoint, rule, method in _cases(app):
        if endpoint not in EXPECTED:
            continue
        url = world.address(rule, endpoint)
        for role in ROLES:
            client = app.test_client()
            if role != "public":
                kind, principal = people[role]
                client = signed_in(app, kind, principal)
            with client.session_transaction() as cookie:
                cookie["csrf"] = "matrix"
            send = client.get if method == "GET" else client.post
            data = {"csrf_token": "matrix"} if method == "POST" else None
            response = send(url, data=data)
            refused = response.status_code in (401, 403) or (
                response.status_code == 302 and "/sign-in" in response.headers.get("Location", "")
            )
            allowed = role in ALLOWED[EXPECTED[endpoint]]
            if refused == allowed:
                expected = "allowed" if allowed else "refused"
                wrong.append(f"{method} {url} as {role}: {response.status_code}, expected {expected}")
    assert wrong == [], "\n".join(wrong)


def test_a_route_without_a_rule_is_refused(world):
    app, people = world.app, world.people
    from web import access

    rule = access.RULES.pop("partnerships.index")
    try:
        response = signed_in(app, *people["admin"]).get("/")
        assert response.status_code == 403
    finally:
        access.RULES["partnerships.index"] = rule


FORM = re.compile(r"<form\b([^>]*)>", re.S)


def _forms_on(page: str, url: str) -> list[tuple[str, str]]:
    """(method, address) of every form of a page: a form with no action is sent to the page itself."""
    found = []
    for attributes in FORM.findall(page):
        method = re.search(r'method="(\w+)"', attributes)
        action = re.search(r'action="([^"#]*)', attributes)
        found.append(
            (
                (method.group(1) if method else "get").upper(),
                html.unescape(action.group(1)) if action else url,
            )
        )
    return found


def test_no_page_offers_a_form_its_reader_would_be_refused(world):
    """A member, an auditor or a participant sees none of the chair's forms: a form that can only
    be refused helps nobody, and tells them of powers they do not have."""
    app, people = world.app, world.people
    urls = app.url_map.bind("localhost")
    offered = []
    for role in ("member", "auditor", "participant", "other chair"):
        client = signed_in(app, *people[role])
        for endpoint, rule, method in _cases(app):
            if method != "GET" or endpoint == "static":
                continue
            for real in (False, True):  # today's meeting and one long past, for example
                url = world.address(rule, endpoint, real=real)
                page = client.get(url)
                if page.status_code != 200 or page.mimetype != "text/html":
                    continue
                for form_method, action in _forms_on(page.get_data(as_text=True), url):
                    target, _ = urls.match(urlsplit(action).path, method=form_method)
                    if role not in ALLOWED[EXPECTED[target]]:
                        offered.append(f"{url} offers {role} a form to {form_method} {action} ({target})")
    assert offered == [], "\n".join(sorted(set(offered)))


def test_a_published_transparency_page_is_open_to_every_role(world):
    """The matrix may withdraw the page before it reads it (a chair's withdrawal is allowed): here
    it is published, and every role, the public first, reads it and the home page listing it."""
    app, people, ids = world.app, world.people, world.ids
    services = app.extensions["cotrace"]
    services.run(lambda a, actor: a.publish_transparency_page(actor, ids["policy_id"]), people["admin"][1])
    for role in ROLES:
        client = app.test_client() if role == "public" else signed_in(app, *people[role])
        assert client.get(f"/public/policies/{ids['policy_id']}").status_code == 200, role
        assert f"/public/policies/{ids['policy_id']}" in client.get("/").get_data(as_text=True), role
