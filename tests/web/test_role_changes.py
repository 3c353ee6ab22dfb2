"""Who made whom chair is part of a partnership's record (issue 12: "Grants and revocations are
events, so they appear in the audit trail"): its readers see each change on the partnership page,
with who made it and when, newest first."""

from __future__ import annotations

import re

from cotrace.accounts import open_account
from domain.dates import format_date
from projections.access import changes_in
from tests.conftest import ADMIN, signed_in


def form_post(client, url: str, data: dict):
    with client.session_transaction() as cookie:
        cookie["csrf"] = "token"
    return client.post(url, data={**data, "csrf_token": "token"})


def role_changes(page: str) -> list[str]:
    """The lines of the page's "Changes to roles", top to bottom."""
    section = page.split('id="roles"', 1)[1]
    return [re.sub(r"\s+", " ", line).strip() for line in re.findall(r"<li>(.*?)</li>", section, re.S)]


def test_a_partnerships_readers_see_who_was_given_or_lost_a_role_by_whom(flask_app, client, story):
    services = flask_app.extensions["cotrace"]
    amira = open_account(services, None, "Amira Hassan", "amira.h@example.org")
    reader = open_account(services, None, "Mo Member", "mo@example.org")
    services.run(lambda app, actor: app.grant_role(actor, story.partnership, reader, "member"), amira)
    page = f"/partnerships/{story.partnership}"
    assert "Amira Hassan made chair" not in client.get(page).get_data(as_text=True)

    for path, role in (("roles", "chair"), ("roles/revoke", "chair"), ("roles", "auditor")):
        sent = form_post(
            client,
            f"/admin/accounts/{amira}/{path}",
            {"partnership_id": str(story.partnership), "role": role},
        )
        assert sent.status_code == 303

    with services.engine.connect() as conn:
        day = format_date(changes_in(conn, story.partnership)[0]["recorded_at"])
    seen = role_changes(signed_in(flask_app, "account", reader).get(page).get_data(as_text=True))
    assert seen == [
        f"Amira Hassan made auditor by {ADMIN[0]}, {day}",
        f"Amira Hassan removed as chair by {ADMIN[0]}, {day}",
        f"Amira Hassan made chair by {ADMIN[0]}, {day}",
        f"Mo Member made member by Amira Hassan, {day}",
    ]
    assert "most recent" not in client.get(page).get_data(as_text=True)


def test_only_the_ten_latest_changes_are_shown_and_the_page_says_so(flask_app, client, story):
    services = flask_app.extensions["cotrace"]
    people = [open_account(services, None, f"Person {n:02}", f"p{n}@example.org") for n in range(12)]
    for person in people:
        services.run(
            lambda app, actor, p=person: app.grant_role(actor, story.partnership, p, "member"), person
        )
    page = client.get(f"/partnerships/{story.partnership}").get_data(as_text=True)
    seen = role_changes(page)
    assert [line.split(" made ")[0] for line in seen] == [f"Person {n:02}" for n in range(11, 1, -1)]
    assert "Showing the 10 most recent changes" in page


def test_a_partnership_nobody_has_a_role_in_says_so(client, story):
    page = client.get(f"/partnerships/{story.partnership}").get_data(as_text=True)
    assert role_changes(page) == []
    assert "No one has been given a role in this partnership yet" in page
