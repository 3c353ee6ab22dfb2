"""The audit pack and its standalone verifier: a pack of the whole log, of a partnership or of a policy
passes every check; a pack tampered with after it was made, a server that publishes facts the events do
not say or verdicts the rules do not give, a trusted checkpoint the log no longer extends, a receipt for
a changed contribution: each fails, and the verifier names what and where."""

from __future__ import annotations

import base64
import io
import json
import random
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import delete, select, update

import verify_audit_pack
from cotrace import audit_pack, checkpoints, erasure, sealing
from cotrace.demo import load_demo
from cotrace.seal.checkpoint import Checkpoint, sign_checkpoint
from cotrace.seal.signed_note import generate_key
from domain.errors import RulesBroken
from projections import directory_tables, evidence
from tests import import_checks

VERIFIER = Path(verify_audit_pack.__file__)


@pytest.fixture
def services(flask_app):
    return flask_app.extensions["cotrace"]


def vkey_from(output: str) -> str:
    lines = output.splitlines()
    return lines[lines.index("Its verifier key, for auditors to check checkpoints and receipts with:") + 1]


@pytest.fixture
def vkey(runner):
    made = runner.invoke(["keygen"])
    assert made.exit_code == 0, made.output
    return vkey_from(made.output)


@pytest.fixture
def demo(services, admin_id):
    return services.run(lambda app, actor: load_demo(app, actor, app.today()), admin_id)


def policy_id(services, title: str):
    with services.engine.connect() as conn:
        return conn.scalar(select(evidence.policies.c.id).where(evidence.policies.c.title == title))


EHE = "Elective Home Education Policy"


def pack_of(services, scope=None) -> bytes:
    out = io.BytesIO()
    audit_pack.write(services, scope or audit_pack.Scope("installation"), out)
    return out.getvalue()


def scope_of_policy(services, title: str = EHE):
    with services.engine.connect() as conn:
        return audit_pack.policy_scope(conn, policy_id(services, title))


def check(data: bytes, vkey: str | None, **kwargs: Any) -> verify_audit_pack.Report:
    return verify_audit_pack.verify(io.BytesIO(data), vkey, **kwargs)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as pack:
        return {name: pack.read(name) for name in pack.namelist()}


def rezipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as pack:
        for name, data in files.items():
            pack.writestr(name, data)
    return out.getvalue()


def test_the_pack_of_the_whole_log_passes_every_check(services, vkey, demo):
    data = pack_of(services)
    report = check(data, vkey)
    assert report.ok, report.text()
    passed = "\n".join(report.passed)
    assert "the tree of all" in passed and "has the root checkpoint.txt signs" in passed
    for title in (EHE, "SEND Strategy 2025-2030", "SEND Strategy 2020-2025"):
        assert f"policy '{title}': the verdicts judged again agree with those published" in passed
    files = members(data)
    assert set(files) >= {
        "README.txt",
        "manifest.json",
        "manifest.sig",
        "events.jsonl",
        "checkpoint.txt",
        "checkpoints.jsonl",
        "verifier_key.txt",
        "evidence/facts.json",
        "evidence/verdicts.json",
        "rules/domain/evidence/level.py",
        "rules/domain/vocabulary.py",
        "verify_audit_pack.py",
    }
    assert files["verifier_key.txt"].decode().strip() == vkey
    assert "HOW TO CHECK IT" in files["README.txt"].decode()


def test_a_pack_of_a_policy_or_a_partnership_proves_each_event_in_the_whole_log(services, vkey, demo):
    scope = scope_of_policy(services)
    data = pack_of(services, scope)
    report = check(data, vkey)
    assert report.ok, report.text()
    lines = members(data)["events.jsonl"].splitlines()
    with services.engine.connect() as conn:
        whole = conn.scalar(select(sealing.leaves.c.sequence).order_by(sealing.leaves.c.sequence.desc())) + 1
    assert 0 < len(lines) < whole
    assert all("inclusion" in json.loads(line) for line in lines)
    assert [p["title"] for p in json.loads(members(data)["evidence/facts.json"])] == [EHE]

    with services.engine.connect() as conn:
        partnership_id = conn.scalar(
            select(evidence.policies.c.partnership_id).where(evidence.policies.c.id == scope.id)
        )
        wider = audit_pack.partnership_scope(conn, partnership_id)
    report = check(pack_of(services, wider), vkey)
    assert report.ok, report.text()


def test_a_pack_with_a_corrected_response_checks_the_fact_against_the_correction(
    services, vkey, demo, admin_id
):
    """The corrected response is what is judged: the fact cites the correction, which says the
    response as it now stands and the day it was given, and the verdicts judged again agree."""
    policy = policy_id(services, EHE)
    contributions = directory_tables.contributions
    with services.engine.connect() as conn:
        answered = conn.execute(
            select(contributions.c.id, contributions.c.response)
            .where(contributions.c.policy_id == policy, contributions.c.response.is_not(None))
            .order_by(contributions.c.position)
        ).first()
    corrected = "not_adopted" if answered.response != "not_adopted" else "adopted"
    services.run(
        lambda app, actor: app.correct_response(
            actor, answered.id, corrected, "Not within the policy's reach", "Recorded wrong", app.today()
        ),
        admin_id,
    )
    data = pack_of(services, scope_of_policy(services))
    report = check(data, vkey)
    assert report.ok, report.text()
    [facts] = json.loads(members(data)["evidence/facts.json"])
    [fact] = [c for c in facts["contributions"] if c["id"] == str(answered.id)]
    assert fact["response"] == corrected


def test_a_pack_after_a_meetings_date_was_corrected_checks_each_moved_date_against_its_move(
    services, vkey, demo, admin_id
):
    """A meeting's date corrected after its decisions were recorded: each decision's fact is judged
    on the corrected date, cites the `Redated` event that says it, and the verdicts judged again
    from the pack agree with those published."""
    policy = policy_id(services, EHE)
    decisions = directory_tables.decisions
    with services.engine.connect() as conn:
        meetings = list(
            conn.execute(
                select(decisions.c.meeting_id, decisions.c.happened_on)
                .where(decisions.c.policy_id == policy, decisions.c.meeting_id.is_not(None))
                .distinct()
                .order_by(decisions.c.happened_on)
            )
        )
    moved = None
    for meeting in meetings:  # the first of the policy's meetings whose date can move a day
        for days in (-1, 1):
            day = meeting.happened_on + timedelta(days=days)
            try:
                services.run(
                    lambda app, actor, m=meeting, d=day: app.correct_meeting(
                        actor, m.meeting_id, d, "Library", "Typed the wrong day", app.today()
                    ),
                    admin_id,
                )
            except RulesBroken:
                continue
            moved = (meeting.meeting_id, day)
            break
        if moved:
            break
    assert moved is not None, "no meeting of the demo's policy could move a day"
    data = pack_of(services, scope_of_policy(services))
    report = check(data, vkey)
    assert report.ok, report.text()
    with services.engine.connect() as conn:
        ids = {str(i) for i in conn.scalars(select(decisions.c.id).where(decisions.c.meeting_id == moved[0]))}
    [facts] = json.loads(members(data)["evidence/facts.json"])
    facts_moved = [d for d in facts["decisions"] if d["id"] in ids]
    assert facts_moved and all(d["happened_on"] == moved[1].isoformat() for d in facts_moved)
    assert all(d["dated_ref"] is not None for d in facts_moved)


def test_a_pack_with_a_corrected_group_checks_the_facts_by_the_corrected_group(
    services, vkey, demo, admin_id
):
    """A group recorded wrong was never true: the facts count the person in the corrected group,
    for what they did before it too, and the verifier reads the correction in the log."""
    policy = policy_id(services, EHE)
    tables = directory_tables
    with services.engine.connect() as conn:
        partnership = conn.scalar(
            select(tables.policies.c.partnership_id).where(tables.policies.c.id == policy)
        )
        made = conn.scalars(
            select(tables.decisions.c.decided_by).where(tables.decisions.c.policy_id == policy)
        )
        maker = UUID(next(iter(made))[0])
        was = conn.scalar(
            select(tables.participants.c.stakeholder_group).where(tables.participants.c.id == maker)
        )
    corrected = "health" if was != "health" else "parent_carer"
    services.run(
        lambda app, actor: app.correct_member_group(
            actor, partnership, maker, corrected, "Recorded as the wrong group", app.today()
        ),
        admin_id,
    )
    data = pack_of(services, scope_of_policy(services))
    report = check(data, vkey)
    assert report.ok, report.text()
    [facts] = json.loads(members(data)["evidence/facts.json"])
    assert any(corrected in d["maker_groups"] for d in facts["decisions"])


def test_the_verifier_says_which_key_it_trusted_when_given_none(services, vkey, demo):
    report = verify_audit_pack.verify(io.BytesIO(pack_of(services)))
    assert report.ok
    assert any("the one the pack names for itself" in note for note in report.notes)


def test_another_key_than_the_one_given_fails_the_pack(services, vkey, demo, tmp_path):
    data = pack_of(services)
    _, stranger = generate_key(vkey.split("+")[0])  # a new key, for the same log name
    report = check(data, stranger)
    assert not report.ok
    assert "is not signed by the key" in report.text()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the pack is the same from either
def test_every_one_of_a_thousand_random_changes_to_a_pack_is_caught(services, vkey, demo):
    original = members(pack_of(services))
    whole_events = original["events.jsonl"].splitlines(keepends=True)
    policy = members(pack_of(services, scope_of_policy(services)))
    rng = random.Random(20261202)
    for attempt in range(1000):
        files = dict(rng.choice([original, policy]))
        lines = list(files["events.jsonl"].splitlines(keepends=True))
        kind = rng.choice(["edit", "delete", "insert", "reorder", "other file"])
        if kind == "edit":
            n = rng.randrange(len(lines))
            line = bytearray(lines[n])
            at = rng.randrange(len(line) - 1)  # not the newline
            line[at] = rng.choice([c for c in b'0123456789abcdefABCDEF+/=:,"{}' if c != line[at]])
            lines[n] = bytes(line)
        elif kind == "delete":
            del lines[rng.randrange(len(lines))]
        elif kind == "insert":
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(whole_events))
        elif kind == "reorder":
            a, b = rng.sample(range(len(lines)), 2)
            lines[a], lines[b] = lines[b], lines[a]
        else:
            name = rng.choice([n for n in files if n not in ("events.jsonl", "manifest.sig")])
            data = bytearray(files[name])
            at = rng.randrange(len(data))
            data[at] = (data[at] + rng.randrange(1, 255)) % 256
            files[name] = bytes(data)
        files["events.jsonl"] = b"".join(lines)
        if files == (original if files.keys() == original.keys() else policy):
            continue  # a swap of two identical lines, or an insertion of a line just like its neighbour
        report = check(rezipped(files), vkey)
        assert not report.ok, (attempt, kind)
        if kind != "other file":
            # Caught by the events themselves, not only by the manifest's fingerprint of the file.
            beyond = [f for f in report.failures if "is not as the manifest says" not in f]
            assert beyond, (attempt, kind, report.failures)


def test_a_server_that_publishes_facts_the_events_do_not_say_is_caught(services, vkey, demo, monkeypatch):
    published = audit_pack._published

    def lying(conn, policy, today):
        found = published(conn, policy, today)
        for contribution in found["facts"]["contributions"]:
            contribution["group"] = "home_educator"  # every voice a citizen's
        return found

    monkeypatch.setattr(audit_pack, "_published", lying)
    report = check(pack_of(services, scope_of_policy(services)), vkey)
    assert not report.ok
    assert "the fact's group is 'home_educator'" in report.text()


def test_a_server_that_publishes_a_verdict_its_rules_do_not_give_is_caught(services, vkey, demo, monkeypatch):
    published = audit_pack._published

    def flattering(conn, policy, today):
        found = published(conn, policy, today)
        for assessment in found["verdicts"]["assessments"]:
            assessment["level"] = "transformational"
        return found

    monkeypatch.setattr(audit_pack, "_published", flattering)
    report = check(pack_of(services, scope_of_policy(services)), vkey)
    assert not report.ok
    assert f"policy '{EHE}': Whole policy: published level transformational, judged again intermediate" in (
        report.failures
    )


def test_the_verdicts_judged_with_your_own_copy_of_the_rules(services, vkey, demo, tmp_path):
    rules = Path(evidence.__file__).resolve().parent.parent / "domain"
    report = check(pack_of(services), vkey, rules=rules)
    assert report.ok, report.text()
    assert any("(your copy)" in note for note in report.notes)


def test_a_trusted_checkpoint_passes_while_the_log_only_grows(services, vkey, demo, admin_id):
    first = checkpoints.sign_checkpoint(services)
    services.run(lambda app, actor: app.register_participant(actor, "Noor", "parent_carer"), admin_id)
    for scope in (audit_pack.Scope("installation"), scope_of_policy(services)):
        report = check(pack_of(services, scope), vkey, trusted=[("kept.txt", first.note)])
        assert report.ok, report.text()
        assert any("your trusted checkpoint kept.txt" in p for p in report.passed)


def test_a_trusted_checkpoint_of_another_history_fails(services, vkey, demo, admin_id):
    # A note the log's key signed for a tree of the same size with another root: two histories.
    size = checkpoints.sign_checkpoint(services).size
    forged = sign_checkpoint(
        Checkpoint(vkey.split("+")[0], size, b"\x07" * 32), checkpoints.signer(services.settings)
    )
    services.run(lambda app, actor: app.register_participant(actor, "Noor", "parent_carer"), admin_id)
    report = check(pack_of(services), vkey, trusted=[("kept.txt", forged)])
    assert not report.ok
    assert f"the root of the first {size} events is not the one your trusted checkpoint kept.txt signs" in (
        report.text()
    )
    report = check(pack_of(services, scope_of_policy(services)), vkey, trusted=[("kept.txt", forged)])
    assert not report.ok


def test_a_receipt_checks_against_a_later_pack_and_a_changed_one_does_not(services, vkey, demo, admin_id):
    with services.engine.connect() as conn:
        contribution = conn.scalar(select(evidence.contributions.c.id).limit(1))
    receipt = checkpoints.receipt(services, contribution).text
    services.run(lambda app, actor: app.register_participant(actor, "Noor", "parent_carer"), admin_id)
    whole = pack_of(services)
    report = check(whole, vkey, receipts=[("mine.tlog-proof", receipt)])
    assert report.ok, report.text()
    assert any("the receipt mine.tlog-proof: event" in p for p in report.passed)

    lines = receipt.split("\n")
    entry = json.loads(verify_audit_pack.b64(lines[1][6:], "entry"))
    entry["state_sha256"] = "0" * 64  # the contribution as it would be if its words were changed
    lines[1] = "extra " + base64.b64encode(json.dumps(entry, separators=(",", ":")).encode()).decode()
    report = check(whole, vkey, receipts=[("changed.tlog-proof", "\n".join(lines))])
    assert not report.ok
    assert "the receipt changed.tlog-proof does not prove its entry" in report.text()


def test_a_log_changed_in_the_database_makes_no_pack(services, vkey, demo):
    events = services.app.recorder.events_record_cls.__table__
    with services.engine.begin() as conn:
        state = conn.scalar(select(events.c.state).where(events.c.id == 20))
        conn.execute(
            update(events).where(events.c.id == 20).values(state=bytes(state).replace(b"}", b" }", 1))
        )
    with pytest.raises(sealing.LogTampered):
        pack_of(services)


def test_erasing_a_participant_leaves_every_check_passing(services, vkey, demo, admin_id):
    before = checkpoints.sign_checkpoint(services)
    with services.engine.connect() as conn:
        contributor = conn.scalar(select(directory_tables.contributions.c.contributor_id).limit(1))
    erasure.erase_participant(services, admin_id, contributor)
    for scope in (audit_pack.Scope("installation"), scope_of_policy(services)):
        report = check(pack_of(services, scope), vkey, trusted=[("before.txt", before.note)])
        assert report.ok, report.text()


def test_the_verifier_runs_alone_from_a_folder_of_its_own(services, vkey, demo, tmp_path):
    # Nothing of Cotrace on its path: a copy of the file, a pack, and Python in isolated mode.
    alone = tmp_path / "auditor"
    alone.mkdir()
    (alone / "verify_audit_pack.py").write_bytes(VERIFIER.read_bytes())
    (alone / "pack.zip").write_bytes(pack_of(services))
    run = subprocess.run(
        [sys.executable, "-I", "verify_audit_pack.py", "pack.zip", "--key", vkey],
        cwd=alone,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().endswith("PASSED: every check passed.")
    (alone / "pack.zip").write_bytes(b"not a zip")
    run = subprocess.run(
        [sys.executable, "-I", "verify_audit_pack.py", "pack.zip"], cwd=alone, capture_output=True, text=True
    )
    assert run.returncode == 1
    assert "the pack is not a readable zip file" in run.stdout


def test_the_verifier_imports_only_the_standard_library_and_cryptography():
    allowed = import_checks.within("verify_audit_pack", "cryptography")
    assert import_checks.outside_imports(VERIFIER.read_text(), "verify_audit_pack", allowed) == []


def test_progress_is_shown_on_a_large_pack(services, vkey, demo, monkeypatch):
    monkeypatch.setattr(verify_audit_pack, "PROGRESS_EVERY", 50)
    shown = io.StringIO()
    report = check(pack_of(services), vkey, progress=shown)
    assert report.ok
    assert "checked 50 of" in shown.getvalue()


def test_the_command_writes_a_pack_and_refuses_what_it_cannot_do(runner, services, demo, tmp_path):
    out = tmp_path / "pack.zip"
    refused = runner.invoke(["audit-pack", str(out)])
    assert refused.exit_code != 0 and "There is no signing key" in refused.output
    assert not out.exists() and not list(tmp_path.glob("*.part"))
    made = runner.invoke(["keygen"])
    vkey = vkey_from(made.output)
    done = runner.invoke(["audit-pack", str(out), "--policy", "Elective"])
    assert done.exit_code == 0, done.output
    assert f"Wrote the audit pack of {EHE}" in done.output
    assert check(out.read_bytes(), vkey).ok
    again = runner.invoke(["audit-pack", str(out)])
    assert again.exit_code != 0 and "exists already" in again.output
    assert runner.invoke(["audit-pack", str(out), "--force"]).exit_code == 0
    assert (
        "no partnership with 'nowhere'"
        in runner.invoke(["audit-pack", str(tmp_path / "y.zip"), "--partnership", "nowhere"]).output
    )


def test_an_event_deleted_from_the_log_makes_no_pack_of_the_log_nor_of_its_policy(services, vkey, demo):
    events = services.app.recorder.events_record_cls.__table__
    policy = policy_id(services, EHE)
    with services.engine.begin() as conn:
        first = conn.scalar(
            select(events.c.id).where(events.c.originator_id == policy, events.c.originator_version == 2)
        )
        conn.execute(delete(events).where(events.c.id == first))
    with pytest.raises(sealing.LogTampered, match="gone from the log"):
        pack_of(services)
    with pytest.raises(sealing.LogTampered, match="version 3 after version 1"):
        pack_of(services, scope_of_policy(services))


def test_services_without_settings_have_no_key_to_sign_a_pack(services, demo, tmp_path):
    services.settings, kept = None, services.settings
    try:
        with pytest.raises(checkpoints.NoSigningKey):
            audit_pack.write(services, audit_pack.Scope("installation"), tmp_path / "out" / "pack.zip")
    finally:
        services.settings = kept
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "field, value",
    [
        ("aggregate_id", 7),
        ("topic", 7),
        ("sequence", "0"),
        ("aggregate_version", "1"),
        ("notification_id", True),
    ]
    + [("state", base64.b64encode(b"[1, 2]").decode()), ("state", None), ("inclusion", "x")],
)
def test_an_event_of_the_wrong_shape_fails_the_pack_and_never_crashes_the_verifier(
    services, vkey, demo, field, value
):
    # A pack of the whole log has no inclusion proofs to spoil: its root is recomputed instead.
    for scope in ([] if field == "inclusion" else [None]) + [scope_of_policy(services)]:
        files = members(pack_of(services, scope))
        lines = files["events.jsonl"].splitlines(keepends=True)
        event = json.loads(lines[3])
        event[field] = value
        lines[3] = json.dumps(event).encode() + b"\n"
        files["events.jsonl"] = b"".join(lines)
        report = check(rezipped(files), vkey)
        assert not report.ok
        # Named where it is, by a check of the events, not by the last resort against the unforeseen.
        assert any("line 4" in f or "event 3 " in f for f in report.failures), report.failures
        assert not any("could not be checked" in f for f in report.failures), report.failures


def test_a_pack_signed_after_the_key_was_replaced_passes_with_the_new_key(runner, services, vkey, demo):
    checkpoints.sign_checkpoint(services)  # signed with the key replaced below
    made = runner.invoke(["keygen", "--force"])
    assert made.exit_code == 0, made.output
    new = vkey_from(made.output)
    data = pack_of(services)
    report = check(data, new)
    assert report.ok, report.text()
    assert members(data)["checkpoints.jsonl"].count(b"\n") == 1  # the new key's own, not the old one's


def test_a_checkpoint_is_refused_for_a_log_not_as_sealed(runner, services, vkey, demo):
    events = services.app.recorder.events_record_cls.__table__
    with services.engine.begin() as conn:
        state = conn.scalar(select(events.c.state).where(events.c.id == 20))
        conn.execute(update(events).where(events.c.id == 20).values(state=bytes(state) + b" "))
    refused = runner.invoke(["checkpoint"])
    assert refused.exit_code == 1
    assert "Event 20" in refused.output and "no checkpoint was signed" in refused.output


def test_the_command_says_plainly_when_the_folder_for_the_pack_is_not_there(
    runner, services, vkey, demo, tmp_path
):
    refused = runner.invoke(["audit-pack", "/nowhere/at/all/pack.zip"])
    assert refused.exit_code == 1
    assert "There is no folder /nowhere/at/all to write the pack in." in refused.output
    assert "Traceback" not in refused.output
    assert "Name the record" in runner.invoke(["audit-pack", str(tmp_path / "x.zip"), "--policy", ""]).output
    assert not (tmp_path / "x.zip").exists()


def test_a_deleted_event_is_named_once_and_a_pack_older_than_a_kept_checkpoint_is_said_so(
    services, vkey, demo, admin_id
):
    old = pack_of(services)
    files = members(old)
    lines = files["events.jsonl"].splitlines(keepends=True)
    del lines[10]
    files["events.jsonl"] = b"".join(lines)
    report = check(rezipped(files), vkey)
    gaps = [f for f in report.failures if "the sequence is not dense" in f]
    assert gaps == [
        "event 11 (" + json.loads(lines[10])["topic"] + ", events.jsonl line 11): event 10 is "
        "missing before it; the sequence is not dense"
    ]
    services.run(lambda app, actor: app.register_participant(actor, "Noor", "parent_carer"), admin_id)
    later = checkpoints.sign_checkpoint(services)
    report = check(old, vkey, trusted=[("later.txt", later.note)])
    assert not report.ok
    assert "the pack was made before that checkpoint (ask for a newer pack)" in report.text()


def test_a_pack_checked_with_its_own_key_says_what_that_leaves_unproven(services, vkey, demo):
    report = verify_audit_pack.verify(io.BytesIO(pack_of(services)))
    assert report.ok
    assert report.text().rstrip().endswith("checking again with --key and the verifier key you were given.")
    assert check(pack_of(services), vkey).text().rstrip().endswith("PASSED: every check passed.")
