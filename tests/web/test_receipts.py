"""Receipts: a contribution's page, and its contributor's own page, offer a C2SP tlog-proof that the
contribution is in the signed log; it verifies with the installation's verifier key, now and against
later checkpoints, and a receipt whose entry was changed does not."""

from __future__ import annotations

import json
import re

import pytest

from cotrace import checkpoints
from cotrace.seal import merkle, proofs
from tests.conftest import signed_in
from tests.web.test_contributions import an_earlier_contribution, changed_by_hand

ORIGIN = "127.0.0.1/cotrace"
LINK = "Download a receipt (proof this is in the log)"


@pytest.fixture
def vkey(flask_app):
    return checkpoints.keygen(flask_app.extensions["cotrace"].settings)


def download(client, contribution):
    answer = client.get(f"/contributions/{contribution}/receipt")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    # The file names the contribution it proves (policy, day, channel), never the contributor.
    disposition = answer.headers["Content-Disposition"]
    assert re.fullmatch(
        r'attachment; filename="cotrace-receipt-[a-z0-9-]+-\d{4}-\d{2}-\d{2}-[a-z_]+-'
        rf'{contribution}\.tlog-proof"',
        disposition,
    ), disposition
    return answer.get_data(as_text=True)


def checked(receipt, vkey):
    """Verifies a receipt as anyone could: re-hash the entry it carries, then check the proof."""
    entry = proofs.parse_proof(receipt).extra
    return proofs.verify_proof(receipt, merkle.leaf_hash(entry), [vkey], ORIGIN), json.loads(entry)


def test_a_receipt_verifies_now_and_against_a_later_checkpoint(flask_app, client, story, vkey):
    contribution = an_earlier_contribution(story)
    page = client.get(f"/contributions/{contribution}").get_data(as_text=True)
    assert LINK in page and f"/contributions/{contribution}/receipt" in page

    receipt = download(client, contribution)
    assert receipt.startswith("c2sp.org/tlog-proof@v1\nextra ")
    signed, entry = checked(receipt, vkey)
    assert entry["aggregate_id"] == contribution and entry["topic"].endswith("Contribution.Submitted")
    assert entry["aggregate_version"] == 1
    assert proofs.parse_proof(receipt).index == entry["sequence"] < signed.size

    for _ in range(3):  # the log grows, and the worker (here, by hand) signs a newer checkpoint
        story.decide()
    later = checkpoints.sign_checkpoint(flask_app.extensions["cotrace"])
    assert later.new and later.size > signed.size
    again = download(client, contribution)
    newer, same_entry = checked(again, vkey)
    assert newer.size == later.size and same_entry == entry
    # The first receipt's checkpoint is one the later one extends: both stand.
    with flask_app.extensions["cotrace"].engine.connect() as conn:
        hashes = checkpoints.leaf_hashes(conn)
    consistency = merkle.consistency_proof(hashes, signed.size, newer.size)
    assert merkle.verify_consistency(signed.size, newer.size, signed.root, newer.root, consistency)


def test_a_receipt_whose_entry_was_changed_does_not_verify(client, story, vkey):
    contribution = an_earlier_contribution(story)
    receipt = proofs.parse_proof(download(client, contribution))
    entry = json.loads(receipt.extra)
    entry["state_sha256"] = "0" * 64  # the bytes of another contribution
    changed = json.dumps(entry, sort_keys=True, separators=(",", ":")).encode()
    with pytest.raises(proofs.ProofError):
        proofs.verify_proof(receipt, merkle.leaf_hash(changed), [vkey], ORIGIN)
    moved = proofs.TlogProof(receipt.index + 1, receipt.proof, receipt.checkpoint, receipt.extra)
    with pytest.raises(proofs.ProofError):
        proofs.verify_proof(moved, merkle.leaf_hash(receipt.extra), [vkey], ORIGIN)


def test_without_a_key_the_page_says_receipts_need_one(client, story):
    contribution = an_earlier_contribution(story)
    answer = client.get(f"/contributions/{contribution}/receipt")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 503
    assert "Receipts need a signing key" in page and "cotrace keygen" in page and "Traceback" not in page


def test_a_contribution_whose_bytes_changed_gets_no_receipt(flask_app, client, story, vkey):
    contribution = an_earlier_contribution(story)
    services = flask_app.extensions["cotrace"]
    changed_by_hand(services, contribution)
    answer = client.get(f"/contributions/{contribution}/receipt")
    assert answer.status_code == 503
    assert "The record failed its integrity check" in answer.get_data(as_text=True)


def test_the_contributor_signed_in_gets_the_receipt_of_their_own_input(flask_app, story, vkey):
    contribution = an_earlier_contribution(story)  # Tom's
    tom = signed_in(flask_app, "participant", story.people["tom"])
    page = tom.get("/my-input").get_data(as_text=True)
    assert LINK in page and f"/contributions/{contribution}/receipt" in page
    _, entry = checked(download(tom, contribution), vkey)
    assert entry["aggregate_id"] == contribution


def test_a_participant_of_another_partnership_gets_no_receipt(flask_app, story, vkey):
    contribution = an_earlier_contribution(story)
    outsider = story.app.register_participant(story.actor, "Olly Outsider", "parent_carer")
    flask_app.extensions["cotrace"].read_models.catch_up()
    olly = signed_in(flask_app, "participant", outsider)
    assert olly.get(f"/contributions/{contribution}/receipt").status_code == 403
