"""Offline proofs that an entry is in the log (C2SP tlog-proof, https://c2sp.org/tlog-proof): a receipt.

A proof is lines of text:

    c2sp.org/tlog-proof@v1
    extra <base64>          optional, opaque and NOT authenticated: never trust what it says
    index <decimal>         the entry's index from 0, no leading zeroes
    <base64 hash> ...       the inclusion proof, from the leaf's sibling up (RFC 6962, section 2.1.1)
                            an empty line
    <checkpoint>            the signed checkpoint, verbatim (see checkpoint.py)

To check one (tlog-proof, "Verifying a tlog proof"): compute the leaf hash from the entry, which is the
application's part; check the checkpoint's origin and the log's signature; then check that the inclusion
proof binds the leaf hash to the checkpoint's root. Witness cosignatures (step 3) are left to a policy of
the caller's: unknown signatures are ignored here, as signed-note requires.

Imports only the standard library and the seal's own modules, so that the standalone verifier can ship it.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Relative, so that the folder works as a package wherever the standalone verifier puts it.
from .checkpoint import Checkpoint, parse_checkpoint, verify_checkpoint
from .merkle import HASH_SIZE, verify_inclusion
from .signed_note import NoteError, Verifier, parse_note, strict_b64decode

HEADER = "c2sp.org/tlog-proof@v1"
MAX_PROOF_HASHES = 64  # the depth of a tree of 2**64 - 1 leaves, the largest size a checkpoint takes
_INDEX = re.compile(r"index (0|[1-9][0-9]{0,19})")


class ProofError(NoteError):
    """A tlog proof that is malformed, or that does not prove its entry is in the signed tree."""


@dataclass(frozen=True)
class TlogProof:
    """A parsed tlog proof. `checkpoint` is the signed note as it came, checked for form, not signature."""

    index: int
    proof: tuple[bytes, ...]
    checkpoint: str
    extra: bytes | None = None

    @property
    def text(self) -> str:
        return format_proof(self.index, self.proof, self.checkpoint, self.extra)


def format_proof(index: int, proof: Sequence[bytes], checkpoint: str, extra: bytes | None = None) -> str:
    """The tlog-proof text of the entry at `index`, its inclusion proof and the signed checkpoint note."""
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise ProofError(f"an index is a whole number from 0, not {index!r}")
    if len(proof) > MAX_PROOF_HASHES or not all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in proof):
        raise ProofError(f"an inclusion proof is at most {MAX_PROOF_HASHES} hashes of {HASH_SIZE} bytes")
    parse_checkpoint(parse_note(checkpoint).text)  # a proof is only as good as the checkpoint it carries
    lines = [HEADER]
    if extra is not None:
        lines.append(f"extra {base64.b64encode(extra).decode()}")
    lines.append(f"index {index}")
    lines += [base64.b64encode(h).decode() for h in proof]
    return "".join(line + "\n" for line in lines) + "\n" + checkpoint


def parse_proof(text: str | bytes) -> TlogProof:
    """Read a tlog proof; raises ProofError (a NoteError) on anything out of its form."""
    if isinstance(text, bytes):
        try:
            text = text.decode()
        except UnicodeDecodeError:
            raise ProofError("a tlog proof is UTF-8 text") from None
    if not isinstance(text, str):
        raise ProofError("a tlog proof is text")
    head, blank, checkpoint = text.partition("\n\n")  # proof lines are never empty: the first blank ends them
    if not blank:
        raise ProofError("a tlog proof has an empty line before its checkpoint")
    lines = head.split("\n")
    if lines[0] != HEADER:
        raise ProofError(f"a tlog proof starts with the line {HEADER!r}")
    lines.pop(0)
    extra = None
    if lines and lines[0].startswith("extra "):
        extra = strict_b64decode(lines.pop(0).removeprefix("extra "), "the proof's extra data")
    match = _INDEX.fullmatch(lines.pop(0)) if lines else None
    if match is None or int(match[1]) >= 2**64:
        raise ProofError("a tlog proof gives its index next, as `index <decimal, no leading zero>`")
    if len(lines) > MAX_PROOF_HASHES:
        raise ProofError(f"an inclusion proof is at most {MAX_PROOF_HASHES} hashes")
    proof = tuple(strict_b64decode(line, "an inclusion proof line") for line in lines)
    if any(len(h) != HASH_SIZE for h in proof):
        raise ProofError(f"each inclusion proof line is one {HASH_SIZE}-byte hash")
    parse_checkpoint(parse_note(checkpoint).text)
    return TlogProof(int(match[1]), proof, checkpoint, extra)


def verify_proof(
    proof: str | bytes | TlogProof, leaf: bytes, verifiers: Iterable[Verifier | str], origin: str
) -> Checkpoint:
    """The checkpoint under which `proof` shows the entry of leaf hash `leaf` is in the log `origin`.

    `verifiers` are the log's own keys. Raises ProofError (or NoteError for the checkpoint) if the proof is
    malformed, the checkpoint is not the log's, or the leaf is not at the index in the signed tree.
    """
    parsed = proof if isinstance(proof, TlogProof) else parse_proof(proof)
    checkpoint = verify_checkpoint(parsed.checkpoint, verifiers, origin)
    if not verify_inclusion(leaf, parsed.index, checkpoint.size, parsed.proof, checkpoint.root):
        raise ProofError(
            f"the inclusion proof does not place this entry at index {parsed.index} "
            f"of the tree of size {checkpoint.size} the checkpoint signs"
        )
    return checkpoint
