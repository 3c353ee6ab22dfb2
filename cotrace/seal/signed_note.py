"""Signed notes (C2SP signed-note, https://c2sp.org/signed-note) with Ed25519 keys, in the key formats of Go's
`golang.org/x/mod/sumdb/note` package, so that a checkpoint Cotrace signs reads in other transparency tools.

A note is a text ending in a newline, a blank line, and one signature line per key:
`— <key name> <base64(key ID || Ed25519 signature of the text)>`. The key ID is the first four bytes of
SHA-256(key name || 0x0A || 0x01 || public key), big-endian. A verifier key (vkey) is
`<name>+<key ID, 8 lowercase hex digits>+<base64(0x01 || public key)>`; a private key (skey) is
`PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || 32-byte seed)>`.

Verifying follows the spec's rules: signatures from unknown keys are ignored, a known key's signature that
fails rejects the whole note, and at least one known key must have signed. Everything malformed raises
`NoteError`, a ValueError, with a message that says what is wrong.

Imports only the standard library and `cryptography`, so that the standalone verifier can ship it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519 = 0x01  # the signature type byte of Ed25519 (signed-note, "Signature types")
MAX_SIGNATURES = 100  # the spec asks to accept at least 16; Go's note package refuses more than 100
_DASH = "\N{EM DASH} "


class NoteError(ValueError):
    """A note, a key or a checkpoint that is malformed, or that no trusted key verifies."""


def key_id(name: str, public_key: bytes) -> int:
    """SHA-256(key name || 0x0A || 0x01 || public key)[:4], big-endian (signed-note, "Ed25519 signatures")."""
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([ED25519]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def _check_name(name: object) -> str:
    # "Key names MUST be non-empty and MUST NOT contain any Unicode spaces or plus (U+002B) characters";
    # nor control characters, which no note may hold.
    if not isinstance(name, str) or not name:
        raise NoteError("a key name must be a non-empty string")
    if any(c.isspace() or c == "+" or c < " " or "\ud800" <= c <= "\udfff" for c in name):
        raise NoteError(f"a key name must hold no spaces, plus signs or control characters: {name!r}")
    return name


def strict_b64decode(text: str, what: str) -> bytes:
    """Strict standard base64 (RFC 4648, section 4): the alphabet, the padding, and one spelling only."""
    try:
        decoded = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"{what} is not base64: {text!r}") from None
    if base64.b64encode(decoded).decode() != text:  # unused bits set: another spelling of the same bytes
        raise NoteError(f"{what} is not in canonical base64: {text!r}")
    return decoded


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _typed_key(encoded: str, what: str) -> bytes:
    key = strict_b64decode(encoded, what)
    if len(key) != 33 or key[0] != ED25519:
        raise NoteError(f"{what} is not an Ed25519 key (type 0x01 and 32 bytes)")
    return key[1:]


def _check_key_id(name: str, hex_id: str, public_key: bytes, what: str) -> int:
    if len(hex_id) != 8 or any(c not in "0123456789abcdef" for c in hex_id):
        raise NoteError(f"the key ID of {what} is not 8 lowercase hex digits: {hex_id!r}")
    if int(hex_id, 16) != key_id(name, public_key):
        raise NoteError(f"the key ID of {what} does not match its name and key")
    return int(hex_id, 16)


@dataclass(frozen=True)
class Verifier:
    """A trusted public key, by its name and key ID."""

    name: str
    key_id: int
    public_key: bytes

    @classmethod
    def from_vkey(cls, vkey: str) -> Verifier:
        """Read a verifier key string, `<name>+<hex key ID>+<base64(0x01 || public key)>`."""
        parts = vkey.split("+", 2) if isinstance(vkey, str) else []
        if len(parts) != 3:
            raise NoteError("a verifier key reads <name>+<key ID>+<key>")
        name = _check_name(parts[0])
        public_key = _typed_key(parts[2], "the verifier key")
        return cls(name, _check_key_id(name, parts[1], public_key, "the verifier key"), public_key)

    @property
    def vkey(self) -> str:
        """The verifier key string, to print and to give to auditors."""
        return f"{self.name}+{self.key_id:08x}+{_b64(bytes([ED25519]) + self.public_key)}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Whether `signature` is this key's Ed25519 signature of `message` (RFC 8032)."""
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


class Signer:
    """A private key that signs notes under a name. Keep it out of the database (issue 13)."""

    def __init__(self, name: str, seed: bytes) -> None:
        self.name = _check_name(name)
        if not isinstance(seed, bytes) or len(seed) != 32:
            raise NoteError("an Ed25519 private key is a 32-byte seed")
        self._seed = seed
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        self.public_key = self._key.public_key().public_bytes_raw()
        self.key_id = key_id(self.name, self.public_key)

    @classmethod
    def from_skey(cls, skey: str) -> Signer:
        """Read a private key string, `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>`."""
        parts = skey.split("+", 4) if isinstance(skey, str) else []
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("a private key reads PRIVATE+KEY+<name>+<key ID>+<key>")
        signer = cls(_check_name(parts[2]), _typed_key(parts[4], "the private key"))
        _check_key_id(signer.name, parts[3], signer.public_key, "the private key")
        return signer

    @property
    def skey(self) -> str:
        """The private key string, as `generate_key` writes it."""
        return f"PRIVATE+KEY+{self.name}+{self.key_id:08x}+{_b64(bytes([ED25519]) + self._seed)}"

    @property
    def verifier(self) -> Verifier:
        return Verifier(self.name, self.key_id, self.public_key)

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def __repr__(self) -> str:  # never the seed, should a signer reach a log or a traceback
        return f"Signer({self.verifier.vkey!r})"


def generate_key(name: str) -> tuple[str, str]:
    """A new Ed25519 key for `name`: (private key string, verifier key string)."""
    signer = Signer(name, Ed25519PrivateKey.generate().private_bytes_raw())
    return signer.skey, signer.verifier.vkey


@dataclass(frozen=True)
class Signature:
    """One signature line: the key's name and ID, and the signature after the ID."""

    name: str
    key_id: int
    signature: bytes

    @property
    def line(self) -> str:
        return f"{_DASH}{self.name} {_b64(self.key_id.to_bytes(4, 'big') + self.signature)}\n"


@dataclass(frozen=True)
class Note:
    """A note as written: its text, and its signatures, none of them checked yet."""

    text: str
    signatures: tuple[Signature, ...]


@dataclass(frozen=True)
class VerifiedNote:
    """A note that a trusted key signed: its text, the signatures that verified, and those of unknown keys."""

    text: str
    verified: tuple[Signature, ...]
    unknown: tuple[Signature, ...]


def _check_text(text: str, what: str) -> None:
    """UTF-8, with no control character but the newline (signed-note, "Format")."""
    if not isinstance(text, str):
        raise NoteError(f"{what} must be a string")
    bad = next((c for c in text if c < " " and c != "\n"), None)
    if bad is not None:
        raise NoteError(f"{what} holds a control character {bad!r}")
    try:
        text.encode()
    except UnicodeEncodeError:
        raise NoteError(f"{what} is not valid UTF-8") from None


def parse_note(note: str | bytes) -> Note:
    """Split a signed note into its text and signature lines, checking their form but no signature."""
    if isinstance(note, bytes):
        try:
            note = note.decode()
        except UnicodeDecodeError:
            raise NoteError("the note is not valid UTF-8") from None
    _check_text(note, "the note")
    split = note.rfind("\n\n")  # the text ends at the last blank line
    if split < 0:
        raise NoteError("the note has no blank line before its signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block or not block.endswith("\n"):
        raise NoteError("the note's signatures must be whole lines, each ending in a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"the note has more than {MAX_SIGNATURES} signatures")
    signatures = []
    for line in lines:
        if not line.startswith(_DASH):
            raise NoteError(f"a signature line starts with an em dash and a space: {line!r}")
        name, _, encoded = line[len(_DASH) :].partition(" ")
        _check_name(name)
        raw = strict_b64decode(encoded, f"the signature of {name}")
        if len(raw) < 5:
            raise NoteError(f"the signature of {name} is too short")
        signatures.append(Signature(name, int.from_bytes(raw[:4], "big"), raw[4:]))
    return Note(text, tuple(signatures))


def _label(key: Verifier | Signature) -> str:
    return f"{key.name}+{key.key_id:08x}"


def _verifier(key: Verifier | str) -> Verifier:
    return key if isinstance(key, Verifier) else Verifier.from_vkey(key)


def verify_note(note: str | bytes, verifiers: Iterable[Verifier | str]) -> VerifiedNote:
    """Check a note against the keys trusted (Verifier objects or verifier key strings).

    Raises NoteError if the note is malformed, if a trusted key's signature fails, or if no trusted key
    signed it. A signature whose name and key ID (both) match no trusted key is kept in `unknown`.
    """
    parsed = parse_note(note)
    trusted: dict[tuple[str, int], Verifier] = {}
    for verifier in map(_verifier, verifiers):
        known = trusted.setdefault((verifier.name, verifier.key_id), verifier)
        if known != verifier:  # two keys, one name and ID: which one signed cannot be told
            raise NoteError(f"two trusted keys share the name and key ID {_label(verifier)}")
    message = parsed.text.encode()
    verified: list[Signature] = []
    unknown: list[Signature] = []
    for signature in parsed.signatures:
        verifier = trusted.get((signature.name, signature.key_id))
        if verifier is None:
            if signature not in unknown:
                unknown.append(signature)
        elif not verifier.verify(message, signature.signature):
            raise NoteError(f"the signature of {_label(signature)} does not verify")
        elif signature not in verified:
            verified.append(signature)
    if not verified:
        raise NoteError("no trusted key signed the note")
    return VerifiedNote(parsed.text, tuple(verified), tuple(unknown))


def sign_note(text: str, *signers: Signer) -> str:
    """The note of `text` signed by each signer, in order. The text must end in a newline."""
    _check_text(text, "the text")
    if not text.endswith("\n"):
        raise NoteError("a note's text ends in a newline")
    if not signers:
        raise NoteError("a note needs at least one signer")
    message = text.encode()
    lines = [Signature(s.name, s.key_id, s.sign(message)).line for s in signers]
    return text + "\n" + "".join(lines)
