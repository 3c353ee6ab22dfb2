"""Recording a partnership's year one thing per page: each form records its fact, or explains what
is wrong next to the field and writes nothing."""

from __future__ import annotations

import hashlib
import io

import pytest
from sqlalchemy import select

from projections import directory
from tests.web.test_meeting_page import post


def test_a_partnership_is_formed_and_gets_members_and_a_policy(client, flask_app):
    response = post(client, "/partnerships/new", {"name": "Hillside SEND Partnership"})
    assert response.status_code == 303
    partnership_page = response.headers["Location"]
    partnership_id = partnership_page.rsplit("/", 1)[1]

    added = post(
        client,
        f"/partnerships/{partnership_id}/members/new",
        {"name": "Priya", "stakeholder_group": "parent_carer", "joined_on": "2026-05-01"},
    )
    assert added.status_code == 303
    started = post(
        client,
        f"/partnerships/{partnership_id}/policies/new",
        {"title": "SEND Strategy", "initiated_by": "authority", "started_on": "2026-05-02"},
    )
    assert started.status_code == 303
    policy_page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Policy started." in policy_page and "SEND Strategy" in policy_page

    page = client.get(partnership_page).get_data(as_text=True)
    assert "Hillside SEND Partnership" in page and "Priya" in page and "SEND Strategy" in page


def test_every_mistake_in_a_form_is_explained_at_once_and_nothing_is_written(client, story):
    before = story.notifications()
    response = post(
        client,
        f"/partnerships/{story.partnership}/members/new",
        {"name": "", "stakeholder_group": "", "joined_on": "1 May"},
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "The date they joined must be a real date" in body  # read from the form
    # ...and what the command itself checks, found by trying it without saving:
    assert "Enter the participant&#39;s name or a pseudonym" in body
    assert "Choose the participant&#39;s stakeholder group" in body
    assert story.notifications() == before


@pytest.mark.parametrize(
    "path, data, shows",
    [
        ("stages/new", {"stage": "co_design", "entered_on": "2026-06-01"}, "moved on to Co-design"),
        (
            "ratings/new",
            {"aspect": "Communication", "rating": "red", "comment": "", "happened_on": "2026-06-01"},
            "Rating recorded.",
        ),
        ("adoption", {"adopted_on": "2026-06-01"}, "Adoption recorded."),
        ("retirement", {"reason": "Replaced", "retired_on": "2026-06-01"}, "Retirement recorded."),
        (
            "claims/new",
            {
                "activity": "Workshop",
                "stage": "co_commission",
                "rung": "wokingham:co_designing",
                "happened_on": "2026-06-01",
            },
            "Claim recorded.",
        ),
    ],
)
def test_a_policy_fact_is_recorded_from_its_page(client, story, path, data, shows):
    if path == "claims/new":
        data = {**data, "claimed_by": str(story.people["daniel"])}
    url = f"/policies/{story.policy}/{path}"
    assert client.get(url).status_code == 200
    before = story.notifications()
    response = post(client, url, data)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert story.notifications() > before
    assert shows in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    "path, data, message",
    [
        (
            "stages/new",
            {"stage": "co_assess", "entered_on": "2026-06-01"},
            "The next stage of this policy is Co-design",
        ),
        (
            "ratings/new",
            {"aspect": "", "rating": "purple", "happened_on": "2026-06-01"},
            "Choose red, amber or green",
        ),
        ("adoption", {"adopted_on": "2027-01-01"}, "cannot be in the future"),
        ("retirement", {"reason": "", "retired_on": "2026-06-01"}, "Say why the policy is retired"),
        (
            "claims/new",
            {"activity": "", "stage": "co_commission", "rung": "", "happened_on": "2026-06-01"},
            "Enter the activity",
        ),
        (
            "versions/new",
            {"title": "EHE", "version_label": "1.0", "content_hash": "nope", "published_on": "2026-06-01"},
            "SHA-256",
        ),
        (
            "decisions/new",
            {"text": "x", "stage": "co_commission", "method": "consensus", "happened_on": "2026-06-01"},
            "outside a meeting",
        ),
    ],
)
def test_a_policy_fact_that_cannot_be_right_is_explained(client, story, path, data, message):
    before = story.notifications()
    response = post(client, f"/policies/{story.policy}/{path}", data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "There is a problem" in body and message in body.replace("&#39;", "'")
    assert story.notifications() == before


def test_a_published_version_keeps_the_checksum_of_the_uploaded_file(client, story, flask_app):
    document = b"%PDF-1.7 the EHE policy, draft 1"
    with client.session_transaction() as session:
        session["csrf"] = "token"
    response = client.post(
        f"/policies/{story.policy}/versions/new",
        data={
            "csrf_token": "token",
            "title": "EHE policy",
            "version_label": "Draft 1",
            "content_hash": "",
            "link": "https://example.org/ehe.pdf",
            "published_on": "2026-06-01",
            "document": (io.BytesIO(document), "ehe.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    policy = flask_app.extensions["cotrace"].app.repository.get(story.policy)
    assert policy.versions == [
        {"version_label": "Draft 1", "content_hash": hashlib.sha256(document).hexdigest()}
    ]


def test_a_delegated_decision_outside_a_meeting_is_recorded(client, story, flask_app):
    response = post(
        client,
        f"/policies/{story.policy}/decisions/new",
        {
            "text": "Book the hall for the workshops",
            "stage": "co_commission",
            "decided_by": [str(story.people["daniel"])],
            "method": "delegated",
            "happened_on": "2026-06-10",
        },
    )
    assert response.status_code == 303
    with flask_app.extensions["cotrace"].engine.connect() as conn:
        row = conn.execute(
            select(directory.decisions).where(directory.decisions.c.text.like("Book the hall%"))
        ).one()
    assert row.meeting_id is None and row.method == "delegated"


def test_a_decision_is_corrected_and_then_reversed(client, story):
    decision_id = story.decide()
    corrected = post(
        client,
        f"/decisions/{decision_id}/correction",
        {
            "text": "Start from a blank page, together",
            "reason": "Agreed wording",
            "happened_on": "2026-06-15",
        },
    )
    assert corrected.status_code == 303
    reversed_ = post(
        client,
        f"/decisions/{decision_id}/reversal",
        {"reason": "The law changed", "happened_on": "2026-06-15"},
    )
    assert reversed_.status_code == 303
    again = post(
        client, f"/decisions/{decision_id}/reversal", {"reason": "Again", "happened_on": "2026-06-15"}
    )
    assert again.status_code == 422
    assert "This decision was reversed" in again.get_data(as_text=True)


def test_an_unknown_policy_or_decision_is_not_found(client, story):
    assert client.get(f"/policies/{story.meeting}/ratings/new").status_code == 404
    assert client.get(f"/decisions/{story.policy}/correction").status_code == 404


def test_the_pages_link_to_where_each_fact_is_recorded(client, story):
    decision_id = story.decide()
    assert 'href="/partnerships/new"' in client.get("/").get_data(as_text=True)
    partnership = client.get(f"/partnerships/{story.partnership}").get_data(as_text=True)
    assert f'href="/partnerships/{story.partnership}/members/new"' in partnership
    assert f'href="/partnerships/{story.partnership}/policies/new"' in partnership
    assert f'href="/partnerships/{story.partnership}/dashboard"' in partnership
    policy = client.get(f"/policies/{story.policy}").get_data(as_text=True)
    assert f'href="/policies/{story.policy}/evidence"' in policy
    for path in (
        "stages/new",
        "decisions/new",
        "ratings/new",
        "versions/new",
        "claims/new",
        "adoption",
        "retirement",
    ):
        assert f'href="/policies/{story.policy}/{path}"' in policy, path
    provenance = client.get(f"/decisions/{decision_id}").get_data(as_text=True)
    assert f'href="/decisions/{decision_id}/correction"' in provenance
    post(client, f"/decisions/{decision_id}/reversal", {"reason": "Changed", "happened_on": "2026-06-15"})
    assert "/correction" not in client.get(f"/decisions/{decision_id}").get_data(as_text=True)


def test_a_name_made_only_of_invisible_characters_is_no_name(client, story):
    before = story.notifications()
    response = post(client, "/partnerships/new", {"name": " \u200b\u2060\ufeff "})
    assert response.status_code == 422
    assert "Enter" in response.get_data(as_text=True)
    assert story.notifications() == before


def test_control_characters_pasted_into_a_form_are_left_out(client, story):
    response = post(client, "/partnerships/new", {"name": "\u200bHill\x00side\x07 Partnership\x1b"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h1>Hillside Partnership</h1>" in page


def upload_version(client, story, document: bytes, content_hash: str):
    with client.session_transaction() as session:
        session["csrf"] = "token"
    return client.post(
        f"/policies/{story.policy}/versions/new",
        data={
            "csrf_token": "token",
            "title": "EHE policy",
            "version_label": "Draft 2",
            "content_hash": content_hash,
            "link": "",
            "published_on": "2026-06-01",
            "document": (io.BytesIO(document), "ehe.pdf"),
        },
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    "document, content_hash, message",
    [
        (b"%PDF-1.7 draft 2", "0" * 64, "This checksum is not the chosen file"),
        (b"", "", "The file chosen is empty"),
    ],
)
def test_a_version_whose_file_and_checksum_disagree_is_explained(
    client, story, document, content_hash, message
):
    before = story.notifications()
    response = upload_version(client, story, document, content_hash)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert story.notifications() == before


def test_a_checksum_typed_as_well_as_the_file_may_agree_with_it(client, story):
    document = b"%PDF-1.7 draft 2"
    response = upload_version(client, story, document, hashlib.sha256(document).hexdigest().upper())
    assert response.status_code == 303
