"""Checkpoints (C2SP tlog-checkpoint, https://c2sp.org/tlog-checkpoint): a Merkle tree head as a signed note.

The note's text is exactly these lines, each ending in a newline:

    <origin>                the log's identity, non-empty, e.g. "example.com/behind-the-sofa"
    <tree size>             ASCII decimal, no leading zeroes ("0" for the empty tree)
    <root hash>             base64 of the 32-byte RFC 6962 root at that size
    <extension line> ...    optional, opaque, non-empty (the spec does not recommend them)

A log must never sign two checkpoints that no consistency proof joins (see merkle.verify_consistency).
Imports only the standard library and the signed-note module, so that the standalone verifier can ship it.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass

# Relative, so that the folder works as a package wherever the standalone verifier puts it.
from .signed_note import NoteError, Signer, Verifier, sign_note, strict_b64decode, verify_note

HASH_SIZE = 32
MAX_SIZE = 2**64 - 1  # tree sizes are uint64 in RFC 9162 and in the Go implementations
_SIZE = re.compile(r"0|[1-9][0-9]{0,19}")  # ASCII digits only: int() would also read "+1", " 1", "1_0", "١"


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: which log, how many leaves, and the root hash of that tree."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The note text of this checkpoint (what is signed)."""
        return format_checkpoint(self.origin, self.size, self.root, self.extensions)


def _check_line(line: object, what: str) -> str:
    if not isinstance(line, str) or not line:
        raise NoteError(f"a checkpoint's {what} is a non-empty line")
    if any(c < " " for c in line):  # a newline would make it two lines; no note holds other controls
        raise NoteError(f"a checkpoint's {what} holds a newline or a control character: {line!r}")
    return line


def format_checkpoint(origin: str, size: int, root: bytes, extensions: Iterable[str] = ()) -> str:
    """The note text of a checkpoint (tlog-checkpoint, "Note text"). Raises NoteError on a bad part.

    The origin SHOULD be a schema-less URL with no spaces and no plus sign (the key name that signs it has
    neither), but the spec does not require it, and neither does this.
    """
    _check_line(origin, "origin")
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= MAX_SIZE:
        raise NoteError(f"a tree size is a whole number from 0 to 2**64 - 1, not {size!r}")
    if not isinstance(root, bytes) or len(root) != HASH_SIZE:
        raise NoteError(f"a root hash is {HASH_SIZE} bytes")
    lines = [origin, str(size), base64.b64encode(root).decode()]
    lines += [_check_line(line, "extension line") for line in extensions]
    return "".join(line + "\n" for line in lines)


def parse_checkpoint(text: str) -> Checkpoint:
    """Read a checkpoint's note text (the text of a verified note, not the note with its signatures).

    Refuses, with NoteError: fewer than three lines, an empty line, a text not ending in a newline, a size
    that is not plain ASCII decimal or has a leading zero, a root that is not canonical base64 of 32 bytes.
    """
    if not isinstance(text, str) or not text.endswith("\n"):
        raise NoteError("a checkpoint's text is lines, each ending in a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError("a checkpoint has an origin, a tree size and a root hash, one per line")
    origin, size, root, *extensions = lines
    _check_line(origin, "origin")
    for line in extensions:
        _check_line(line, "extension line")
    if _SIZE.fullmatch(size) is None or int(size) > MAX_SIZE:
        raise NoteError(f"a checkpoint's tree size is decimal with no leading zero: {size!r}")
    root_hash = strict_b64decode(_check_line(root, "root hash"), "the checkpoint's root hash")
    if len(root_hash) != HASH_SIZE:
        raise NoteError(f"a checkpoint's root hash is {HASH_SIZE} bytes, not {len(root_hash)}")
    return Checkpoint(origin, int(size), root_hash, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, *signers: Signer) -> str:
    """The checkpoint as a signed note. The log's key name should be its origin (tlog-checkpoint)."""
    return sign_note(checkpoint.text, *signers)


def verify_checkpoint(note: str | bytes, verifiers: Iterable[Verifier | str], origin: str) -> Checkpoint:
    """The checkpoint in `note`, once a key trusted for this log has signed it and its origin is `origin`.

    Pass only the log's own keys as `verifiers`: a witness's cosignature alone does not make a checkpoint
    the log's (tlog-proof, "Verifying a tlog proof", step 2). Raises NoteError otherwise.
    """
    checkpoint = parse_checkpoint(verify_note(note, verifiers).text)
    if checkpoint.origin != origin:
        raise NoteError(f"the checkpoint is of the log {checkpoint.origin!r}, not {origin!r}")
    return checkpoint
