"""A participant signed in gives their own input on a policy of their partnership; it is theirs,
recorded by them, and waits for the chair's response like any other."""

from __future__ import annotations

from projections import reads
from tests.conftest import signed_in
from tests.web.test_meeting_page import post


def test_a_participant_signed_in_gives_their_input(flask_app, story):
    amira = story.people["amira"]
    client = signed_in(flask_app, "participant", amira)
    mine = client.get("/my-input", follow_redirects=True).get_data(as_text=True)
    assert f"/policies/{story.policy}/my-input" in mine

    form = client.get(f"/policies/{story.policy}/my-input")
    assert form.status_code == 200 and "What would you like to say?" in form.get_data(as_text=True)
    sent = post(
        client, f"/policies/{story.policy}/my-input", {"kind": "concern", "text": "Visits feel like checks"}
    )
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/my-input")
    with flask_app.extensions["cotrace"].engine.connect() as conn:
        [given] = reads.contributions_by(conn, amira)
    assert (given["text"], given["kind"], given["channel"]) == (
        "Visits feel like checks",
        "concern",
        "online",
    )
    assert given["response"] is None
    contribution = story.app.repository.get(given["id"])
    assert contribution.contributor_id == amira


def test_a_mistake_is_explained_next_to_its_field_and_nothing_is_written(flask_app, story):
    client = signed_in(flask_app, "participant", story.people["amira"])
    before = story.notifications()
    refused = post(client, f"/policies/{story.policy}/my-input", {"text": "  "})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Choose whether this is a view, a suggestion or a concern" in page
    assert "Enter what was said" in page
    assert story.notifications() == before


def test_only_the_partnerships_own_participants_may_give_input(flask_app, client, story):
    outsider = story.app.register_participant(story.actor, "Olly Outsider", "parent_carer")
    assert (
        signed_in(flask_app, "participant", outsider).get(f"/policies/{story.policy}/my-input").status_code
        == 403
    )
    assert (
        client.get(f"/policies/{story.policy}/my-input").status_code == 403
    )  # an admin has no input of its own
    assert flask_app.test_client().get(f"/policies/{story.policy}/my-input").status_code == 302
