"""C2SP tlog-proof receipts: the spec's example reads, and a receipt proves its entry and nothing else.

The example is https://c2sp.org/tlog-proof's (C2SP/C2SP tlog-proof.md), copied as data. Its signatures are
elided there ("[...]") and its five hashes are illustrative, so only its form can be checked: its
signature lines are replaced here by a real one.
"""

from __future__ import annotations

import base64

import pytest

from cotrace.seal.checkpoint import Checkpoint, sign_checkpoint
from cotrace.seal.merkle import inclusion_proof, leaf_hash, root
from cotrace.seal.proofs import ProofError, format_proof, parse_proof, verify_proof
from cotrace.seal.signed_note import NoteError, Signer, generate_key, sign_note

SPEC_HEAD = """c2sp.org/tlog-proof@v1
extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ
index 73894
gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=
B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=
EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=
RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=
AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=

"""
SPEC_CHECKPOINT_TEXT = "example.com/fancylog\n109482\nsFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=\n"

ORIGIN = "cotrace.example/riverside"
ENTRIES = [f"event {i}".encode() for i in range(30)]
LEAVES = [leaf_hash(entry) for entry in ENTRIES]


@pytest.fixture(scope="module")
def log():
    skey, vkey = generate_key(ORIGIN)
    signer = Signer.from_skey(skey)

    def receipt(index: int, size: int) -> str:
        checkpoint = sign_checkpoint(Checkpoint(ORIGIN, size, root(LEAVES[:size])), signer)
        return format_proof(index, inclusion_proof(LEAVES, index, size), checkpoint)

    return receipt, vkey, signer


def test_the_spec_example_reads_and_formats_back_to_the_same_text():
    fancy_log = Signer.from_skey(generate_key("example.com/fancylog")[0])
    text = SPEC_HEAD + sign_note(SPEC_CHECKPOINT_TEXT, fancy_log)
    proof = parse_proof(text)
    assert proof.index == 73894
    assert proof.extra.startswith(b"age-v1.2.1-darwin-arm64.tar.gz")
    assert [base64.b64encode(h).decode() for h in proof.proof] == SPEC_HEAD.split("\n")[3:8]
    assert proof.checkpoint.startswith(SPEC_CHECKPOINT_TEXT + "\n— example.com/fancylog ")
    assert proof.text == text


def test_a_receipt_proves_its_entry_under_the_checkpoint_it_carries(log):
    receipt, vkey, _ = log
    for index, size in [(0, 1), (7, 20), (19, 20), (7, 30), (29, 30)]:
        checkpoint = verify_proof(receipt(index, size), LEAVES[index], [vkey], ORIGIN)
        assert (checkpoint.size, checkpoint.root) == (size, root(LEAVES[:size]))


def test_a_receipt_for_a_changed_entry_or_another_entry_does_not_verify(log):
    receipt, vkey, _ = log
    text = receipt(7, 20)
    for leaf in [leaf_hash(b"event 7, changed"), LEAVES[8], ENTRIES[7]]:
        with pytest.raises(ProofError, match="does not place this entry at index 7"):
            verify_proof(text, leaf, [vkey], ORIGIN)


def test_a_tampered_receipt_does_not_verify(log):
    receipt, vkey, _ = log
    text = receipt(7, 20)
    lines = text.split("\n")
    hashes = lines[2:7]
    assert len(hashes) == 5 and lines[7] == ""  # index 7 of 20: 5 hashes
    changed = base64.b64encode(bytes([base64.b64decode(hashes[2])[0] ^ 1]) + base64.b64decode(hashes[2])[1:])
    for tampered in [
        text.replace("index 7\n", "index 6\n"),
        text.replace("index 7\n", "index 23\n"),
        text.replace(hashes[2], changed.decode()),
        text.replace(hashes[4] + "\n", ""),  # a hash dropped
        text.replace(hashes[4] + "\n", hashes[4] + "\n" + hashes[4] + "\n"),  # a hash added
        text.replace(hashes[1] + "\n" + hashes[2], hashes[2] + "\n" + hashes[1]),  # two swapped
    ]:
        assert tampered != text
        with pytest.raises(ProofError):
            verify_proof(tampered, LEAVES[7], [vkey], ORIGIN)


def test_a_receipt_whose_checkpoint_is_not_the_logs_does_not_verify(log):
    receipt, vkey, _ = log
    text = receipt(7, 20)
    _, stranger = generate_key(ORIGIN)
    with pytest.raises(NoteError, match="no trusted key"):
        verify_proof(text, LEAVES[7], [stranger], ORIGIN)
    with pytest.raises(NoteError, match="not 'cotrace.example/elsewhere'"):
        verify_proof(text, LEAVES[7], [vkey], "cotrace.example/elsewhere")
    with pytest.raises(NoteError, match="does not verify"):
        verify_proof(text.replace(f"{ORIGIN}\n20\n", f"{ORIGIN}\n21\n"), LEAVES[7], [vkey], ORIGIN)


def test_extra_data_round_trips_and_is_not_what_is_proved(log):
    receipt, vkey, _ = log
    text = receipt(7, 20)
    proof = parse_proof(text)
    with_extra = format_proof(proof.index, proof.proof, proof.checkpoint, extra=b"contribution 42")
    assert with_extra.split("\n")[1] == "extra " + base64.b64encode(b"contribution 42").decode()
    assert parse_proof(with_extra).extra == b"contribution 42"
    assert verify_proof(with_extra, LEAVES[7], [vkey], ORIGIN).size == 20


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace("c2sp.org/tlog-proof@v1\n", ""),
        lambda t: t.replace("@v1\n", "@v2\n"),
        lambda t: t.replace("index 7\n", "index 07\n"),
        lambda t: t.replace("index 7\n", "index -7\n"),
        lambda t: t.replace("index 7\n", "index  7\n"),
        lambda t: t.replace("index 7\n", ""),
        lambda t: t.replace("index 7\n", f"index {2**64}\n"),
        lambda t: t.replace("index 7\n", "index 7\nextra AAAA\n"),  # extra after the index
        lambda t: t.replace("\n\n", "\n", 1),  # no empty line before the checkpoint
        lambda t: t.replace("\n\n", "\nnot base64!\n\n", 1),
        lambda t: t.replace("\n\n", "\nAAAA\n\n", 1),  # a line that is not a 32-byte hash
        lambda t: t.replace("\n\n", "\n" + "\n".join(["A" * 43 + "="] * 60) + "\n\n", 1),  # 65 hashes
        lambda t: t[: t.rindex("— ")],  # the checkpoint without its signature
        lambda t: t.replace(f"{ORIGIN}\n20\n", f"{ORIGIN}\n020\n"),
        lambda t: t.replace("index 7\n", "index 7\r\n"),
    ],
)
def test_receipts_out_of_shape_are_refused(log, change):
    receipt, vkey, _ = log
    text = receipt(7, 20)
    bad = change(text)
    assert bad != text
    with pytest.raises(NoteError):
        parse_proof(bad)
    with pytest.raises(NoteError):
        verify_proof(bad, LEAVES[7], [vkey], ORIGIN)


def test_only_a_receipt_in_shape_is_formatted(log):
    receipt, _, _ = log
    proof = parse_proof(receipt(7, 20))
    for index, hashes, checkpoint in [
        (-1, proof.proof, proof.checkpoint),
        (True, proof.proof, proof.checkpoint),
        (7, [*proof.proof, b"short"], proof.checkpoint),
        (7, [proof.proof[0]] * 65, proof.checkpoint),
        (7, proof.proof, proof.checkpoint.split("\n\n")[0] + "\n"),  # unsigned
    ]:
        with pytest.raises(NoteError):
            format_proof(index, hashes, checkpoint)
