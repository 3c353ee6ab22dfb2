"""The Merkle tree of RFC 6962 / RFC 9162 (section 2.1), SHA-256: roots, inclusion and consistency proofs.

Standard library only, so that the standalone verifier can ship this file as it is.

- A leaf's hash is SHA-256(0x00 || data), an interior node's SHA-256(0x01 || left || right), and the empty
  tree's root SHA-256("") (RFC 9162, section 2.1.1). The prefixes keep a leaf from passing for a node.
- A tree of n > 1 leaves splits at k, the largest power of two below n: its root is the node hash of the
  roots of the first k leaves and of the rest. So a tree is a row of perfect subtrees, largest first, and
  `CompactRange` keeps only their roots: O(log n) hashes, enough to append and to give the root.
- Generating a proof reads the leaf hashes (RFC 9162, sections 2.1.3.1 and 2.1.4.1); verifying one reads
  only the proof (sections 2.1.3.2 and 2.1.4.2). Verifiers never raise on what they are given: a proof,
  a size or a hash that is wrong in any way makes them answer False. Generators raise ValueError on
  arguments that name no proof (an index outside the tree, an old tree larger than the new one).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """The hash of one leaf: SHA-256(0x00 || data) (RFC 9162, section 2.1.1)."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: SHA-256(0x01 || left || right) (RFC 9162, section 2.1.1)."""
    return _sha256(b"\x01" + left + right).digest()


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def _is_size(value: object) -> bool:
    # bool is an int in Python; True is no tree size.
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


class CompactRange:
    """The frontier of a tree that grows from size 0: the roots of its perfect subtrees, largest first.

    A tree of size n has one perfect subtree per bit set in n, so the frontier is `n.bit_count()` hashes.
    Appending a leaf merges the equal-sized subtrees it completes, as adding 1 carries in binary: O(log n)
    hashes, and usually one. Save `size` and `hashes`, and `CompactRange(size, hashes)` goes on from there.
    """

    __slots__ = ("_size", "_hashes")

    def __init__(self, size: int = 0, hashes: Iterable[bytes] = ()) -> None:
        hashes = list(hashes)
        if not _is_size(size):
            raise ValueError(f"a tree size is a whole number from 0, not {size!r}")
        if len(hashes) != size.bit_count():
            expected = size.bit_count()
            raise ValueError(f"a tree of {size} leaves has {expected} frontier hashes, not {len(hashes)}")
        if not all(_is_hash(h) for h in hashes):
            raise ValueError(f"every frontier hash is {HASH_SIZE} bytes")
        self._size = size
        self._hashes = hashes

    @property
    def size(self) -> int:
        """How many leaves the tree holds."""
        return self._size

    @property
    def hashes(self) -> list[bytes]:
        """The roots of the perfect subtrees, largest (leftmost) first: what to save (a copy)."""
        return list(self._hashes)

    def append(self, leaf: bytes) -> None:
        """Add the next leaf, by its leaf hash (see `leaf_hash`)."""
        if not _is_hash(leaf):
            raise ValueError(f"a leaf hash is {HASH_SIZE} bytes")
        hashes, carry, size = self._hashes, leaf, self._size
        while size & 1:  # each trailing 1 bit is a subtree the size of `carry`, now completed
            carry = node_hash(hashes.pop(), carry)
            size >>= 1
        hashes.append(carry)
        self._size += 1

    def extend(self, leaves: Iterable[bytes]) -> None:
        """Add these leaf hashes, in order."""
        for leaf in leaves:
            self.append(leaf)

    def root(self) -> bytes:
        """The root hash of the tree as it stands (RFC 9162, section 2.1.1)."""
        if not self._hashes:
            return EMPTY_ROOT
        hashes = self._hashes
        result = hashes[-1]
        for left in reversed(hashes[:-1]):  # the smaller subtrees hang to the right of the larger ones
            result = node_hash(left, result)
        return result

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CompactRange):
            return NotImplemented
        return self._size == other._size and self._hashes == other._hashes

    def __repr__(self) -> str:
        return f"CompactRange(size={self._size}, root={self.root().hex()})"


Frontier = CompactRange


def root(leaf_hashes: Iterable[bytes]) -> bytes:
    """The root hash of the tree of these leaf hashes, in one pass and O(log n) memory.

    The same as appending each to a `CompactRange`, inlined: this is the loop an offline verifier runs over
    a million events.
    """
    sha256 = _sha256
    stack: list[bytes] = []
    size = 0
    for carry in leaf_hashes:
        if len(carry) != HASH_SIZE:
            raise ValueError(f"leaf {size} is not a {HASH_SIZE}-byte hash")
        pending = size
        while pending & 1:
            carry = sha256(b"\x01" + stack.pop() + carry).digest()
            pending >>= 1
        stack.append(carry)
        size += 1
    if not stack:
        return EMPTY_ROOT
    result = stack.pop()
    while stack:
        result = sha256(b"\x01" + stack.pop() + result).digest()
    return result


def _split(n: int) -> int:
    """k, the largest power of two smaller than n (n > 1): where RFC 9162 splits a tree of n leaves."""
    return 1 << ((n - 1).bit_length() - 1)


def _leaves(leaf_hashes: Sequence[bytes], size: int) -> Sequence[bytes]:
    if not _is_size(size):
        raise ValueError(f"a tree size is a whole number from 0, not {size!r}")
    if size > len(leaf_hashes):
        raise ValueError(f"a tree of size {size} needs {size} leaves, and only {len(leaf_hashes)} were given")
    return leaf_hashes[:size]


class Tree:
    """The tree of a list of leaf hashes, for proofs: the roots of its perfect subtrees of `CACHED` leaves
    or more are kept as they are computed, so many proofs over one tree cost O(n) in all rather than
    O(n) each (an audit pack proves hundreds of a policy's events in a log of a million)."""

    CACHED = 64  # a perfect subtree this large or larger is remembered; smaller ones are cheap to redo

    def __init__(self, leaf_hashes: Sequence[bytes]) -> None:
        self.leaves = leaf_hashes
        self._roots: dict[tuple[int, int], bytes] = {}

    def subtree_root(self, lo: int, hi: int) -> bytes:
        """MTH(D[lo:hi]) (RFC 9162, 2.1.1), for 0 <= lo < hi <= the number of leaves."""
        n = hi - lo
        if n < self.CACHED:
            return root(self.leaves[lo:hi])
        if n & (n - 1) == 0:  # a perfect subtree: once computed, kept
            key = (lo, n)
            found = self._roots.get(key)
            if found is None:
                half = n >> 1
                found = node_hash(self.subtree_root(lo, lo + half), self.subtree_root(lo + half, hi))
                self._roots[key] = found
            return found
        k = _split(n)
        return node_hash(self.subtree_root(lo, lo + k), self.subtree_root(lo + k, hi))

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """The audit path of leaf `index` in the tree of the first `size` leaf hashes (RFC 9162, 2.1.3.1).

        From the leaf's sibling up to a child of the root. Raises ValueError unless 0 <= index < size <=
        the number of leaf hashes.
        """
        _leaves(self.leaves, size)
        if not _is_size(index) or index >= size:
            raise ValueError(f"leaf {index!r} is not in a tree of size {size}")
        proof: list[bytes] = []
        lo, hi, m = 0, size, index
        while hi - lo > 1:  # walk down from the root; the sibling subtree at each step is a proof element
            k = _split(hi - lo)
            if m < k:
                proof.append(self.subtree_root(lo + k, hi))
                hi = lo + k
            else:
                proof.append(self.subtree_root(lo, lo + k))
                lo, m = lo + k, m - k
        proof.reverse()  # the RFC lists the path from the leaf up
        return proof

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        """The proof that the tree of `old_size` leaves is a prefix of the tree of `new_size` (RFC 9162,
        2.1.4.1).

        Empty when the sizes are equal. Raises ValueError unless 0 < old_size <= new_size <= the number
        of leaf hashes: every tree extends the empty tree, so from size 0 there is nothing to prove, and
        `verify_consistency` refuses such a proof, as the reference implementation does.
        """
        _leaves(self.leaves, new_size)
        if not _is_size(old_size) or old_size == 0 or old_size > new_size:
            raise ValueError(f"no consistency proof goes from size {old_size!r} to size {new_size}")
        proof: list[bytes] = []
        lo, hi, m, complete = 0, new_size, old_size, True
        # SUBPROOF(m, D[lo:hi], complete), unrolled: `complete` says whether D[lo:lo+m] is the whole old
        # tree, whose root the verifier already has, or a subtree of it, whose root the proof must carry.
        while m != hi - lo:
            k = _split(hi - lo)
            if m <= k:
                proof.append(self.subtree_root(lo + k, hi))
                hi = lo + k
            else:
                proof.append(self.subtree_root(lo, lo + k))
                lo, m, complete = lo + k, m - k, False
        if not complete:
            proof.append(self.subtree_root(lo, hi))
        proof.reverse()
        return proof


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int, size: int) -> list[bytes]:
    """`Tree.inclusion_proof`, for one proof."""
    return Tree(leaf_hashes).inclusion_proof(index, size)


def consistency_proof(leaf_hashes: Sequence[bytes], old_size: int, new_size: int) -> list[bytes]:
    """`Tree.consistency_proof`, for one proof."""
    return Tree(leaf_hashes).consistency_proof(old_size, new_size)


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root_hash: bytes) -> bool:
    """Whether `proof` shows leaf hash `leaf` at `index` in the tree of `size` whose root is `root_hash`.

    RFC 9162, section 2.1.3.2, step by step. False for anything malformed: an index outside the tree, a
    proof too short or too long, an element that is not a hash. The size counts as given with its root: a
    path can fit trees of several sizes, and what ties this root to this size is the signed checkpoint.
    """
    if not (_is_hash(leaf) and _is_hash(root_hash) and _is_size(index) and _is_size(size)):
        return False
    if index >= size or not isinstance(proof, Sequence) or not all(_is_hash(p) for p in proof):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:  # the path reached the root with elements left over
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:  # a last, unpaired node: it rises without a sibling until it is a right child
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root_hash


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether `proof` shows the tree (`old_size`, `old_root`) is a prefix of (`new_size`, `new_root`).

    RFC 9162, section 2.1.4.2, step by step, after the cases it leaves aside: equal sizes need an empty
    proof and equal roots; an old size of 0 or above the new size, or an empty proof, is refused. False for
    anything malformed.
    """
    if not (_is_size(old_size) and _is_size(new_size) and isinstance(proof, Sequence)):
        return False
    if not all(_is_hash(p) for p in proof):
        return False
    if old_size == 0 or old_size > new_size:
        return False
    if old_size == new_size:
        return len(proof) == 0 and old_root == new_root
    if not proof or not (_is_hash(old_root) and _is_hash(new_root)):
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # the old tree is a perfect subtree: its root starts the path
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:  # climb to the lowest node that is not a right child
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
