"""The signing key and checkpoints: `cotrace keygen` writes a private key file and prints the key that
verifies what it signs; `cotrace checkpoint` signs the log as sealed, only when it extends the last
checkpoint; checkpoints, like the seal, are never rewritten."""

from __future__ import annotations

import base64
import os
import stat
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, insert, update

from cotrace import checkpoints
from cotrace.seal import merkle
from cotrace.seal.checkpoint import verify_checkpoint
from cotrace.seal.signed_note import Signer
from tests.conftest import TODAY
from tests.story import Riverside


@pytest.fixture
def story(flask_app):
    return Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY)


def settings_of(flask_app):
    return flask_app.extensions["cotrace"].settings


def vkey_from(output: str) -> str:
    lines = output.splitlines()
    return lines[lines.index("Its verifier key, for auditors to check checkpoints and receipts with:") + 1]


def test_keygen_writes_a_private_file_and_a_verifier_key_for_its_checkpoints(flask_app, runner, story):
    made = runner.invoke(["keygen"])
    assert made.exit_code == 0, made.output
    path = checkpoints.key_path(settings_of(flask_app))
    assert path == flask_app.extensions["cotrace"].settings.instance_path / "signing_key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text().startswith("PRIVATE+KEY+127.0.0.1/cotrace+")
    vkey = vkey_from(made.output)
    assert vkey.startswith("127.0.0.1/cotrace+")

    signed = runner.invoke(["checkpoint"])
    assert signed.exit_code == 0, signed.output
    note = signed.output[signed.output.index("127.0.0.1/cotrace\n") :]
    checkpoint = verify_checkpoint(note, [vkey], "127.0.0.1/cotrace")
    with flask_app.extensions["cotrace"].engine.connect() as conn:
        hashes = checkpoints.leaf_hashes(conn)
    assert checkpoint.size == len(hashes) > 0
    assert checkpoint.root == merkle.root(hashes)


def test_keygen_refuses_to_overwrite_a_key_unless_forced(flask_app, runner):
    first = runner.invoke(["keygen", "--origin", "cotrace.example/riverside"])
    assert first.exit_code == 0
    assert "set COTRACE_LOG_ORIGIN=cotrace.example/riverside" in first.output
    path = checkpoints.key_path(settings_of(flask_app))
    kept = path.read_text()
    again = runner.invoke(["keygen"])
    assert again.exit_code == 1
    assert "already exists" in again.output and "--force" in again.output
    assert path.read_text() == kept
    forced = runner.invoke(["keygen", "--force"])
    assert forced.exit_code == 0 and path.read_text() != kept
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_checkpoint_without_a_key_says_to_run_keygen(runner, story):
    refused = runner.invoke(["checkpoint"])
    assert refused.exit_code == 1
    assert "There is no signing key" in refused.output and "cotrace keygen" in refused.output


def test_a_key_for_another_log_is_refused_plainly(flask_app, runner, story):
    runner.invoke(["keygen", "--origin", "elsewhere.example/log"])
    refused = runner.invoke(["checkpoint"])
    assert refused.exit_code == 1 and "COTRACE_LOG_ORIGIN=elsewhere.example/log" in refused.output


def test_consecutive_checkpoints_are_consistent(flask_app, runner, story):
    services = flask_app.extensions["cotrace"]
    runner.invoke(["keygen"])
    first = checkpoints.sign_checkpoint(services)
    assert first.new
    same = checkpoints.sign_checkpoint(services)
    assert not same.new and same.note == first.note  # nothing new to sign
    story.decide()
    second = checkpoints.sign_checkpoint(services)
    assert second.new and second.size > first.size
    with services.engine.connect() as conn:
        hashes = checkpoints.leaf_hashes(conn)
        assert checkpoints.latest(conn).note == second.note
    proof = merkle.consistency_proof(hashes, first.size, second.size)
    assert merkle.verify_consistency(first.size, second.size, first.root, second.root, proof)


def test_a_checkpoint_that_the_log_does_not_extend_is_refused(flask_app, runner, story):
    services = flask_app.extensions["cotrace"]
    runner.invoke(["keygen"])
    with services.engine.connect() as conn:
        size = len(checkpoints.leaf_hashes(conn))
    # The leaves cannot be rewritten, so a rewritten history shows as a stored checkpoint whose
    # root is not the root of the log's first events.
    wrong = merkle.leaf_hash(b"another history")
    with services.engine.begin() as conn:
        conn.execute(
            insert(checkpoints.checkpoints).values(
                size=size - 2, root=wrong, note="forged\n", signed_at=datetime.now(UTC)
            )
        )
    story.decide()
    refused = runner.invoke(["checkpoint"])
    assert refused.exit_code == 1
    assert f"does not extend the checkpoint of {size - 2} events" in refused.output
    with services.engine.connect() as conn:
        assert checkpoints.latest(conn).note == "forged\n"  # nothing signed on top of it


def test_same_size_with_another_root_is_refused(flask_app, runner, story):
    services = flask_app.extensions["cotrace"]
    runner.invoke(["keygen"])
    with services.engine.connect() as conn:
        size = len(checkpoints.leaf_hashes(conn))
    with services.engine.begin() as conn:
        conn.execute(
            insert(checkpoints.checkpoints).values(
                size=size, root=b"\1" * 32, note="forged\n", signed_at=datetime.now(UTC)
            )
        )
    with pytest.raises(checkpoints.Inconsistent):
        checkpoints.sign_checkpoint(services)


def test_checkpoints_refuse_to_be_changed_or_deleted(flask_app, runner, story):
    services = flask_app.extensions["cotrace"]
    runner.invoke(["keygen"])
    signed = checkpoints.sign_checkpoint(services)
    for statement in (update(checkpoints.checkpoints).values(size=0), delete(checkpoints.checkpoints)):
        with pytest.raises(Exception, match="append-only"), services.engine.begin() as conn:
            conn.execute(statement)
    with services.engine.connect() as conn:
        assert checkpoints.latest(conn).note == signed.note


def test_the_origin_is_the_base_urls_host_unless_set(flask_app):
    settings = settings_of(flask_app)
    assert checkpoints.log_origin(settings) == "127.0.0.1/cotrace"
    served = type(settings).load({"BASE_URL": "https://cotrace.example.org:8443/x"}, settings.instance_path)
    assert checkpoints.log_origin(served) == "cotrace.example.org/cotrace"
    named = type(settings).load({"LOG_ORIGIN": "riverside.example/log"}, settings.instance_path)
    assert checkpoints.log_origin(named) == "riverside.example/log"


def test_the_signer_reads_the_key_keygen_wrote(flask_app):
    vkey = checkpoints.keygen(settings_of(flask_app))
    signer = checkpoints.signer(settings_of(flask_app))
    assert isinstance(signer, Signer) and signer.verifier.vkey == vkey
    assert base64.b64decode(vkey.split("+", 2)[2])[0] == 1  # an Ed25519 key
