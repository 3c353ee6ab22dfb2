"""The app's URL map as the tests that walk every route see it (who may use each, form tokens,
security headers): the demo partnerships loaded once, an account holding each role, and the ids a
route's address needs, taken from the demo's own data.

A test walking the map fills each rule's address with `World.address`, so a route added later is
walked too, with no line to add here unless it takes an argument of a new kind.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, NamedTuple
from uuid import UUID, uuid4

from flask import Flask
from sqlalchemy import select

from cotrace import one_time_links
from cotrace.accounts import open_account
from cotrace.demo import load_demo
from projections import directory_tables as directory
from web import create_app
from web.private_links import FEED, PAGE, current_token, unsubscribe_token

# Which real token each route with a `<token>` in its address takes.
TOKEN_OF = {
    "my_input.show": "my_input",
    "my_input.set_contact_preferences": "my_input",
    "my_input.feed": "feed",
    "my_input.unsubscribe": "unsubscribe",
    "accounts.follow_link": "sign_in_link",
    "accounts.reset": "reset_link",
}


class World(NamedTuple):
    app: Flask
    # "member", "auditor", "chair" (of Riverside), "other chair" (of Elmsford), "admin", "participant"
    people: dict[str, tuple[str, UUID]]
    # Ids that name real things, but no token and no action: a request with them changes nothing
    # that a later request of the access matrix reads.
    ids: dict[str, Any]
    # Everything real, tokens and an action included: a request that got past its checks would
    # really write (a link used up, an action done), which is what a test of refusals needs.
    real: dict[str, Any]

    def address(self, rule: str, endpoint: str, real: bool = False) -> str:
        """The rule's address, each argument filled with an id of the demo's data."""
        values = dict(self.ids)
        if real:
            values.update(self.real)
            values["token"] = self.real["tokens"].get(TOKEN_OF.get(endpoint), "not-a-token")
        for name, value in values.items():
            for converter in ("uuid:", "path:", "int:", ""):
                rule = rule.replace(f"<{converter}{name}>", str(value))
        assert "<" not in rule, f"{endpoint}: no id of the demo for an argument of {rule}"
        return rule

    def close(self) -> None:
        self.app.extensions["cotrace"].close()


def routes(app: Flask, method: str) -> list[tuple[str, str]]:
    """Every (endpoint, rule) of the URL map that answers `method`."""
    return [(rule.endpoint, rule.rule) for rule in app.url_map.iter_rules() if method in (rule.methods or ())]


def open_world(database_url: str, instance_path: str) -> World:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "TODAY": lambda: date(2026, 11, 24),
            "SECRET_KEY": "t",
        },
        instance_path=instance_path,
    )
    services = app.extensions["cotrace"]
    admin = open_account(services, None, "Ada Admin", "ada@example.org", is_admin=True)
    riverside, elmsford = services.run(lambda a, actor: load_demo(a, actor, a.today()), admin)
    people: dict[str, tuple[str, UUID]] = {}
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
        action = conn.execute(
            select(directory.actions.c.id, directory.actions.c.meeting_id)
            .join(directory.meetings, directory.meetings.c.id == directory.actions.c.meeting_id)
            .where(directory.meetings.c.partnership_id == riverside)
        ).first()
    people["participant"] = ("participant", member)
    ids = {
        "partnership_id": riverside,
        "policy_id": policy,
        "meeting_id": meeting,
        "decision_id": decision,
        "contribution_id": contribution,
        "action_id": uuid4(),
        "account_id": people["member"][1],
        "participant_id": member,  # erasing needs a ticked box: the matrix's posts erase no one
        "token": "not-a-token",
        "filename": "cotrace.css",
        "number": 1,  # an agenda item's place on its meeting's agenda
    }
    now = datetime.now(UTC)
    with app.app_context(), services.engine.connect() as conn:
        tokens = {
            "my_input": current_token(conn, PAGE, member),
            "feed": current_token(conn, FEED, member),
            "unsubscribe": unsubscribe_token(member),
        }
    with services.engine.begin() as conn:
        tokens["sign_in_link"] = one_time_links.issue_link(conn, "sign-in", "participant", member, now)
        tokens["reset_link"] = one_time_links.issue_link(
            conn, "reset-password", "account", people["member"][1], now
        )
    real = {"action_id": action.id, "meeting_id": action.meeting_id, "tokens": tokens}
    return World(app, people, ids, real)
