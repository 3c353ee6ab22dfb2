"""The audit pack: one zip an auditor checks on their own machine, with `verify_audit_pack.py`,
trusting nothing the server says about itself (issue 13; docs/seal.md says what each part proves).

For a policy, a partnership or the whole installation, it holds:

- `events.jsonl`: the events, one JSON line each, with their stored bytes (base64) and what their leaf
  commits to; in a pack of part of the log, each with its inclusion proof to the pack's checkpoint;
- `checkpoint.txt`, signed for the pack as it is made, and `checkpoints.jsonl`, every checkpoint
  signed before, each with the consistency proof from it to the pack's;
- `verifier_key.txt`, the key that checks their signatures (an auditor should be given it apart);
- `evidence/facts.json` and `evidence/verdicts.json`: the facts the evidence engine judged, and the
  verdicts the server published from them, for each policy;
- `rules/`: the evidence rules themselves (`domain.evidence`, standard library only), so that the
  verifier judges the facts again with the very code the server ran;
- `README.txt` for the auditor, a copy of `verify_audit_pack.py`, `manifest.json` naming every file
  with its SHA-256, and `manifest.sig`, the manifest's hash signed with the log's key.

The pack is written as it is read: events a batch at a time, straight into the zip, so a pack of a
million events never sits in memory (the leaf hashes do, 32 bytes each, for the proofs).
"""

from __future__ import annotations

import base64
import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from sqlalchemy import Connection, select

import domain
import verify_audit_pack
from cotrace import checkpoints, levels, sealing
from cotrace.seal import merkle
from cotrace.seal.checkpoint import verify_checkpoint
from cotrace.seal.signed_note import NoteError, sign_note
from domain.evidence import assess_policy, facts_as_json
from projections import evidence, reads
from projections.directory_tables import (
    attendance,
    contributions,
    decisions,
    meetings,
    members,
    partnerships,
    policies,
)

FORMAT = "cotrace-audit-pack"
FORMAT_VERSION = 1
BATCH = 2000  # events read at a time
VERIFIER = Path(verify_audit_pack.__file__)
RULES = ("__init__.py", "vocabulary.py", "evidence/*.py")  # domain/, as the verifier loads it

Progress = Callable[[int, int], None]  # (events written, events in the pack)


class NotFound(LookupError):
    """No policy or partnership with that id."""


@dataclass(frozen=True)
class Scope:
    kind: str  # "installation", "partnership" or "policy"
    id: UUID | None = None
    title: str = "The whole installation"

    @property
    def whole_log(self) -> bool:
        return self.kind == "installation"


@dataclass(frozen=True)
class Made:
    scope: Scope
    events: int
    checkpoint: checkpoints.StoredCheckpoint
    policies: int


def policy_scope(conn: Connection, policy_id: UUID) -> Scope:
    title = conn.scalar(select(policies.c.title).where(policies.c.id == policy_id))
    if title is None:
        raise NotFound(f"No policy with id {policy_id}.")
    return Scope("policy", policy_id, title)


def partnership_scope(conn: Connection, partnership_id: UUID) -> Scope:
    name = conn.scalar(select(partnerships.c.name).where(partnerships.c.id == partnership_id))
    if name is None:
        raise NotFound(f"No partnership with id {partnership_id}.")
    return Scope("partnership", partnership_id, name)


def find_partnership(conn: Connection, name: str) -> UUID:
    """A partnership named by its id, or by a piece of its name that matches exactly one."""
    by_id, found = reads.matching(conn, partnerships.c.id, partnerships.c.name, name)
    if len(found) == 1:
        return found[0]
    if by_id:
        raise NotFound(f"No partnership with id {UUID(name)}.")
    many = "no partnership" if not found else f"{len(found)} partnerships"
    raise NotFound(f"{many} with '{name}' in the name: give more of the name, or the id")


def filename(scope: Scope, day: date) -> str:
    what = "installation" if scope.id is None else f"{scope.kind}-{str(scope.id)[:8]}"
    return f"cotrace-audit-pack-{what}-{day.isoformat()}.zip"


# What a scope covers.


def policy_ids(conn: Connection, scope: Scope) -> list[UUID]:
    if scope.kind == "policy":
        return [scope.id]  # type: ignore[list-item]
    query = select(policies.c.id).order_by(policies.c.title, policies.c.id)
    if scope.kind == "partnership":
        query = query.where(policies.c.partnership_id == scope.id)
    return list(conn.scalars(query))


def aggregate_ids(conn: Connection, scope: Scope) -> set[UUID] | None:
    """The records a pack of part of the log holds: its policies with their decisions and
    contributions, the meetings those were made at, and the people who made them or were there (for
    a partnership, its own record, all its meetings and members too). None: the whole log."""
    if scope.whole_log:
        return None
    ids: set[UUID] = set()
    policy_list = policy_ids(conn, scope)
    meeting_ids: set[UUID] = set()
    for chunk in _chunks(policy_list, 500):
        ids.update(chunk)
        for row in conn.execute(
            select(
                decisions.c.id, decisions.c.meeting_id, decisions.c.decided_by, decisions.c.proposed_by
            ).where(decisions.c.policy_id.in_(chunk))
        ):
            ids.add(row.id)
            ids.add(row.proposed_by)
            ids.update(UUID(str(p)) for p in row.decided_by)
            if row.meeting_id:
                meeting_ids.add(row.meeting_id)
        for row in conn.execute(
            select(contributions.c.id, contributions.c.meeting_id, contributions.c.contributor_id).where(
                contributions.c.policy_id.in_(chunk)
            )
        ):
            ids.update((row.id, row.contributor_id))
            if row.meeting_id:
                meeting_ids.add(row.meeting_id)
    if scope.kind == "partnership":
        ids.add(scope.id)  # type: ignore[arg-type]
        meeting_ids.update(conn.scalars(select(meetings.c.id).where(meetings.c.partnership_id == scope.id)))
        ids.update(conn.scalars(select(members.c.participant_id).where(members.c.partnership_id == scope.id)))
    ids.update(meeting_ids)
    for chunk in _chunks(sorted(meeting_ids), 500):
        ids.update(
            conn.scalars(select(attendance.c.participant_id).where(attendance.c.meeting_id.in_(chunk)))
        )
    return ids


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Writing the pack.


def write(services: Any, scope: Scope, out: IO[bytes] | Path, **options: Any) -> Made:
    """Writes the audit pack of `scope` to `out`: a file is written beside it and put in its place
    when whole, so a pack that failed half-way never looks like one. Raises checkpoints.NoSigningKey
    or Inconsistent, or sealing.LogTampered when an event is not as it was sealed. `options`:
    `progress`, called with (events written, events in the pack), and `settings`, when not the
    services' own."""
    if not isinstance(out, Path):
        return _write(services, scope, out, **options)
    part = out.with_name(out.name + ".part")
    try:
        made = _write(services, scope, part, **options)
        part.replace(out)
    finally:
        part.unlink(missing_ok=True)
    return made


def _write(
    services: Any,
    scope: Scope,
    out: IO[bytes] | Path,
    progress: Progress | None = None,
    settings: Any = None,
) -> Made:
    key = checkpoints.signer_of(services, settings)  # before any work: without a key there is no pack
    today = services.app.today()
    services.read_models.catch_up()
    events_table = services.app.recorder.events_record_cls.__table__
    with services.engine.connect() as conn:
        # The facts first, then the checkpoint: every event the facts point at is sealed by then.
        published = [_published(conn, policy_id, today) for policy_id in policy_ids(conn, scope)]
        wanted = aggregate_ids(conn, scope)
    signed = checkpoints.sign_checkpoint(services, settings)
    with services.engine.connect() as conn:
        hashes = checkpoints.leaf_hashes(conn, signed.size)
        tree = merkle.Tree(hashes)
        # The checkpoints this key signed: those of a key replaced since (`keygen --force`) verify
        # only with that key, which an auditor kept with them.
        earlier = [
            row
            for row in conn.execute(
                select(checkpoints.checkpoints)
                .where(checkpoints.checkpoints.c.size <= signed.size)
                .order_by(checkpoints.checkpoints.c.id)
            )
            if _signed_by(row.note, key)
        ]
        # A pack of part of the log: the sequence numbers of its events first (numbers only), then
        # the events themselves a batch at a time, in the log's order.
        chosen = None if wanted is None else _sequences(conn, events_table, wanted, signed.size)
        total = signed.size if chosen is None else len(chosen)
        files: dict[str, str] = {}
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as pack:

            def put(name: str, data: bytes) -> None:
                files[name] = hashlib.sha256(data).hexdigest()
                pack.writestr(name, data)

            digest = hashlib.sha256()
            count = 0
            with pack.open("events.jsonl", "w", force_zip64=True) as stream:
                for line in _event_lines(conn, events_table, chosen, signed.size, tree, hashes):
                    stream.write(line)
                    digest.update(line)
                    count += 1
                    if progress and count % BATCH == 0:
                        progress(count, total)
            files["events.jsonl"] = digest.hexdigest()
            if progress:
                progress(count, total)
            put("checkpoint.txt", signed.note.encode())
            put("checkpoints.jsonl", _checkpoint_lines(earlier, signed.size, tree))
            put("verifier_key.txt", (key.verifier.vkey + "\n").encode())
            put("evidence/facts.json", _json([p["facts"] for p in published]))
            put("evidence/verdicts.json", _json([p["verdicts"] for p in published]))
            for name, data in rules():
                put(f"rules/domain/{name}", data)
            put("verify_audit_pack.py", VERIFIER.read_bytes())
            put("README.txt", readme(scope, signed, key.verifier.vkey, count).encode())
            manifest = _json(
                {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "judged_on": today.isoformat(),
                    "scope": {
                        "kind": scope.kind,
                        "id": str(scope.id) if scope.id else None,
                        "title": scope.title,
                    },
                    "log": {"origin": key.name, "size": signed.size},
                    "events": {"count": count, "whole_log": scope.whole_log},
                    "files": dict(sorted(files.items())),
                }
            )
            pack.writestr("manifest.json", manifest)
            sig = sign_note(
                f"{key.name}\naudit pack manifest\nsha256 {hashlib.sha256(manifest).hexdigest()}\n", key
            )
            pack.writestr("manifest.sig", sig)
    return Made(scope, count, signed, len(published))


def check_on_server(
    services: Any, scope: Scope | None = None, settings: Any = None
) -> verify_audit_pack.Report:
    """The auditor's check, run here: the pack of `scope` (the whole installation by default),
    written to a file with no name and checked by `verify_audit_pack.py` with this installation's
    verifier key, as an auditor would check it offline. Raises what `write` raises."""
    vkey = checkpoints.signer_of(services, settings).verifier.vkey
    with tempfile.TemporaryFile() as file:
        write(services, scope or Scope("installation"), file, settings=settings)
        file.seek(0)
        return verify_audit_pack.verify(file, vkey)


def _signed_by(note: str, key: Any) -> bool:
    try:
        verify_checkpoint(note, [key.verifier], key.name)
    except NoteError:
        return False
    return True


def _published(conn: Connection, policy_id: UUID, today: date) -> dict[str, Any]:
    facts = evidence.policy_facts(conn, policy_id)
    assert facts is not None
    judged = levels.judged_by(conn, policy_id)
    found = assess_policy(facts, today, None, judged.thresholds)
    verdicts = levels.as_json(policy_id, facts.title, today, found, judged)
    return {"facts": facts_as_json(facts), "verdicts": verdicts}


def _sequences(conn: Connection, events_table: Any, wanted: set[UUID], size: int) -> list[int]:
    """The sequence numbers, in order, of the sealed events of these records below `size`. Raises
    LogTampered when a record's versions do not run 1, 2, 3...: one of its events was deleted."""
    found: list[tuple[int, Any, int]] = []
    for chunk in _chunks(sorted(wanted), 500):
        found.extend(
            conn.execute(
                select(
                    sealing.leaves.c.sequence, events_table.c.originator_id, events_table.c.originator_version
                )
                .join(events_table, sealing.leaves.c.notification_id == events_table.c.id)
                .where(events_table.c.originator_id.in_(chunk), sealing.leaves.c.sequence < size)
            ).tuples()
        )
    found.sort()
    versions: dict[Any, int] = {}
    for _sequence, record, version in found:
        if versions.get(record, 0) + 1 != version:
            raise sealing.LogTampered(
                f"Record {record} has version {version} after version {versions.get(record, 0)}: "
                "one of its events is gone from the log. No pack was made; run `cotrace verify`."
            )
        versions[record] = version
    return [sequence for sequence, _record, _version in found]


def _event_lines(
    conn: Connection,
    events_table: Any,
    chosen: list[int] | None,
    size: int,
    tree: merkle.Tree,
    hashes: list[bytes],
) -> Iterator[bytes]:
    """Each sealed event below `size`, in the log's order, as a line of JSON: the whole log as it is,
    or the `chosen` sequence numbers, each with its inclusion proof."""
    expected = 0
    for row in _sealed(conn, events_table, chosen, size):
        if chosen is None and row.sequence != expected:
            raise sealing.LogTampered(
                f"Event {expected} of the seal is gone from the log. No pack was made; run `cotrace verify`."
            )
        expected = row.sequence + 1
        stored = sealing.Stored(
            row.id, row.originator_id, row.originator_version, row.topic, bytes(row.state)
        )
        if merkle.leaf_hash(sealing.leaf_entry(row.sequence, stored)) != hashes[row.sequence]:
            raise sealing.LogTampered(
                f"Event {row.id} ({row.topic}) is not as it was sealed: no pack was made. "
                "Run `cotrace verify` to see every problem."
            )
        line = {
            "sequence": row.sequence,
            "notification_id": row.id,
            "aggregate_id": str(row.originator_id),
            "aggregate_version": row.originator_version,
            "topic": row.topic,
            "state": base64.b64encode(stored.state).decode(),
        }
        if chosen is not None:
            line["inclusion"] = [_b64(h) for h in tree.inclusion_proof(row.sequence, size)]
        yield json.dumps(line, separators=(",", ":")).encode() + b"\n"
    if chosen is None and expected != size:
        raise sealing.LogTampered(
            f"Events {expected} to {size - 1} of the seal are gone from the log. No pack was made; "
            "run `cotrace verify`."
        )


def _sealed(conn: Connection, events_table: Any, chosen: list[int] | None, size: int) -> Iterator[Any]:
    query = (
        select(events_table, sealing.leaves.c.sequence)
        .join(sealing.leaves, sealing.leaves.c.notification_id == events_table.c.id)
        .order_by(sealing.leaves.c.sequence)
    )
    if chosen is not None:
        for batch in _chunks(chosen, BATCH):  # never more than a batch of events in memory
            yield from conn.execute(query.where(sealing.leaves.c.sequence.in_(batch)))
        return
    after = -1
    while True:  # keyset pages: a million events are never read at once
        rows = conn.execute(
            query.where(sealing.leaves.c.sequence > after, sealing.leaves.c.sequence < size).limit(BATCH)
        ).all()
        yield from rows
        if len(rows) < BATCH:
            return
        after = rows[-1].sequence


def _checkpoint_lines(rows: Iterable[Any], size: int, tree: merkle.Tree) -> bytes:
    lines = []
    for row in rows:
        proof = tree.consistency_proof(row.size, size) if 0 < row.size < size else []
        lines.append(
            json.dumps(
                {
                    "size": row.size,
                    "root": _b64(bytes(row.root)),
                    "signed_at": checkpoints._utc(row.signed_at).isoformat(timespec="seconds"),
                    "note": row.note,
                    "consistency_to_pack": [_b64(h) for h in proof],
                },
                separators=(",", ":"),
            )
        )
    return "".join(line + "\n" for line in lines).encode()


def rules() -> Iterator[tuple[str, bytes]]:
    """The evidence rules' files, as the pack ships them: `domain/__init__.py`, `domain/vocabulary.py`
    and `domain/evidence/`, which import nothing but the standard library and each other."""
    root = Path(domain.__file__).resolve().parent
    for pattern in RULES:
        for path in sorted(root.glob(pattern)):
            yield path.relative_to(root).as_posix(), path.read_bytes()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _json(value: Any) -> bytes:
    return (json.dumps(value, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()


def readme(scope: Scope, signed: checkpoints.StoredCheckpoint, vkey: str, count: int) -> str:
    covers = (
        "every event this installation has stored"
        if scope.whole_log
        else f"the {count} events of the record of {scope.kind} '{scope.title}'"
    )
    heading = f"AUDIT PACK: {scope.title}"
    return README.format(
        heading=heading,
        underline="=" * len(heading),
        covers=covers,
        size=signed.size,
        signed_at=f"{signed.signed_at:%d %B %Y at %H:%M} UTC",
        vkey=vkey,
    )


README = """\
{heading}
{underline}

This pack lets you check, on your own computer and without trusting the server that made it, that
the record of co-production Cotrace keeps is complete and unaltered, and that the verdicts Cotrace
published (how far citizens were involved, and how) follow from that record.

It holds {covers}, out of a log of {size} events, as signed on {signed_at}.


HOW TO CHECK IT

1. You need Python 3.11 or newer, and its "cryptography" package:
       python3 -m pip install cryptography
2. Ask whoever runs Cotrace for the log's verifier key, by a route other than this pack (a letter, a
   phone call, a published page). It should read:
       {vkey}
   If it does not, stop: this pack was not signed by the key you were given.
3. Run, with the verifier you trust (a copy is in this pack: prefer one you obtained yourself):
       python3 verify_audit_pack.py THIS-PACK.zip --key "VERIFIER-KEY"
   Add --trusted-checkpoint FILE for each checkpoint you kept from an earlier pack or receipt, and
   --receipt FILE for each receipt a contributor gave you.

It ends with one line: PASSED, or FAILED followed by what failed and where. It takes about a
second for every 70,000 events.


WHAT EACH CHECK MEANS

- Every event's fingerprint (SHA-256) is worked out again from its stored bytes. One changed
  character anywhere changes it.
- The fingerprints are combined into one root, the way Certificate Transparency logs do it
  (RFC 9162). The root must be the one in checkpoint.txt, which the log's key signed: so these are
  exactly the events the log held, in that order, none added, none taken away. (In a pack of one
  policy or partnership, each event instead carries the short proof that it sits at its place in
  that signed log.)
- Each earlier checkpoint (checkpoints.jsonl), each one you kept, and each receipt must agree with
  the newer one: the log only ever grew, and nothing before was rewritten.
- The verdicts (evidence/verdicts.json) are judged again from the facts (evidence/facts.json) with
  the evidence rules in rules/, the very code Cotrace runs; each fact must match the event it cites.


WHAT THE PACK DOES NOT SHOW

- People's names and the words of contributions are stored encrypted: you see that they are there
  and unaltered, not what they say. Ask the partnership for the audit trail to read them.
- It cannot show what was never recorded. A decision taken and never entered is not here.
- Keep checkpoint.txt. The next pack you are given must agree with it, and the verifier will say so.


THE FILES

events.jsonl           the events, one per line, with their stored bytes (base64)
checkpoint.txt         the signed checkpoint of the log this pack was made against
checkpoints.jsonl      the checkpoints signed before, with proofs that the log only grew since
verifier_key.txt       the key the pack names for itself: compare it with the one you were given
evidence/facts.json    what the evidence engine judged, for each policy
evidence/verdicts.json the verdicts Cotrace published from those facts
rules/                 the evidence rules, as Cotrace runs them (Python, standard library only)
manifest.json          every file's fingerprint; manifest.sig is its signature by the log's key
verify_audit_pack.py   a copy of the verifier
"""
