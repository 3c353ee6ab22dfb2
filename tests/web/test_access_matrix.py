"""Every route, every role, the answer expected: built from the app's URL map, so a route added
without a line in EXPECTED fails here (and is refused by the app until it has a rule).

The expectations are written out here, apart from the rules in `web.access`, so that a rule changed
by mistake shows as a failure rather than as a new truth.
"""

from __future__ import annotations

from uuid import uuid4

import pytest
from sqlalchemy import select

from cotrace.accounts import open_account
from cotrace.demo import load_demo
from projections import directory_tables as directory
from tests.conftest import signed_in

# Who may use each endpoint (every method it answers).
EXPECTED = {
    "static": "anyone",
    "my_input.show": "anyone",
    "my_input.set_contact_preferences": "anyone",
    "my_input.feed": "anyone",
    "my_input.unsubscribe": "anyone",
    "my_input.mine": "signed in",
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
    "partnerships.index": "anyone",  # the published transparency pages; the partnerships to the signed-in
    "public.policy": "anyone",
    "partnerships.new_partnership": "admin",
    "partnerships.show": "readers",
    "partnerships.new_member": "chairs",
    "partnerships.schedule_meeting": "chairs",
    "partnerships.thresholds": "chairs",
    "contributions.for_partnership": "readers",
    "contributions.show": "readers",
    "contributions.respond": "chairs",
    "decisions.show": "readers",
    "decisions.correct": "chairs",
    "decisions.reverse": "chairs",
    "decisions.decide_outside_meeting": "chairs",
    "evidence.dashboard": "readers",
    "evidence.policy_level": "readers",
    "meetings.show": "readers",
    "meetings.add_agenda_item": "chairs",
    "meetings.agree_action": "chairs",
    "meetings.approve_minutes": "chairs",
    "meetings.complete_action": "chairs",
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
    "readers": {"participant", "member", "auditor", "chair", "admin"},
    "chairs": {"chair", "admin"},
    "admin": {"admin"},
}


@pytest.fixture(scope="module")
def database_url(tmp_path_factory) -> str:
    """One SQLite file for the whole matrix: each request is read-only or refused, or harmless."""
    return f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'cotrace.db'}"


@pytest.fixture(scope="module")
def world(tmp_path_factory, database_url):
    from datetime import date

    from web import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "TODAY": lambda: date(2026, 11, 24),
            "SECRET_KEY": "t",
        },
        instance_path=str(tmp_path_factory.mktemp("instance")),
    )
    services = app.extensions["cotrace"]
    admin = open_account(services, None, "Ada Admin", "ada@example.org", is_admin=True)
    riverside, elmsford = services.run(lambda a, actor: load_demo(a, actor, a.today()), admin)
    people = {}
    for role, partnership in (
        ("member", riverside),
        ("auditor", riverside),
        ("chair", riverside),
        ("other chair", elmsford),
    ):
        account = open_account(services, admin, role.title(), f"{role.replace(' ', '.')}@example.org")
        granted = "chair" if role == "other chair" else role
        services.run(
            lambda a, actor, p=partnership, r=granted, i=account: a.grant_role(actor, p, i, r), admin
        )
        people[role] = ("account", account)
    people["admin"] = ("account", admin)
    with services.engine.connect() as conn:
        member = conn.scalar(
            select(directory.members.c.participant_id).where(directory.members.c.partnership_id == riverside)
        )
        policy = conn.scalar(
            select(directory.policies.c.id).where(directory.policies.c.partnership_id == riverside)
        )
        meeting = conn.scalar(
            select(directory.meetings.c.id).where(directory.meetings.c.partnership_id == riverside)
        )
        decision = conn.scalar(
            select(directory.decisions.c.id).where(directory.decisions.c.policy_id == policy)
        )
        contribution = conn.scalar(
            select(directory.contributions.c.id).where(directory.contributions.c.policy_id == policy)
        )
    people["participant"] = ("participant", member)
    ids = {
        "partnership_id": riverside,
        "policy_id": policy,
        "meeting_id": meeting,
        "decision_id": decision,
        "contribution_id": contribution,
        "action_id": uuid4(),
        "account_id": people["member"][1],
        "token": "not-a-token",
        "filename": "cotrace.css",
    }
    yield app, people, ids
    services.close()


def _cases(app) -> list[tuple[str, str, str]]:
    return [
        (rule.endpoint, rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


def test_every_route_has_an_expected_answer(world):
    app, _, _ = world
    missing = sorted({endpoint for endpoint, _, _ in _cases(app)} - set(EXPECTED))
    assert missing == [], f"Routes with no line in EXPECTED (and refused by the app): {missing}"


def test_every_route_answers_every_role_as_expected(world):
    app, people, ids = world
    wrong = []
    for endpoint, rule, method in _cases(app):
        if endpoint not in EXPECTED:
            continue
        url = rule
        for name, value in ids.items():
            for converter in ("uuid:", "path:", ""):
                url = url.replace(f"<{converter}{name}>", str(value))
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
    app, people, _ = world
    from web import access

    rule = access.RULES.pop("partnerships.index")
    try:
        response = signed_in(app, *people["admin"]).get("/")
        assert response.status_code == 403
    finally:
        access.RULES["partnerships.index"] = rule


def test_every_post_without_a_valid_form_token_is_refused(world):
    app, people, ids = world
    client = signed_in(app, *people["admin"])
    for endpoint, rule, method in _cases(app):
        if method != "POST" or endpoint == "my_input.unsubscribe":  # RFC 8058 one-click: its own secret
            continue
        url = rule
        for name, value in ids.items():
            url = url.replace(f"<uuid:{name}>", str(value)).replace(f"<{name}>", str(value))
        assert client.post(url, data={"csrf_token": "forged"}).status_code == 400, url


def test_security_headers_are_on_every_response(world):
    app, people, ids = world
    client = signed_in(app, *people["admin"])
    for path in ("/", "/sign-in", "/static/cotrace.css", f"/policies/{ids['policy_id']}", "/no-such-page"):
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["Content-Security-Policy"], path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "same-origin", path


def test_a_published_transparency_page_is_open_to_every_role(world):
    """The matrix may withdraw the page before it reads it (a chair's withdrawal is allowed): here
    it is published, and every role, the public first, reads it and the home page listing it."""
    app, people, ids = world
    services = app.extensions["cotrace"]
    services.run(lambda a, actor: a.publish_transparency_page(actor, ids["policy_id"]), people["admin"][1])
    for role in ROLES:
        client = app.test_client() if role == "public" else signed_in(app, *people[role])
        assert client.get(f"/public/policies/{ids['policy_id']}").status_code == 200, role
        assert f"/public/policies/{ids['policy_id']}" in client.get("/").get_data(as_text=True), role
