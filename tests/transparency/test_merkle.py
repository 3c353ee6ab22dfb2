"""The RFC 6962 / RFC 9162 Merkle tree, against a reference implementation's published test data.

The vectors are transparency-dev/merkle's (Google's Go implementation, Apache License 2.0), copied as data:
the hashes of `rfc6962/rfc6962_test.go`, the eight leaves, node hashes, roots and compact ranges of
`testonly/constants.go`, the proofs of `cmd/proofgen/main.go` (its leaf indices count from 1 there, and
from 0 here), and every file of `testdata/inclusion` and `testdata/consistency` (in `vectors/`, with the
commit they come from).
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cotrace.seal.merkle import (
    EMPTY_ROOT,
    CompactRange,
    Tree,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).parent / "vectors"

# testonly/constants.go: LeafInputs, RootHashes (by size from 0), NodeHashes (by level, then position).
LEAF_INPUTS = [
    bytes.fromhex(h)
    for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657"]
    + ["606162636465666768696a6b6c6d6e6f"]
]
ROOTS = [
    bytes.fromhex(h)
    for h in [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
]
NODES = [
    [bytes.fromhex(h) for h in level]
    for level in [
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
        ],
        [
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        ],
        [
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
        ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
    ]
]
N = NODES
# testonly/constants.go CompactTrees: the frontier of each size from 0, as node coordinates.
COMPACT = [[], [N[0][0]], [N[1][0]], [N[1][0], N[0][2]], [N[2][0]], [N[2][0], N[0][4]], [N[2][0], N[1][2]]]
COMPACT += [[N[2][0], N[1][2], N[0][6]], [N[3][0]]]
LEAVES = [leaf_hash(data) for data in LEAF_INPUTS]

# cmd/proofgen/main.go: (index from 0, size, proof) and (old size, new size, proof).
INCLUSION = [
    (0, 1, []),
    (0, 8, [N[0][1], N[1][1], N[2][1]]),
    (5, 8, [N[0][4], N[1][3], N[2][0]]),
    (2, 3, [N[1][0]]),
    (1, 5, [N[0][0], N[1][1], N[0][4]]),
]
CONSISTENCY = [
    (1, 1, []),
    (1, 8, [N[0][1], N[1][1], N[2][1]]),
    (6, 8, [N[1][2], N[1][3], N[2][0]]),
    (2, 5, [N[1][1], N[0][4]]),
    (6, 7, [N[1][2], N[0][6], N[2][0]]),
]


def mth(leaves: list[bytes]) -> bytes:
    """MTH of RFC 9162, section 2.1.1, recursively as the RFC writes it: the oracle for `root`."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def test_the_hashes_of_the_reference_hasher():
    # rfc6962/rfc6962_test.go
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert leaf_hash(b"").hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    assert leaf_hash(b"L123456").hex() == "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    node = node_hash(b"N123", b"N456")
    assert node.hex() == "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"


def test_the_leaves_and_nodes_of_the_eight_leaf_tree():
    assert LEAVES == NODES[0]
    for level in range(1, 4):
        below = NODES[level - 1]
        assert [node_hash(below[2 * i], below[2 * i + 1]) for i in range(len(below) // 2)] == NODES[level]


@pytest.mark.parametrize("size", range(9))
def test_the_root_of_every_size_from_0_to_8(size):
    assert root(LEAVES[:size]) == ROOTS[size]
    assert root(iter(LEAVES[:size])) == ROOTS[size]  # one pass over any iterable
    tree = CompactRange()
    tree.extend(LEAVES[:size])
    assert (tree.size, tree.root(), tree.hashes) == (size, ROOTS[size], COMPACT[size])


def test_a_frontier_saved_and_restored_goes_on_to_the_same_roots():
    for saved_at in range(9):
        restored = CompactRange(saved_at, COMPACT[saved_at])
        for size in range(saved_at, 8):
            restored.append(LEAVES[size])
            assert restored.root() == ROOTS[size + 1]


def test_a_frontier_that_does_not_fit_its_size_is_refused():
    for size, hashes in [(3, COMPACT[2]), (2, COMPACT[3]), (-1, []), (1, [b"short"]), (True, COMPACT[1])]:
        with pytest.raises(ValueError):
            CompactRange(size, hashes)
    with pytest.raises(ValueError):
        CompactRange().append(b"not a hash")
    with pytest.raises(ValueError):
        root([LEAVES[0], b"short"])


def test_root_agrees_with_the_rfc_definition_and_the_frontier_at_every_size_to_300():
    leaves = [leaf_hash(i.to_bytes(4, "big")) for i in range(300)]
    tree = CompactRange()
    for size in range(301):
        assert tree.root() == mth(leaves[:size]) == root(leaves[:size]), size
        assert len(tree.hashes) == size.bit_count()
        if size < 300:
            tree.append(leaves[size])


@pytest.mark.parametrize("index, size, proof", INCLUSION)
def test_the_reference_inclusion_proofs(index, size, proof):
    assert inclusion_proof(LEAVES, index, size) == proof
    assert verify_inclusion(LEAVES[index], index, size, proof, ROOTS[size])


@pytest.mark.parametrize("old, new, proof", CONSISTENCY)
def test_the_reference_consistency_proofs(old, new, proof):
    assert consistency_proof(LEAVES, old, new) == proof
    assert verify_consistency(old, new, ROOTS[old], ROOTS[new], proof)


def _cases(kind: str) -> list[dict]:
    return json.loads((VECTORS / f"{kind}.json").read_text())["cases"]


def _bytes(value: str) -> bytes:
    return base64.b64decode(value)


@pytest.mark.parametrize("case", _cases("inclusion"), ids=lambda case: case["file"])
def test_the_reference_inclusion_probes(case):
    proof = [_bytes(p) for p in case["proof"] or []]
    verified = verify_inclusion(
        _bytes(case["leafHash"]), case["leafIdx"], case["treeSize"], proof, _bytes(case["root"])
    )
    assert verified is not case["wantErr"]


@pytest.mark.parametrize("case", _cases("consistency"), ids=lambda case: case["file"])
def test_the_reference_consistency_probes(case):
    proof = [_bytes(p) for p in case["proof"] or []]
    verified = verify_consistency(
        case["size1"], case["size2"], _bytes(case["root1"]), _bytes(case["root2"]), proof
    )
    assert verified is not case["wantErr"]


def test_the_probes_hold_both_verdicts():
    # A verifier that answered False to everything would pass the bad probes: the good ones must be there.
    for kind in ("inclusion", "consistency"):
        verdicts = {case["wantErr"] for case in _cases(kind)}
        assert verdicts == {True, False}, kind


def test_proofs_are_not_generated_for_what_is_not_there():
    for index, size in [(8, 8), (0, 0), (-1, 4), (0, 9)]:
        with pytest.raises(ValueError):
            inclusion_proof(LEAVES, index, size)
    for old, new in [(5, 4), (0, 4), (1, 9), (-1, 3)]:
        with pytest.raises(ValueError):
            consistency_proof(LEAVES, old, new)


def test_verifiers_answer_false_to_nonsense_and_never_raise():
    good = inclusion_proof(LEAVES, 5, 8)
    for args in [
        (LEAVES[5], 5, 8, good, b"short"),
        (LEAVES[5], 5, 8, [*good[:2], "a string"], ROOTS[8]),
        (LEAVES[5], 5, 8, None, ROOTS[8]),
        (LEAVES[5], "5", 8, good, ROOTS[8]),
        (LEAVES[5], 5, 8.0, good, ROOTS[8]),
        (None, 5, 8, good, ROOTS[8]),
        (LEAVES[5], 8, 8, good, ROOTS[8]),
        (LEAVES[5], 5, 0, good, ROOTS[8]),
    ]:
        assert verify_inclusion(*args) is False, args
    good = consistency_proof(LEAVES, 6, 8)
    for args in [
        (6, 8, ROOTS[6], ROOTS[8], None),
        (6, 8, None, ROOTS[8], good),
        (6, 8, ROOTS[6], ROOTS[8], [*good, b"x"]),
        ("6", 8, ROOTS[6], ROOTS[8], good),
        (8, 6, ROOTS[8], ROOTS[6], good),
        (-2, 8, ROOTS[6], ROOTS[8], good),
        (8, 8, ROOTS[8], ROOTS[8], good),
    ]:
        assert verify_consistency(*args) is False, args


def _spoilt(proof: list[bytes], rng: random.Random) -> list[list[bytes]]:
    """Every way to spoil a proof that we check: each element with one byte changed, each truncation,
    an element added at each end, a neighbouring element repeated, two elements swapped."""
    spoilt = []
    for i, element in enumerate(proof):
        at = rng.randrange(len(element))
        changed = element[:at] + bytes([element[at] ^ (1 << rng.randrange(8))]) + element[at + 1 :]
        spoilt.append([*proof[:i], changed, *proof[i + 1 :]])
        spoilt.append(proof[:i])
        spoilt.append([*proof[:i], element, *proof[i:]])
    extra = leaf_hash(b"extra")
    spoilt += [[*proof, extra], [extra, *proof]]
    if len(proof) > 1 and proof[0] != proof[1]:
        spoilt.append([proof[1], proof[0], *proof[2:]])
    return spoilt


def _check_every_proof_of_a_tree(size: int, rng: random.Random) -> None:
    # Leaves beyond `size`, so that a wrong size comes with the root a tree of that size really has: the
    # signed checkpoint binds a size to its root, and a proof is checked against the pair.
    leaves = [leaf_hash(rng.randbytes(rng.randrange(1, 40))) for _ in range(2 * size + 2)]
    tree, roots = CompactRange(), [EMPTY_ROOT]
    for leaf in leaves:
        tree.append(leaf)
        roots.append(tree.root())
    for index in range(size):
        proof = inclusion_proof(leaves, index, size)
        assert verify_inclusion(leaves[index], index, size, proof, roots[size]), (index, size)
        for bad in _spoilt(proof, rng):
            assert not verify_inclusion(leaves[index], index, size, bad, roots[size]), (index, size, bad)
        other = rng.choice([i for i in range(size + 2) if i != index])
        assert not verify_inclusion(leaves[index], other, size, proof, roots[size]), (index, other, size)
        for wrong_size in {size - 1, size + 1, 2 * size, rng.randrange(1, 2 * size + 2)} - {size}:
            assert not verify_inclusion(leaves[index], index, wrong_size, proof, roots[wrong_size])
        if size > 1:
            assert not verify_inclusion(leaves[(index + 1) % size], index, size, proof, roots[size])
    for old in range(1, size + 1):
        proof = consistency_proof(leaves, old, size)
        assert verify_consistency(old, size, roots[old], roots[size], proof), (old, size)
        if old == size:
            continue
        for bad in _spoilt(proof, rng):
            assert not verify_consistency(old, size, roots[old], roots[size], bad), (old, size, bad)
        for other in {old - 1, old + 1, rng.randrange(1, size + 1)} - {old, 0}:
            assert not verify_consistency(other, size, roots[other], roots[size], proof), (old, other, size)
        for other in {size - 1, size + 1, rng.randrange(old, 2 * size + 1)} - {size}:
            if other > old:
                assert not verify_consistency(old, other, roots[old], roots[other], proof), (old, size, other)
        assert not verify_consistency(size, old, roots[size], roots[old], proof)  # first after second
        assert not verify_consistency(old, size, roots[old - 1], roots[size], proof)
        assert not verify_consistency(old, size, roots[old], roots[size - 1], proof)


def test_every_proof_of_every_tree_up_to_64_leaves_verifies_and_no_spoilt_one_does():
    rng = random.Random(6962)
    for size in range(1, 65):
        _check_every_proof_of_a_tree(size, rng)


@settings(max_examples=12, deadline=None)
@given(size=st.integers(65, 200), seed=st.integers(0, 2**32))
def test_every_proof_of_a_random_tree_up_to_200_leaves(size, seed):
    _check_every_proof_of_a_tree(size, random.Random(seed))


def test_one_tree_asked_for_many_proofs_gives_each_as_a_tree_of_its_own_would():
    # The perfect subtrees a Tree remembers between proofs must never stand in for another range's.
    rng = random.Random(9162)
    leaves = [leaf_hash(rng.randbytes(8)) for _ in range(700)]
    shared = Tree(leaves)
    for _ in range(150):
        size = rng.randrange(1, 701)
        index, old = rng.randrange(size), rng.randrange(1, size + 1)
        assert shared.inclusion_proof(index, size) == Tree(leaves).inclusion_proof(index, size)
        assert shared.consistency_proof(old, size) == Tree(leaves).consistency_proof(old, size)
        assert shared.subtree_root(0, size) == mth(leaves[:size])
