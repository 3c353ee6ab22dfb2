"""An auditor downloads the audit pack of a policy or a partnership from its page, an admin the whole
installation's from the integrity page, and each checks it with the standalone verifier, trusting
nothing the server says; without a signing key the page says so plainly, and who can fix it."""

from __future__ import annotations

import html
import io
import json
import zipfile
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

import verify_audit_pack
from cotrace import audit_pack, checkpoints
from domain.accounts import AUDITOR, MEMBER
from tests.conftest import TODAY
from tests.web.test_contributions import an_earlier_contribution, changed_by_hand
from tests.web.test_private_links import account_with_role


@pytest.fixture
def vkey(flask_app) -> str:
    """The installation's signing key, made as `cotrace keygen` makes it; its verifier key."""
    return checkpoints.keygen(flask_app.extensions["cotrace"].settings)


@pytest.fixture
def auditor(flask_app, story):
    return account_with_role(flask_app, story, "Audrey Auditor", AUDITOR)


@pytest.fixture
def member(flask_app, story):
    return account_with_role(flask_app, story, "Morgan Member", MEMBER)


def a_pack(response) -> bytes:
    """The pack a download sent, checked as a browser would take it: a zip to save, kept by no cache."""
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    data = response.get_data()
    assert int(response.headers["Content-Length"]) == len(data)
    return data


def verified(data: bytes, vkey: str) -> verify_audit_pack.Report:
    report = verify_audit_pack.verify(io.BytesIO(data), vkey)
    assert report.ok, report.text()
    return report


def manifest(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as pack:
        return json.loads(pack.read("manifest.json"))


def test_an_auditor_downloads_a_policy_pack_that_verifies_offline(auditor, story, vkey):
    response = auditor.get(f"/policies/{story.policy}/audit-pack.zip")
    data = a_pack(response)
    scope = audit_pack.Scope("policy", story.policy, "EHE policy")
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename={audit_pack.filename(scope, TODAY)}"
    )
    verified(data, vkey)
    made = manifest(data)
    assert made["scope"] == {"kind": "policy", "id": str(story.policy), "title": "EHE policy"}
    assert not made["events"]["whole_log"] and made["events"]["count"] > 0
    with zipfile.ZipFile(io.BytesIO(data)) as pack:
        assert {"README.txt", "verify_audit_pack.py", "checkpoint.txt", "events.jsonl"} <= set(
            pack.namelist()
        )


def test_a_partnership_pack_verifies_and_holds_more_than_one_policy_s_record(flask_app, auditor, story, vkey):
    policy = manifest(a_pack(auditor.get(f"/policies/{story.policy}/audit-pack.zip")))
    data = a_pack(auditor.get(f"/partnerships/{story.partnership}/audit-pack.zip"))
    verified(data, vkey)
    made = manifest(data)
    assert made["scope"]["kind"] == "partnership" and made["scope"]["id"] == str(story.partnership)
    assert made["events"]["count"] > policy["events"]["count"]  # its own record, and its members'


def test_an_admin_downloads_the_whole_installation_s_pack_from_the_integrity_page(client, story, vkey):
    page = html.unescape(client.get("/integrity").get_data(as_text=True))
    assert 'href="/integrity/audit-pack.zip"' in page
    data = a_pack(client.get("/integrity/audit-pack.zip"))
    verified(data, vkey)
    made = manifest(data)
    assert made["scope"]["kind"] == "installation" and made["events"]["whole_log"]
    assert made["events"]["count"] == made["log"]["size"]


def test_a_member_may_not_download_a_pack_nor_an_auditor_the_whole_installation_s(
    auditor, member, story, vkey
):
    for address in (
        f"/policies/{story.policy}/audit-pack.zip",
        f"/partnerships/{story.partnership}/audit-pack.zip",
        "/integrity/audit-pack.zip",
    ):
        assert member.get(address).status_code == 403, address
    assert auditor.get("/integrity/audit-pack.zip").status_code == 403


def test_the_public_is_sent_to_sign_in(public_client, story, vkey):
    refused = public_client.get(f"/policies/{story.policy}/audit-pack.zip")
    assert refused.status_code == 302 and "/sign-in" in refused.headers["Location"]


def test_an_unknown_record_has_no_pack(client, story, vkey):
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/policies/{unknown}/audit-pack.zip").status_code == 404
    assert client.get(f"/partnerships/{unknown}/audit-pack.zip").status_code == 404


def test_without_a_signing_key_the_page_says_who_can_make_one(flask_app, auditor, story):
    answer = auditor.get(f"/policies/{story.policy}/audit-pack.zip")
    page = html.unescape(answer.get_data(as_text=True))
    assert answer.status_code == 503 and answer.mimetype == "text/html"
    assert "<h1>No audit pack yet</h1>" in page
    assert "this installation has no signing key yet" in page and "'cotrace keygen'" in page
    assert "signing_key" not in page  # where the key lives is the operator's business
    with flask_app.extensions["cotrace"].engine.connect() as conn:
        assert checkpoints.latest(conn) is None  # nothing was signed


def test_a_log_changed_by_hand_gives_no_pack_but_the_integrity_page(flask_app, auditor, story, vkey):
    services = flask_app.extensions["cotrace"]
    contribution = an_earlier_contribution(story)
    changed_by_hand(services, contribution)
    answer = auditor.get(f"/policies/{story.policy}/audit-pack.zip")
    assert answer.status_code == 503
    assert "The record failed its integrity check" in answer.get_data(as_text=True)


def test_a_log_that_does_not_extend_its_last_checkpoint_gives_no_pack(flask_app, auditor, story, vkey):
    services = flask_app.extensions["cotrace"]
    with services.engine.connect() as conn:
        size = len(checkpoints.leaf_hashes(conn))
    with services.engine.begin() as conn:  # a checkpoint of another history, as if forged
        conn.execute(
            insert(checkpoints.checkpoints).values(
                size=size, root=b"\1" * 32, note="forged\n", signed_at=datetime.now(UTC)
            )
        )
    answer = auditor.get(f"/policies/{story.policy}/audit-pack.zip")
    page = html.unescape(answer.get_data(as_text=True))
    assert answer.status_code == 503
    assert "The record failed its integrity check" in page and "does not extend the last checkpoint" in page


def test_the_pages_offer_the_packs_to_those_who_may_download_them(client, auditor, member, story, vkey):
    policy_page = f"/policies/{story.policy}"
    partnership_page = f"/partnerships/{story.partnership}"
    policy_pack = f'href="/policies/{story.policy}/audit-pack.zip"'
    partnership_pack = f'href="/partnerships/{story.partnership}/audit-pack.zip"'
    for reader in (auditor, client):
        assert policy_pack in reader.get(policy_page).get_data(as_text=True)
        assert partnership_pack in reader.get(partnership_page).get_data(as_text=True)
    shown = html.unescape(auditor.get(policy_page).get_data(as_text=True))
    assert "without trusting this server" in shown
    assert policy_pack not in member.get(policy_page).get_data(as_text=True)
    assert partnership_pack not in member.get(partnership_page).get_data(as_text=True)
    # The whole installation's pack is the admin's alone: an auditor's integrity page points to the
    # packs on the partnership's and the policies' pages instead.
    integrity = auditor.get("/integrity").get_data(as_text=True)
    assert "/integrity/audit-pack.zip" not in integrity
    assert "audit pack" in integrity


def test_before_there_is_a_signing_key_the_pages_say_why_there_is_no_pack(client, auditor, story):
    for reader, page in (
        (auditor, f"/policies/{story.policy}"),
        (auditor, f"/partnerships/{story.partnership}"),
        (client, "/integrity"),
    ):
        shown = html.unescape(reader.get(page).get_data(as_text=True))
        assert "audit-pack.zip" not in shown, page  # a link that could only be refused helps nobody
        assert "No pack can be made yet" in shown and "'cotrace keygen'" in shown, page
