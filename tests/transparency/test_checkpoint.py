"""C2SP tlog-checkpoint: the spec's example, Go's tree note golden text, and checkpoints refused.

Copied as data: the example of https://c2sp.org/tlog-checkpoint (C2SP/C2SP tlog-checkpoint.md; no verifier key
is published for it) and the golden text of golang.org/x/mod's sumdb/tlog/note_test.go (TestFormatTree,
TestParseTree), whose root is the RFC 6962 record hash of "hello world".
"""

from __future__ import annotations

import base64

import pytest

from cotrace.seal.checkpoint import (
    Checkpoint,
    format_checkpoint,
    parse_checkpoint,
    sign_checkpoint,
    verify_checkpoint,
)
from cotrace.seal.merkle import EMPTY_ROOT, leaf_hash, root
from cotrace.seal.signed_note import NoteError, Signer, generate_key, parse_note, sign_note

SPEC_CHECKPOINT = (
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
    "— example.com/behind-the-sofa "
    "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
)
GO_TREE = "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n"
ORIGIN = "cotrace.example/riverside"
ROOT = root(leaf_hash(bytes([i])) for i in range(5))


@pytest.fixture(scope="module")
def log_key():
    skey, vkey = generate_key(ORIGIN)
    return Signer.from_skey(skey), vkey


def test_the_spec_example_reads():
    note = parse_note(SPEC_CHECKPOINT)
    checkpoint = parse_checkpoint(note.text)
    assert checkpoint.origin == "example.com/behind-the-sofa"
    assert checkpoint.size == 20852163
    assert checkpoint.root == base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    assert checkpoint.extensions == ()
    assert checkpoint.text == note.text
    assert [s.name for s in note.signatures] == ["example.com/behind-the-sofa"]


def test_the_spec_example_is_not_trusted_without_its_key(log_key):
    _, vkey = log_key
    with pytest.raises(NoteError, match="no trusted key"):
        verify_checkpoint(SPEC_CHECKPOINT, [vkey], "example.com/behind-the-sofa")


def test_the_go_tree_note_formats_and_reads_back():
    hello = leaf_hash(b"hello world")
    assert format_checkpoint("go.sum database tree", 123456789012, hello) == GO_TREE
    assert parse_checkpoint(GO_TREE) == Checkpoint("go.sum database tree", 123456789012, hello)


def test_extension_lines_are_kept_in_order():
    text = format_checkpoint(ORIGIN, 5, ROOT, ["first extension", "second"])
    assert text.endswith("\nfirst extension\nsecond\n")
    assert parse_checkpoint(text).extensions == ("first extension", "second")


def test_the_empty_tree_has_size_0_and_the_hash_of_nothing():
    assert parse_checkpoint(format_checkpoint(ORIGIN, 0, EMPTY_ROOT)) == Checkpoint(ORIGIN, 0, EMPTY_ROOT)


def test_a_signed_checkpoint_verifies_and_a_tampered_one_does_not(log_key):
    signer, vkey = log_key
    note = sign_checkpoint(Checkpoint(ORIGIN, 5, ROOT), signer)
    assert note.startswith(f"{ORIGIN}\n5\n")
    assert verify_checkpoint(note, [vkey], ORIGIN) == Checkpoint(ORIGIN, 5, ROOT)
    other_root = base64.b64encode(root(leaf_hash(bytes([i])) for i in range(6))).decode()
    for tampered in [
        note.replace(f"{ORIGIN}\n5\n", f"{ORIGIN}\n6\n"),
        note.replace(base64.b64encode(ROOT).decode(), other_root),
        note.replace(f"{ORIGIN}\n", "cotrace.example/elsewhere\n", 1),
    ]:
        with pytest.raises(NoteError, match="does not verify"):
            verify_checkpoint(tampered, [vkey], ORIGIN)


def test_a_checkpoint_signed_by_another_key_or_of_another_log_is_refused(log_key):
    signer, vkey = log_key
    _, stranger = generate_key(ORIGIN)
    note = sign_checkpoint(Checkpoint(ORIGIN, 5, ROOT), signer)
    with pytest.raises(NoteError, match="no trusted key"):
        verify_checkpoint(note, [stranger], ORIGIN)
    with pytest.raises(NoteError, match="not 'cotrace.example/elsewhere'"):
        verify_checkpoint(note, [vkey], "cotrace.example/elsewhere")


def test_a_note_that_is_no_checkpoint_is_refused_even_when_signed(log_key):
    signer, vkey = log_key
    with pytest.raises(NoteError, match="origin, a tree size and a root"):
        verify_checkpoint(sign_note(f"{ORIGIN}\n5\n", signer), [vkey], ORIGIN)


ROOT64 = base64.b64encode(ROOT).decode()


@pytest.mark.parametrize(
    "text",
    [
        f"{ORIGIN}\n5\n{ROOT64}",  # the last line does not end
        f"{ORIGIN}\n5\n",
        f"\n5\n{ROOT64}\n",  # no origin
        f"{ORIGIN}\n\n{ROOT64}\n",
        f"{ORIGIN}\n05\n{ROOT64}\n",  # a leading zero
        f"{ORIGIN}\n00\n{ROOT64}\n",
        f"{ORIGIN}\n+5\n{ROOT64}\n",
        f"{ORIGIN}\n 5\n{ROOT64}\n",
        f"{ORIGIN}\n-1\n{ROOT64}\n",
        f"{ORIGIN}\n1_000\n{ROOT64}\n",
        f"{ORIGIN}\n\u0665\n{ROOT64}\n",  # an Arabic-Indic five: a digit to int(), not ASCII
        f"{ORIGIN}\n0xabcdef\n{ROOT64}\n",
        f"{ORIGIN}\n{2**64}\n{ROOT64}\n",
        f"{ORIGIN}\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n",  # from Go's tests
        f"{ORIGIN}\n5\n{ROOT64[:-2]}=\n",  # 31 bytes... or not base64 at all
        f"{ORIGIN}\n5\n{base64.b64encode(ROOT[:31]).decode()}\n",
        f"{ORIGIN}\n5\n{base64.b64encode(ROOT + b'x').decode()}\n",
        f"{ORIGIN}\n5\n{ROOT64.rstrip('=')}\n",  # no padding
        f"{ORIGIN}\n5\n{ROOT64[:-2]}{chr(ord(ROOT64[-2]) ^ 1)}=\n",  # unused bits set, same bytes or not
        f"{ORIGIN}\n5\n{ROOT64}\n\n",  # an empty extension line
        f"{ORIGIN}\n5\n{ROOT64}\next\x01\n",
        f"{ORIGIN}\r\n5\n{ROOT64}\n",
    ],
)
def test_checkpoints_out_of_shape_are_refused(text):
    with pytest.raises(NoteError):
        parse_checkpoint(text)


def test_only_a_checkpoint_in_shape_is_formatted():
    for origin, size, root_hash, extensions in [
        ("", 5, ROOT, ()),
        ("a\nb", 5, ROOT, ()),
        (ORIGIN, -1, ROOT, ()),
        (ORIGIN, 2**64, ROOT, ()),
        (ORIGIN, True, ROOT, ()),
        (ORIGIN, "5", ROOT, ()),
        (ORIGIN, 5, ROOT[:31], ()),
        (ORIGIN, 5, ROOT.hex(), ()),
        (ORIGIN, 5, ROOT, ("",)),
        (ORIGIN, 5, ROOT, ("two\nlines",)),
    ]:
        with pytest.raises(NoteError):
            format_checkpoint(origin, size, root_hash, extensions)
