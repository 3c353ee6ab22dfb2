"""C2SP signed notes with Ed25519, against the spec's example and Go's `golang.org/x/mod/sumdb/note` tests.

The keys, texts and signatures below are published ones, copied as data: the example of
https://c2sp.org/signed-note ("Verifier keys", "Example"; C2SP/C2SP signed-note.md) and the test keys of
golang.org/x/mod's sumdb/note/note_test.go (TestNewVerifier, TestNewSigner, TestSign, TestOpen). Ed25519
signing is deterministic (RFC 8032), so signing the same text with the same key must give the same note.
"""

from __future__ import annotations

import dataclasses

import pytest

from cotrace.seal.signed_note import (
    NoteError,
    Signer,
    Verifier,
    generate_key,
    key_id,
    parse_note,
    sign_note,
    verify_note,
)

SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = (
    "This is an example message.\n\n— example.com/foo "
    "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)

PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
PETER_SIG = (
    "— PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = (
    "— EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
)


def test_the_spec_example_verifies_with_the_spec_verifier_key():
    verified = verify_note(SPEC_NOTE, [SPEC_VKEY])
    assert verified.text == "This is an example message.\n"
    assert [(s.name, s.key_id) for s in verified.verified] == [("example.com/foo", 0x530D903A)]
    assert verified.unknown == ()


def test_the_key_id_is_the_first_four_bytes_of_the_hash_of_name_type_and_key():
    verifier = Verifier.from_vkey(PETER_VKEY)
    assert key_id("PeterNeumann", verifier.public_key) == 0xC74F20A3
    assert verifier.vkey == PETER_VKEY


def test_signing_with_the_published_private_key_gives_the_published_note():
    signer = Signer.from_skey(PETER_SKEY)
    assert signer.skey == PETER_SKEY
    assert signer.verifier.vkey == PETER_VKEY
    assert sign_note(TEXT, signer) == TEXT + "\n" + PETER_SIG
    assert PETER_SKEY not in repr(signer)


def test_a_note_signed_by_two_keys_verifies_with_either_and_names_the_other_as_unknown():
    note = TEXT + "\n" + PETER_SIG + ENOCH_SIG
    only_peter = verify_note(note, [PETER_VKEY])
    assert only_peter.text == TEXT
    assert [s.name for s in only_peter.verified] == ["PeterNeumann"]
    assert [(s.name, s.key_id) for s in only_peter.unknown] == [("EnochRoot", 0xAF0CFE78)]
    both = verify_note(note, [Verifier.from_vkey(PETER_VKEY), ENOCH_VKEY])
    assert [s.name for s in both.verified] == ["PeterNeumann", "EnochRoot"]
    assert both.unknown == ()


def test_a_note_no_trusted_key_signed_is_refused():
    note = TEXT + "\n" + PETER_SIG + ENOCH_SIG
    for verifiers in [[], [SPEC_VKEY]]:
        with pytest.raises(NoteError, match="no trusted key"):
            verify_note(note, verifiers)
    # Name and key ID must both match: the same name under another key is an unknown key.
    _, other_peter = generate_key("PeterNeumann")
    with pytest.raises(NoteError, match="no trusted key"):
        verify_note(note, [other_peter])
    misnamed = PETER_SIG.replace("PeterNeumann", "CarmenSandiego")
    with pytest.raises(NoteError, match="no trusted key"):
        verify_note(TEXT + "\n" + misnamed, [PETER_VKEY])


def test_a_trusted_key_whose_signature_fails_rejects_the_whole_note():
    broken = PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]
    with pytest.raises(NoteError, match="PeterNeumann\\+c74f20a3 does not verify"):
        verify_note(TEXT + "\n" + broken, [PETER_VKEY])
    with pytest.raises(NoteError, match="does not verify"):
        verify_note(TEXT + "\n" + ENOCH_SIG + broken, [PETER_VKEY, ENOCH_VKEY])


def test_a_tampered_text_does_not_verify():
    for text in [TEXT.replace("cryptography", "cryptographY"), TEXT[:-1] + " \n", "x" + TEXT]:
        with pytest.raises(NoteError, match="does not verify"):
            verify_note(text + "\n" + PETER_SIG, [PETER_VKEY])


def test_repeated_signatures_are_counted_once():
    enoch_abcd = ENOCH_SIG[:60] + "ABCD" + ENOCH_SIG[60:]
    note = TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG + enoch_abcd
    verified = verify_note(note, [PETER_VKEY])
    assert [s.name for s in verified.verified] == ["PeterNeumann"]
    assert len(verified.unknown) == 2


def test_the_same_key_given_twice_is_one_key_but_two_keys_under_one_name_and_id_are_refused():
    assert verify_note(TEXT + "\n" + PETER_SIG, [PETER_VKEY, PETER_VKEY]).verified
    enoch = Verifier.from_vkey(ENOCH_VKEY)
    impostor = dataclasses.replace(enoch, public_key=Verifier.from_vkey(PETER_VKEY).public_key)
    with pytest.raises(NoteError, match="share the name and key ID"):
        verify_note(TEXT + "\n" + ENOCH_SIG, [enoch, impostor])


@pytest.mark.parametrize(
    "note",
    [
        TEXT,  # no signatures
        TEXT + "\n",  # a blank line and still none
        TEXT + "\n" + PETER_SIG[:-1],  # the last line does not end
        "\x01" + TEXT + "\n" + PETER_SIG,  # a control character
        TEXT.replace("\n", "\r\n") + "\n" + PETER_SIG,
        "\udcff" + TEXT + "\n" + PETER_SIG,  # not UTF-8
        TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Peter Neumann"),  # a space in the name
        TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Peter+Neumann"),
        TEXT + "\n" + PETER_SIG.replace("— ", "- "),  # a hyphen, not the em dash
        TEXT + "\n" + PETER_SIG.replace("— ", "—"),
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        TEXT + "\n" + PETER_SIG.replace("AM=", "AM"),  # base64 without its padding
        TEXT + "\n" + PETER_SIG.replace("AM=", "AN="),  # the same bytes, spelt otherwise
        TEXT + "\n" + "— PeterNeumann x08g\n",  # too short to hold a key ID and a signature
        TEXT + "\n" + PETER_SIG * 101,  # more signatures than any verifier must take
    ],
)
def test_malformed_notes_are_refused(note):
    with pytest.raises(NoteError):
        verify_note(note, [PETER_VKEY])


def test_notes_as_bytes_must_be_utf8():
    assert verify_note((TEXT + "\n" + PETER_SIG).encode(), [PETER_VKEY]).text == TEXT
    with pytest.raises(NoteError, match="UTF-8"):
        parse_note(b"\xff" + (TEXT + "\n" + PETER_SIG).encode())


def test_parse_note_splits_at_the_last_blank_line():
    text = "first paragraph\n\nsecond paragraph\n"
    parsed = parse_note(sign_note(text, Signer.from_skey(PETER_SKEY)))
    assert parsed.text == text
    assert [s.name for s in parsed.signatures] == ["PeterNeumann"]


def test_a_new_key_signs_and_verifies_and_no_other_key_verifies_it():
    skey, vkey = generate_key("cotrace.example/log")
    assert skey.startswith("PRIVATE+KEY+cotrace.example/log+") and vkey.startswith("cotrace.example/log+")
    signer = Signer.from_skey(skey)
    assert signer.verifier == Verifier.from_vkey(vkey)
    note = sign_note("hello\n", signer, Signer.from_skey(PETER_SKEY))
    assert [s.name for s in verify_note(note, [vkey]).verified] == ["cotrace.example/log"]
    _, stranger = generate_key("cotrace.example/log")
    with pytest.raises(NoteError, match="no trusted key"):
        verify_note(note.replace(PETER_SIG, ""), [stranger])


def test_only_a_text_ending_in_a_newline_is_signed():
    signer = Signer.from_skey(PETER_SKEY)
    for text in ["abc", "", "a\x00b\n", "tab\there\n"]:
        with pytest.raises(NoteError):
            sign_note(text, signer)
    with pytest.raises(NoteError):
        sign_note("hello\n")
    for name in ["", "a b", "a+b", "a\u00a0b", "a\nb", "a\udcffb"]:
        with pytest.raises(NoteError):
            generate_key(name)


def _every_mangling(key: str) -> list[str]:
    """After Go's TestNewVerifier: every proper substring, and every character moved up by one."""
    whole = (0, len(key))
    cut = [key[i:j] for i in range(len(key) + 1) for j in range(i + 1, len(key) + 1) if (i, j) != whole]
    return cut + [key[:i] + chr(ord(key[i]) + 1) + key[i + 1 :] for i in range(len(key))]


def test_no_mangled_verifier_key_is_accepted():
    for bad in _every_mangling(PETER_VKEY):
        with pytest.raises(NoteError):
            Verifier.from_vkey(bad)
    # From Go's tests: a key of the wrong length, and an unknown algorithm, each with a matching key ID.
    for bad in [
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        PETER_VKEY.replace("c74f20a3", "C74F20A3"),  # the key ID is lowercase hex
    ]:
        with pytest.raises(NoteError):
            Verifier.from_vkey(bad)


def test_no_mangled_private_key_is_accepted():
    for bad in _every_mangling(PETER_SKEY):
        with pytest.raises(NoteError):
            Signer.from_skey(bad)
