#!/usr/bin/env python3
"""Check a Cotrace audit pack on your own machine, trusting nothing the server says about itself.

    python3 verify_audit_pack.py PACK.zip [--key VERIFIER-KEY] [--trusted-checkpoint FILE ...]
                                         [--receipt FILE ...] [--rules DIR] [--quiet]

One file, with nothing of Cotrace in it: the standard library, and the `cryptography` package for
Ed25519. It checks, and names what fails and where:

- every file against the manifest, and the manifest's signature by the log's key;
- the signed checkpoint (C2SP tlog-checkpoint, a C2SP signed-note), and that every earlier checkpoint
  in the pack, every one you kept (--trusted-checkpoint) and every receipt's (--receipt) is consistent
  with it: the log only grew (RFC 9162 consistency proofs, or the roots recomputed from the events);
- every event: its bytes hashed again, its leaf rebuilt from them, its sequence number dense from 0,
  each record's versions 1, 2, 3...; in a pack of the whole log, the tree's root recomputed and
  compared with the signed one; in a pack of part of it, each event's inclusion proof;
- each receipt: its entry is in the signed log at its index (C2SP tlog-proof);
- the verdicts: each fact must say what the event it cites says, and the facts are judged again
  with the evidence rules the pack ships (`rules/`, or your own copy with --rules), the same code
  the server runs, and compared with the verdicts the server published.

It prints PASSED or FAILED on its last line, and exits 0 only when every check passed.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import importlib.abc
import importlib.util
import json
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover - said plainly, rather than as a traceback
    sys.exit("This verifier needs the 'cryptography' package: python3 -m pip install cryptography")

FORMAT = "cotrace-audit-pack"
PROOF_HEADER = "c2sp.org/tlog-proof@v1"
DASH = "\N{EM DASH} "
PROGRESS_EVERY = 100_000  # events between two lines of progress
MAX_LISTED = 25  # failures named one by one; the rest are counted
SIGNED_FILES = ("manifest.json", "manifest.sig")


class Failed(Exception):
    """A check that cannot go on: what failed, in words."""


# Hashes and the tree (RFC 9162, section 2.1), written afresh here, apart from the server's code.


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right)


class Frontier:
    """The roots of the perfect subtrees of a tree growing from 0 leaves: O(log n) hashes."""

    def __init__(self) -> None:
        self.stack: list[bytes] = []
        self.size = 0

    def add(self, leaf: bytes) -> None:
        stack, carry, pending = self.stack, leaf, self.size
        while pending & 1:
            carry = hashlib.sha256(b"\x01" + stack.pop() + carry).digest()
            pending >>= 1
        stack.append(carry)
        self.size += 1

    def root(self) -> bytes:
        if not self.stack:
            return sha256(b"")
        result = self.stack[-1]
        for left in reversed(self.stack[:-1]):
            result = node(left, result)
        return result


def included(leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162, 2.1.3.2: whether `proof` puts `leaf` at `index` in the tree (`size`, `root`)."""
    if not 0 <= index < size or not all(len(h) == 32 for h in (leaf, root, *proof)):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def consistent(first: int, second: int, first_root: bytes, second_root: bytes, proof: list[bytes]) -> bool:
    """RFC 9162, 2.1.4.2: whether `proof` shows tree (`first`) is a prefix of tree (`second`). From
    the empty tree there is nothing to prove, and a proof of it is refused, as the reference
    implementation refuses it: the caller knows every tree extends the empty one."""
    if first == 0 or first > second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if not all(len(h) == 32 for h in (first_root, second_root, *proof)):
        return False
    if first & (first - 1) == 0:
        proof = [first_root, *proof]
    if not proof:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


# Keys, signed notes and checkpoints (C2SP signed-note and tlog-checkpoint).


def b64(text: str, what: str) -> bytes:
    try:  # canonical base64, the usual case, in one strict pass; anything else is judged below
        data = binascii.a2b_base64(text, strict_mode=True)
        if binascii.b2a_base64(data, newline=False) == text.encode("ascii"):
            return data
    except (binascii.Error, ValueError, TypeError, AttributeError):
        pass
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Failed(f"{what} is not base64") from None
    if base64.b64encode(data).decode() != text:
        raise Failed(f"{what} is not in canonical base64")
    return data


@dataclass(frozen=True)
class Key:
    name: str
    key_id: bytes
    public: bytes

    @classmethod
    def read(cls, vkey: str) -> Key:
        parts = vkey.strip().split("+", 2)
        if len(parts) != 3 or not parts[0] or len(parts[1]) != 8:
            raise Failed("a verifier key reads <name>+<8 hex digits>+<base64 key>")
        typed = b64(parts[2], "the verifier key")
        if len(typed) != 33 or typed[0] != 1:
            raise Failed("the verifier key is not an Ed25519 key")
        key_id = sha256(parts[0].encode() + b"\n" + typed)[:4]
        if key_id.hex() != parts[1]:
            raise Failed(
                "the verifier key's ID does not match its name and key: check it was copied whole and exactly"
            )
        return cls(parts[0], key_id, typed[1:])

    def check(self, note: str, what: str) -> str:
        """The text of `note`, once this key's signature on it verifies; Failed otherwise."""
        split = note.rfind("\n\n")
        if split < 0 or not note.endswith("\n"):
            raise Failed(f"{what} is not a signed note")
        text, lines = note[: split + 1], note[split + 2 : -1].split("\n")
        for line in lines:
            if not line.startswith(DASH):
                raise Failed(f"{what} has a malformed signature line")
            name, _, encoded = line[len(DASH) :].partition(" ")
            raw = b64(encoded, f"a signature of {what}")
            if name != self.name or raw[:4] != self.key_id:
                continue  # another key's signature (a witness, say): not ours to judge
            try:
                Ed25519PublicKey.from_public_bytes(self.public).verify(raw[4:], text.encode())
            except (InvalidSignature, ValueError):
                raise Failed(f"the log key's signature of {what} does not verify") from None
            return text
        raise Failed(f"{what} is not signed by the key {self.name}+{self.key_id.hex()}")


@dataclass(frozen=True)
class Checkpoint:
    size: int
    root: bytes
    note: str


def read_checkpoint(note: str, key: Key, what: str) -> Checkpoint:
    lines = key.check(note, what)[:-1].split("\n")
    if len(lines) < 3:
        raise Failed(f"{what} does not have an origin, a size and a root")
    origin, size, root = lines[:3]
    if origin != key.name:
        raise Failed(f"{what} is of the log {origin!r}, not {key.name!r}")
    if not size.isdigit() or not size.isascii() or (size != "0" and size.startswith("0")):
        raise Failed(f"{what} has a malformed tree size")
    root_hash = b64(root, f"the root of {what}")
    if len(root_hash) != 32:
        raise Failed(f"the root of {what} is not 32 bytes")
    return Checkpoint(int(size), root_hash, note)


@dataclass(frozen=True)
class Receipt:
    name: str
    index: int
    leaf: bytes
    entry: dict[str, Any]
    checkpoint: Checkpoint


def read_receipt(text: str, key: Key, name: str) -> Receipt:
    """A C2SP tlog-proof: header, extra (the leaf's JSON), index, proof hashes, blank line, checkpoint."""
    head, blank, note = text.partition("\n\n")
    lines = head.split("\n")
    if not blank or lines[0] != PROOF_HEADER:
        raise Failed(f"the receipt {name} is not a tlog-proof")
    if len(lines) < 3 or not lines[1].startswith("extra ") or not lines[2].startswith("index "):
        raise Failed(f"the receipt {name} does not carry its entry and index")
    entry = b64(lines[1][6:], f"the entry of the receipt {name}")
    index = lines[2][6:]
    if not index.isdigit() or (index != "0" and index.startswith("0")):
        raise Failed(f"the receipt {name} has a malformed index")
    proof = [b64(line, f"a proof line of the receipt {name}") for line in lines[3:]]
    checkpoint = read_checkpoint(note, key, f"the checkpoint of the receipt {name}")
    leaf = leaf_hash(entry)
    if not included(leaf, int(index), checkpoint.size, proof, checkpoint.root):
        raise Failed(f"the receipt {name} does not prove its entry is at index {index} of its checkpoint")
    try:
        parsed = json.loads(entry)
    except ValueError:
        raise Failed(f"the entry of the receipt {name} is not JSON") from None
    return Receipt(name, int(index), leaf, parsed, checkpoint)


# What the verifier finds.


@dataclass
class Report:
    failures: list[str] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    own_key: bool = False  # checked with the key the pack names for itself, not one given

    def fail(self, what: str) -> None:
        self.failures.append(what)

    @property
    def ok(self) -> bool:
        return not self.failures

    def text(self) -> str:
        lines = [f"  ok  {p}" for p in self.passed]
        lines += [f"  NOTE  {n}" for n in self.notes]
        shown = self.failures[:MAX_LISTED]
        lines += [f"  FAILED  {f}" for f in shown]
        if len(self.failures) > len(shown):
            lines.append(f"  ... and {len(self.failures) - len(shown)} more failures")
        verdict = (
            "PASSED: every check passed." if self.ok else f"FAILED: {len(self.failures)} check(s) failed."
        )
        if self.ok and self.own_key:
            verdict = (
                "PASSED, with the key the pack names for itself: the pack is whole, but who made it "
                "is shown only by checking again with --key and the verifier key you were given."
            )
        return "\n".join([*lines, verdict]) + "\n"


# The pack.


class Pack:
    def __init__(self, source: str | Path | IO[bytes]) -> None:
        try:
            self.zip = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError) as error:
            raise Failed(f"the pack is not a readable zip file ({error})") from None
        self.names = set(self.zip.namelist())

    def read(self, name: str) -> bytes:
        if name not in self.names:
            raise Failed(f"the pack has no {name}")
        try:
            return self.zip.read(name)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise Failed(f"{name} cannot be read from the pack ({error})") from None

    def text(self, name: str) -> str:
        try:
            return self.read(name).decode()
        except UnicodeDecodeError:
            raise Failed(f"{name} is not UTF-8 text") from None

    def json(self, name: str) -> Any:
        try:
            return json.loads(self.read(name))
        except ValueError:
            raise Failed(f"{name} is not JSON") from None


def verify(
    source: str | Path | IO[bytes],
    vkey: str | None = None,
    trusted: list[tuple[str, str]] = (),  # type: ignore[assignment]
    receipts: list[tuple[str, str]] = (),  # type: ignore[assignment]
    rules: Path | None = None,
    progress: IO[str] | None = None,
) -> Report:
    """Every check of the pack; `trusted` and `receipts` are (name, text) pairs."""
    report = Report()
    try:
        _verify(Pack(source), report, vkey, list(trusted), list(receipts), rules, progress)
    except Failed as failed:
        report.fail(f"{failed} (nothing further could be checked)")
    except Exception as error:  # noqa: BLE001 - a pack malformed in a way no check foresaw still fails
        report.fail(
            f"the pack could not be checked: {type(error).__name__}: {error} "
            "(nothing further could be checked)"
        )
    return report


def _verify(
    pack: Pack,
    report: Report,
    vkey: str | None,
    trusted: list[tuple[str, str]],
    receipt_texts: list[tuple[str, str]],
    rules: Path | None,
    progress: IO[str] | None,
) -> None:
    if vkey is None:
        vkey = pack.text("verifier_key.txt")
        report.own_key = True
        report.notes.append(
            "The key used is the one the pack names for itself: it proves the pack is whole, not who "
            "made it. Check it against the verifier key you were given, or pass it with --key."
        )
    key = Key.read(vkey)

    # The manifest, signed; every file as the manifest lists it.
    manifest_bytes = pack.read("manifest.json")
    text = key.check(pack.text("manifest.sig"), "the pack's manifest")
    expected = f"{key.name}\naudit pack manifest\nsha256 {hashlib.sha256(manifest_bytes).hexdigest()}\n"
    if text != expected:
        raise Failed("the manifest is not the one its signature signs: it was changed")
    manifest = json.loads(manifest_bytes)
    if manifest.get("format") != FORMAT or manifest.get("format_version") != 1:
        raise Failed("this is not a Cotrace audit pack of format 1")
    files: dict[str, str] = manifest["files"]
    for name in sorted(pack.names - set(files) - set(SIGNED_FILES)):
        report.fail(f"{name} is in the pack but not in its manifest: it was added")
    for name, digest in sorted(files.items()):
        if name == "events.jsonl":
            continue  # hashed as it is read, below
        if name not in pack.names:
            report.fail(f"{name} is in the manifest but missing from the pack")
        elif hashlib.sha256(pack.read(name)).hexdigest() != digest:
            report.fail(f"{name} is not as the manifest says: it was changed")
    report.passed.append(f"the manifest is signed by {key.name}+{key.key_id.hex()}")

    # The checkpoints.
    head = read_checkpoint(pack.text("checkpoint.txt"), key, "checkpoint.txt")
    log = manifest["log"]
    if log.get("origin") != key.name or log.get("size") != head.size:
        report.fail("the manifest names another log or size than checkpoint.txt")
    report.passed.append(f"checkpoint.txt is signed: a log of {head.size} events")
    whole = bool(manifest["events"]["whole_log"])
    # (size, root, what) of every checkpoint the events must agree with
    claims: list[tuple[int, bytes, str]] = [(head.size, head.root, "checkpoint.txt")]
    carried: dict[tuple[int, bytes], list[bytes]] = {}  # the pack's consistency proofs, by (size, root)
    for number, line in enumerate(pack.text("checkpoints.jsonl").splitlines(), 1):
        what = f"checkpoint {number} of checkpoints.jsonl"
        try:
            entry = json.loads(line)
            earlier = read_checkpoint(entry["note"], key, what)
            proof = [b64(h, f"the consistency proof of {what}") for h in entry["consistency_to_pack"]]
        except (Failed, ValueError, KeyError, TypeError) as error:
            report.fail(f"{what} cannot be read: {error}")
            continue
        carried[(earlier.size, earlier.root)] = proof
        _check_against_head(report, earlier, proof, head, what, whole, claims)
    for name, note in trusted:
        what = f"your trusted checkpoint {name}"
        try:
            earlier = read_checkpoint(note, key, what)
        except Failed as error:
            report.fail(str(error))
            continue
        proof = carried.get((earlier.size, earlier.root))
        _check_against_head(report, earlier, proof, head, what, whole, claims)
    receipts: list[Receipt] = []
    for name, receipt_text in receipt_texts:
        try:
            receipt = read_receipt(receipt_text, key, name)
        except Failed as error:
            report.fail(str(error))
            continue
        receipts.append(receipt)
        what = f"the checkpoint of the receipt {name}"
        proof = carried.get((receipt.checkpoint.size, receipt.checkpoint.root))
        _check_against_head(report, receipt.checkpoint, proof, head, what, whole, claims)

    # The events.
    facts = pack.json("evidence/facts.json")
    cited = _cited(facts)
    seen = _events(
        pack, report, manifest, head, whole, claims, receipts, cited, files.get("events.jsonl"), progress
    )

    # The verdicts.
    _verdicts(pack, report, manifest, facts, seen, rules)


def _check_against_head(
    report: Report,
    earlier: Checkpoint,
    proof: list[bytes] | None,
    head: Checkpoint,
    what: str,
    whole: bool,
    claims: list[tuple[int, bytes, str]],
) -> None:
    if earlier.size > head.size:
        report.fail(
            f"{what} signs {earlier.size} events, more than the {head.size} of this pack: the pack was "
            "made before that checkpoint (ask for a newer pack), or the log has lost events since"
        )
    elif earlier.size == 0:
        if earlier.root != sha256(b""):
            report.fail(f"{what} signs an empty log with a root that is not the empty tree's")
    elif whole:
        claims.append((earlier.size, earlier.root, what))  # its root is recomputed from the events
    elif proof is None:
        report.fail(f"{what} cannot be checked: the pack holds no consistency proof from its size")
    elif consistent(earlier.size, head.size, earlier.root, head.root, proof):
        report.passed.append(f"{what} ({earlier.size} events) is consistent with checkpoint.txt")
    else:
        report.fail(
            f"{what} ({earlier.size} events) is NOT consistent with checkpoint.txt: history was rewritten"
        )


def _cited(facts: list[dict[str, Any]]) -> set[int]:
    refs: set[int] = set()
    for policy in facts:
        refs.add(policy["started_ref"])
        for kind in ("stages", "decisions", "contributions", "claims"):
            for fact in policy.get(kind, ()):
                refs.add(fact["ref"])
                for also in ("response_ref", "dated_ref"):
                    if fact.get(also) is not None:
                        refs.add(fact[also])
    return refs


def _plain(value: Any) -> Any:
    return value.get("_data_") if isinstance(value, dict) else value


# json.loads and json.dumps as the leaf needs them, made once rather than for every event.
_DECODER = json.JSONDecoder()
_SCAN = _DECODER.scan_once
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_STRING = json.encoder.encode_basestring  # a string, as _CANONICAL writes one (ensure_ascii=False)
CHUNK = 1 << 20  # bytes of events.jsonl read at a time


def _loads(raw: bytes) -> Any:
    """json.loads(raw): a line that opens as UTF-8 JSON does (json.detect_encoding would say UTF-8)
    is decoded as json.loads decodes it, without the guess, and scanned at once when it is one JSON
    object and at most a newline (what JSONDecoder.decode would find, without its two regexes);
    anything else goes to json.loads itself, which says what is wrong with it."""
    if raw[:1] == b"{" and raw[1:2] != b"\x00":
        text = raw.decode("utf-8", "surrogatepass")
        try:
            found, end = _SCAN(text, 0)
        except (StopIteration, ValueError, RecursionError):
            return _DECODER.decode(text)
        if end == len(text) or (end == len(text) - 1 and text[end] == "\n"):
            return found
        return _DECODER.decode(text)
    return json.loads(raw)


def _lines(stream: IO[bytes], digest: Any) -> Iterator[bytes]:
    """The lines of `stream`, as iterating over it gives them, read a chunk at a time (a zip's
    readline is slow), with every byte read added to `digest`."""
    rest = b""
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        for line in lines:
            yield line + b"\n"
    if rest:
        yield rest


def _entry(
    sequence: int, notification_id: int, aggregate_id: str, version: int, topic: str, state: bytes
) -> tuple[bytes, Any]:
    """The leaf's canonical JSON (docs/seal.md): keys sorted, no spaces, UTF-8; and the stored
    bytes decoded."""
    decoded = _loads(state)
    recorded_at, recorded_by = decoded.get("timestamp"), decoded.get("recorded_by")  # as _plain gives them:
    recorded_at = recorded_at.get("_data_") if isinstance(recorded_at, dict) else recorded_at
    recorded_by = recorded_by.get("_data_") if isinstance(recorded_by, dict) else recorded_by
    state_sha256 = hashlib.sha256(state).hexdigest()
    if (
        type(sequence) is int
        and type(notification_id) is int
        and type(version) is int
        and type(aggregate_id) is str
        and type(topic) is str
        and type(recorded_at) is str
        and (recorded_by is None or type(recorded_by) is str)
    ):
        # What _CANONICAL writes for these types, its keys in their sorted order, written out: an
        # int as int's repr, a string as json writes a string, None as null.
        return (
            f'{{"aggregate_id":{_STRING(aggregate_id)},"aggregate_version":{version!r},'
            f'"notification_id":{notification_id!r},"recorded_at":{_STRING(recorded_at)},'
            f'"recorded_by":{"null" if recorded_by is None else _STRING(recorded_by)},'
            f'"sequence":{sequence!r},"state_sha256":"{state_sha256}","topic":{_STRING(topic)}}}'
        ).encode(), decoded
    return _CANONICAL.encode(
        {
            "aggregate_id": aggregate_id,
            "aggregate_version": version,
            "notification_id": notification_id,
            "recorded_at": recorded_at,
            "recorded_by": recorded_by,
            "sequence": sequence,
            "state_sha256": state_sha256,
            "topic": topic,
        }
    ).encode(), decoded


def _events(
    pack: Pack,
    report: Report,
    manifest: dict[str, Any],
    head: Checkpoint,
    whole: bool,
    claims: list[tuple[int, bytes, str]],
    receipts: list[Receipt],
    cited: set[int],
    digest_expected: str | None,
    progress: IO[str] | None,
) -> dict[int, dict[str, Any]]:
    """Reads events.jsonl once, line by line; returns the cited events' decoded states by notification id,
    each with what the facts are checked against (the groups of the people named, as the log last has
    them: a group corrected counts for the person's earlier facts too)."""
    count = int(manifest["events"]["count"])
    roots_at = {size: None for size, _root, _what in claims}
    receipt_at = {r.index: r for r in receipts}
    frontier = Frontier()
    digest = hashlib.sha256()
    versions: dict[str, int] = {}
    # participant id (hex) -> stakeholder group, as registered or as last corrected
    groups: dict[str, str] = {}
    present: dict[str, list[str]] = {}  # meeting id (hex) -> who was present, as last recorded
    seen: dict[int, dict[str, Any]] = {}
    last_sequence = last_id = -1
    next_sequence = 0  # the number the next event of a whole log should have
    checked = 0
    started = time.monotonic()
    if 0 in roots_at:
        roots_at[0] = frontier.root()
    if "events.jsonl" not in pack.names:
        raise Failed("the pack has no events.jsonl")
    with pack.zip.open("events.jsonl") as stream:
        for number, raw in enumerate(_lines(stream, digest), 1):
            try:
                event = _loads(raw)
                sequence, nid = event["sequence"], event["notification_id"]
                aggregate, version, topic = event["aggregate_id"], event["aggregate_version"], event["topic"]
                if not (type(sequence) is type(nid) is type(version) is int):
                    raise ValueError("its sequence, notification id and version are not whole numbers")
                if not (type(aggregate) is type(topic) is str):
                    raise ValueError("its record id and topic are not text")
                state = b64(event["state"], f"the stored bytes at events.jsonl line {number}")
                entry, decoded = _entry(sequence, nid, aggregate, version, topic, state)
                if not isinstance(decoded, dict):
                    raise ValueError("its stored bytes are not a JSON object")
            except (Failed, ValueError, KeyError, TypeError, AttributeError) as error:
                report.fail(f"events.jsonl line {number} cannot be read as an event ({error})")
                continue
            leaf = leaf_hash(entry)
            if whole:
                if sequence != next_sequence:  # said once for each place the sequence breaks
                    gap = (
                        f"event {next_sequence} is missing before it"
                        if sequence == next_sequence + 1
                        else f"events {next_sequence} to {sequence - 1} are missing before it"
                        if sequence > next_sequence
                        else f"expected event {next_sequence} here"
                    )
                    report.fail(f"{_where(sequence, topic, number)}: {gap}; the sequence is not dense")
                next_sequence = sequence + 1
                frontier.add(leaf)
                if frontier.size in roots_at:
                    roots_at[frontier.size] = frontier.root()
            else:
                proof = event.get("inclusion")
                try:
                    path = [b64(h, "an inclusion proof") for h in proof]
                except (Failed, TypeError):
                    path = None
                if path is None or not included(leaf, sequence, head.size, path, head.root):
                    report.fail(
                        f"{_where(sequence, topic, number)} is not in the signed log as it stands: "
                        "its bytes or place changed"
                    )
            if sequence <= last_sequence or nid <= last_id:
                report.fail(
                    f"{_where(sequence, topic, number)} comes after event {last_sequence}: "
                    "the events are out of order"
                )
            last_sequence, last_id = max(sequence, last_sequence), max(nid, last_id)
            before = versions.get(aggregate, 0)
            if before + 1 != version:
                report.fail(
                    f"{_where(sequence, topic, number)} is version {version} of record {aggregate}, "
                    f"after version {before}: a version is missing or repeated"
                )
            versions[aggregate] = max(version, before)
            receipt = receipt_at.get(sequence)
            if receipt is not None and receipt.leaf != leaf:
                report.fail(
                    f"the receipt {receipt.name} is for an entry that is not event {sequence} as stored"
                )
            _follow(topic, aggregate, decoded, nid, cited, groups, present, seen)
            checked += 1
            if progress is not None and checked % PROGRESS_EVERY == 0:
                rate = checked / max(time.monotonic() - started, 1e-9)
                progress.write(
                    f"  checked {checked:,} of {count:,} events "
                    f"({checked * 100 // max(count, 1)}%, {rate:,.0f} a second)\n"
                )
                progress.flush()
    if digest_expected is not None and digest.hexdigest() != digest_expected:
        report.fail("events.jsonl is not as the manifest says: it was changed")
    if checked != count:
        report.fail(
            f"events.jsonl holds {checked} readable events, the manifest {count}: "
            "events were added or removed"
        )
    if whole:
        if frontier.size != head.size:
            report.fail(f"the pack holds {frontier.size} events; its checkpoint signs {head.size}")
        for size, root, what in claims:
            if roots_at.get(size) is None:
                continue  # a size the events never reached: counted as a failure above
            if roots_at[size] != root:
                report.fail(
                    f"the root of the first {size} events is not the one {what} signs: the events changed"
                )
            elif what != "checkpoint.txt":
                report.passed.append(f"{what} ({size} events) is consistent with the events")
        if roots_at.get(head.size) == head.root:
            report.passed.append(f"the tree of all {head.size} events has the root checkpoint.txt signs")
    else:
        report.passed.append(f"{checked} events checked, each with its inclusion proof")
    for receipt in receipts:
        if whole and receipt.index >= frontier.size:
            report.fail(
                f"the receipt {receipt.name} is for event {receipt.index}, which the pack does not hold"
            )
        elif receipt.entry.get("sequence") != receipt.index:
            report.fail(
                f"the receipt {receipt.name} names event {receipt.entry.get('sequence')} "
                f"at index {receipt.index}"
            )
        else:
            report.passed.append(
                f"the receipt {receipt.name}: event {receipt.index} is in the signed log, unaltered"
            )
    _with_groups(seen, groups)
    return seen


def _where(sequence: int, topic: str, number: int) -> str:
    return f"event {sequence} ({topic}, events.jsonl line {number})"


def _follow(
    topic: str,
    aggregate: str,
    decoded: Any,
    nid: int,
    cited: set[int],
    groups: dict[str, str],
    present: dict[str, list[str]],
    seen: dict[int, dict[str, Any]],
) -> None:
    """Keeps what the facts are checked against: people's groups, who was at each meeting, cited events
    (`decoded`: the event's stored bytes, decoded)."""
    name = topic.rpartition(":")[2]
    if name in GROUP_EVENTS or (nid in cited) or name == "Meeting.AttendanceRecorded":
        key = aggregate.replace("-", "")
        if name in GROUP_EVENTS:
            groups[key] = decoded.get("stakeholder_group")
        elif name == "Meeting.AttendanceRecorded":
            present[key] = [_plain(p) for p in decoded.get("present") or []]
        if nid in cited:
            decoded["_topic"], decoded["_aggregate"] = name, aggregate
            decoded["_recorded_on"] = _day_of(_plain(decoded.get("timestamp")))
            # Who, now; their groups once the whole log is read (`_with_groups`).
            if name == "Decision.Recorded":
                meeting = _plain(decoded.get("meeting_id"))
                decoded["_makers"] = [_plain(p) for p in decoded.get("decided_by") or []]
                decoded["_present"] = list(present.get(meeting, [])) if meeting else []
            elif name == "Contribution.Submitted":
                decoded["_contributor"] = _plain(decoded.get("contributor_id"))
            seen[nid] = decoded


# The events that say a person's stakeholder group: the registration, and a correction of a group
# recorded wrong, which the facts take for the person's earlier facts too.
GROUP_EVENTS = ("Participant.Registered", "Participant.StakeholderGroupCorrected")


def _with_groups(seen: dict[int, dict[str, Any]], groups: dict[str, str]) -> None:
    """The groups of the people each cited decision and contribution names, as the log last has them."""
    for decoded in seen.values():
        if "_makers" in decoded:
            decoded["_maker_groups"] = sorted(groups.get(p, "?") for p in decoded["_makers"])
            decoded["_present_groups"] = sorted(groups.get(p, "?") for p in decoded["_present"])
        elif "_contributor" in decoded:
            decoded["_group"] = groups.get(decoded["_contributor"], "?")


def _day_of(timestamp: Any) -> str | None:
    try:
        return datetime.fromisoformat(timestamp).astimezone(UTC).date().isoformat()
    except (TypeError, ValueError):
        return None


# Each fact, against the event it cites: (the fact's field, the event's field) pairs.
FACT_EVENTS = {
    "stages": (
        "Policy.StageEntered",
        [
            ("cycle", "cycle"),
            ("stage", "stage"),
            ("entered_on", "entered_on"),
            ("recorded_on", "_recorded_on"),
        ],
    ),
    "decisions": (
        "Decision.Recorded",
        [
            ("id", "_aggregate"),
            ("cycle", "cycle"),
            ("stage", "stage"),
            ("happened_on", "happened_on"),
            ("method", "method"),
            ("recorded_on", "_recorded_on"),
            ("maker_groups", "_maker_groups"),
            ("present_groups", "_present_groups"),
        ],
    ),
    "contributions": (
        "Contribution.Submitted",
        [
            ("id", "_aggregate"),
            ("cycle", "cycle"),
            ("stage", "stage"),
            ("happened_on", "happened_on"),
            ("channel", "channel"),
            ("recorded_on", "_recorded_on"),
            ("group", "_group"),
        ],
    ),
    "claims": (
        "Policy.ParticipationLevelClaimed",
        [
            ("cycle", "cycle"),
            ("stage", "stage"),
            ("ladder", "ladder"),
            ("rung", "rung"),
            ("happened_on", "happened_on"),
            ("recorded_on", "_recorded_on"),
        ],
    ),
}


def _same(fact_value: Any, event_value: Any) -> bool:
    event_value = _plain(event_value)
    if (
        isinstance(event_value, str)
        and isinstance(fact_value, str)
        and len(event_value) == 32
        and "-" in fact_value
    ):
        return fact_value.replace("-", "") == event_value  # an id, stored as hex
    return fact_value == event_value


def _check_facts(report: Report, policy: dict[str, Any], seen: dict[int, dict[str, Any]]) -> None:
    title = policy.get("title")
    checks = [
        (
            policy,
            "started_ref",
            "Policy.Started",
            [("started_on", "started_on"), ("initiated_by", "initiated_by"), ("title", "title")],
        )
    ]
    for kind, (topic, pairs) in FACT_EVENTS.items():
        for fact in policy.get(kind, ()):
            if fact.get("dated_ref") is None:
                checks.append((fact, "ref", topic, pairs))
                continue
            # Moved with its meeting's corrected date: the move says the date it is judged on,
            # the first event the rest.
            undated = [pair for pair in pairs if pair[0] != "happened_on"]
            moved = topic.replace(".Recorded", ".Redated").replace(".Submitted", ".Redated")
            checks.append((fact, "ref", topic, undated))
            checks.append((fact, "dated_ref", moved, [("id", "_aggregate"), ("happened_on", "new_date")]))
    for fact in policy.get("contributions", ()):
        if fact.get("response_ref") is not None:
            event = seen.get(fact["response_ref"])
            if event is not None and event["_topic"] == "Contribution.ResponseCorrected":
                # A corrected response: the correction names the response as it now stands, and
                # keeps the day it was given.
                pairs = [("id", "_aggregate"), ("response", "response"), ("responded_on", "responded_on")]
                checks.append((fact, "response_ref", "Contribution.ResponseCorrected", pairs))
                continue
            pairs = [
                ("id", "_aggregate"),
                ("response", "response"),
                ("responded_on", "happened_on"),
                ("response_recorded_on", "_recorded_on"),
            ]
            checks.append((fact, "response_ref", "Contribution.Responded", pairs))
    for fact, ref_field, topic, pairs in checks:
        ref = fact[ref_field]
        event = seen.get(ref)
        if event is None:
            report.fail(f"policy '{title}': a fact cites event {ref}, which the pack does not hold")
            continue
        if event["_topic"] != topic:
            report.fail(f"policy '{title}': a fact cites event {ref} as {topic}, and it is {event['_topic']}")
            continue
        for fact_field, event_field in pairs:
            if event_field in event and not _same(fact[fact_field], event[event_field]):
                report.fail(
                    f"policy '{title}': the fact's {fact_field} is {fact[fact_field]!r}, and event {ref} "
                    f"says {_plain(event[event_field])!r}"
                )


# The verdicts, judged again with the rules the pack ships.


class _Sources(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports `domain` and its modules from the rules' sources, and nothing else."""

    def __init__(self, sources: dict[str, bytes]) -> None:
        self.sources = sources  # "domain/evidence/level.py" -> source

    def _path(self, fullname: str) -> tuple[str, bool] | None:
        base = fullname.replace(".", "/")
        if f"{base}/__init__.py" in self.sources:
            return f"{base}/__init__.py", True
        if f"{base}.py" in self.sources:
            return f"{base}.py", False
        return None

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "domain" and not fullname.startswith("domain."):
            return None
        found = self._path(fullname)
        if found is None:
            return None
        spec = importlib.util.spec_from_loader(
            fullname, self, origin=f"rules/{found[0]}", is_package=found[1]
        )
        return spec

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: Any) -> None:
        name, _package = self._path(module.__name__)  # type: ignore[misc]
        source = self.sources[name]
        key = (name, hashlib.sha256(source).digest())
        if key not in _COMPILED:  # the same rules, checked pack after pack, are compiled once
            _COMPILED[key] = compile(source, f"rules/{name}", "exec")
        exec(_COMPILED[key], module.__dict__)


_COMPILED: dict[tuple[str, bytes], Any] = {}


def load_rules(sources: dict[str, bytes]) -> Any:
    """`domain.evidence` from these sources, imported apart from any `domain` this Python has, which is
    put back as it was afterwards."""
    ours = [n for n in sys.modules if n == "domain" or n.startswith("domain.")]
    saved = {n: sys.modules.pop(n) for n in ours}
    finder = _Sources(sources)
    sys.meta_path.insert(0, finder)
    try:
        return importlib.import_module("domain.evidence")
    finally:
        sys.meta_path.remove(finder)
        for n in [n for n in sys.modules if n == "domain" or n.startswith("domain.")]:
            del sys.modules[n]
        sys.modules.update(saved)


def _rule_sources(pack: Pack, rules: Path | None) -> dict[str, bytes]:
    if rules is not None:
        root = rules / "domain" if (rules / "domain").is_dir() else rules
        return {
            "domain/" + p.relative_to(root).as_posix(): p.read_bytes()
            for p in [root / "__init__.py", root / "vocabulary.py", *sorted((root / "evidence").glob("*.py"))]
            if p.exists()
        }
    return {
        name.removeprefix("rules/"): pack.read(name)
        for name in sorted(pack.names)
        if name.startswith("rules/domain/")
    }


def _verdicts(
    pack: Pack,
    report: Report,
    manifest: dict[str, Any],
    facts: list[dict[str, Any]],
    seen: dict[int, dict[str, Any]],
    rules: Path | None,
) -> None:
    sources = _rule_sources(pack, rules)
    fingerprint = hashlib.sha256(
        b"".join(n.encode() + b"\0" + s for n, s in sorted(sources.items()))
    ).hexdigest()
    try:
        engine = load_rules(sources)
    except Exception as error:  # noqa: BLE001 - whatever the rules' code raises, it is the rules' failure
        report.fail(f"the evidence rules could not be loaded: {type(error).__name__}: {error}")
        return
    report.notes.append(
        f"Verdicts judged with the rules of fingerprint {fingerprint[:16]} "
        f"({'your copy' if rules else 'from the pack'})"
    )
    published = {v["policy"]["id"]: v for v in pack.json("evidence/verdicts.json")}
    if len(published) != len(facts):
        report.fail(f"the pack has the facts of {len(facts)} policies and the verdicts of {len(published)}")
    for policy in facts:
        title = policy.get("title")
        _check_facts(report, policy, seen)
        verdict = published.get(policy.get("policy_id"))
        if verdict is None:
            report.fail(f"policy '{title}': the pack has its facts but no published verdict")
            continue
        try:
            judged = engine.assess_policy(
                engine.facts_from_json(policy),
                datetime.fromisoformat(verdict["as_of"]).date(),
                None,
                engine.thresholds_from_json(verdict["thresholds"]["values"]),
                verdict.get("reading", "happened"),
            )
            again = engine.assessments_as_json(judged)
        except Exception as error:  # noqa: BLE001 - malformed facts fail the rules, and so the check
            report.fail(f"policy '{title}': its facts could not be judged ({type(error).__name__}: {error})")
            continue
        differences = _differences(verdict["assessments"], again)
        for difference in differences:
            report.fail(f"policy '{title}': {difference}")
        if not differences:
            level = again[0]["level"] if again else "not started"
            report.passed.append(
                f"policy '{title}': the verdicts judged again agree with those published ({level})"
            )


def _differences(published: list[dict[str, Any]], again: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    before = {a["scope"]["label"]: a for a in published}
    after = {a["scope"]["label"]: a for a in again}
    for label in sorted(set(before) | set(after)):
        p, a = before.get(label), after.get(label)
        if p is None or a is None:
            found.append(f"{label}: {'published' if p else 'judged again'} only")
            continue
        if p["level"] != a["level"]:
            found.append(f"{label}: published level {p['level']}, judged again {a['level']}")
        criteria = {c["criterion"]: c for c in a["criteria"]}
        for c in p["criteria"]:
            other = criteria.get(c["criterion"])
            if other is None:
                found.append(f"{label}, {c['title']}: not judged again")
            elif (c["status"], c["figures"], c["events"]) != (
                other["status"],
                other["figures"],
                other["events"],
            ):
                found.append(
                    f"{label}, {c['title']}: published {c['status']} {c['figures']}, "
                    f"judged again {other['status']} {other['figures']}"
                )
        if p != a and not found:
            found.append(f"{label}: the published verdict differs from the one judged again")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pack", type=Path, help="the audit pack (.zip)")
    parser.add_argument(
        "--key", help="the log's verifier key, as you were given it (default: the pack's own)"
    )
    parser.add_argument(
        "--trusted-checkpoint",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a checkpoint you kept from before; the pack must extend it (repeatable)",
    )
    parser.add_argument(
        "--receipt",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a receipt (.tlog-proof) to check against the pack (repeatable)",
    )
    parser.add_argument(
        "--rules", type=Path, help="your own copy of the evidence rules (Cotrace's domain/ folder)"
    )
    parser.add_argument("--quiet", action="store_true", help="print the verdict and failures only")
    args = parser.parse_args(argv)

    def texts(paths: list[Path]) -> list[tuple[str, str]]:
        found = []
        for path in paths:
            try:
                found.append((path.name, path.read_text()))
            except (OSError, UnicodeDecodeError) as error:
                parser.error(f"cannot read {path}: {error}")
        return found

    started = time.monotonic()
    print(f"Checking {args.pack} ...", file=sys.stderr)
    report = verify(
        args.pack, args.key, texts(args.trusted_checkpoint), texts(args.receipt), args.rules, sys.stderr
    )
    if args.quiet:
        report.passed.clear()
    sys.stdout.write(report.text())
    print(f"({time.monotonic() - started:.1f} s)", file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
