"""An admin erases a participant from the admin pages: a confirmation first, then every page shows
their group and "[erased participant]", never their name or words."""

from __future__ import annotations

from datetime import timedelta

from cotrace import private_links
from tests.conftest import signed_in
from tests.web.test_meeting_page import post

CANARY = "Zebulon Quillfeather"
WORDS = "Please add porcupine lantern glockenspiel"


def canary(story):
    app = story.app
    person = app.register_participant(story.actor, CANARY, "home_educator")
    app.add_member(story.actor, story.partnership, person, story.today - timedelta(days=10))
    said = app.submit_contribution(
        story.actor, story.policy, person, "suggestion", WORDS, "email", story.today
    )
    return person, said


def private_page(flask_app, person) -> str | None:
    services = flask_app.extensions["cotrace"]
    services.read_models.catch_up()
    with flask_app.app_context(), services.engine.connect() as conn:
        token = private_links.current_token(conn, flask_app.secret_key, private_links.PAGE, person)
    return f"/my-input/{token}" if token else None


def test_an_admin_erases_a_participant_after_confirming(flask_app, client, story):
    person, said = canary(story)
    their_page = private_page(flask_app, person)
    assert flask_app.test_client().get(their_page).status_code == 200
    listing = client.get("/admin/participants").get_data(as_text=True)
    assert CANARY in listing and f"/admin/participants/{person}/erase" in listing
    confirm = client.get(f"/admin/participants/{person}/erase").get_data(as_text=True)
    assert "cannot be undone" in confirm and "Riverside EHE Policy Partnership" in confirm

    unconfirmed = post(client, f"/admin/participants/{person}/erase", {})
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm" in unconfirmed.get_data(as_text=True)
    assert CANARY in client.get(f"/contributions/{said}").get_data(as_text=True)

    done = post(client, f"/admin/participants/{person}/erase", {"confirm": "yes"})
    assert done.status_code == 303
    for page in (f"/contributions/{said}", f"/policies/{story.policy}", f"/partnerships/{story.partnership}"):
        shown = client.get(page).get_data(as_text=True)
        assert CANARY not in shown and "porcupine" not in shown, page
    contribution = client.get(f"/contributions/{said}").get_data(as_text=True)
    assert "[erased participant]" in contribution and "[erased with its author&#39;s data]" in contribution
    assert "Erased" in client.get("/admin/participants").get_data(as_text=True)

    assert flask_app.test_client().get(their_page).status_code == 410  # no link opens their page now
    link_page = client.get(f"/partnerships/{story.partnership}/members/{person}/private-link").get_data(
        as_text=True
    )
    assert "none can be issued" in link_page and "Reissue private link" not in link_page
    assert private_page(flask_app, person) is None

    again = post(client, f"/admin/participants/{person}/erase", {"confirm": "yes"})
    assert again.status_code == 422 and "was erased" in again.get_data(as_text=True)


def test_only_an_admin_may_erase(flask_app, story):
    person, _ = canary(story)
    chair = flask_app.extensions["cotrace"].app
    member_client = signed_in(flask_app, "participant", person)
    assert member_client.get("/admin/participants").status_code == 403
    assert post(member_client, f"/admin/participants/{person}/erase", {"confirm": "yes"}).status_code == 403
    assert chair.repository.get(person).name == CANARY
