"""The standalone verifier's own tree (verify_audit_pack.py writes it afresh, apart from cotrace/seal):
against the same published test data of the reference implementation, and against cotrace/seal's proofs of
every tree up to 64 events, each proof also spoilt."""

from __future__ import annotations

import random

import pytest

import verify_audit_pack as verifier
from cotrace.seal.merkle import consistency_proof, inclusion_proof, leaf_hash
from tests.transparency.test_merkle import (
    CONSISTENCY,
    INCLUSION,
    LEAF_INPUTS,
    LEAVES,
    ROOTS,
    _bytes,
    _cases,
    _spoilt,
)


def test_the_leaves_and_roots_of_the_reference_tree():
    assert [verifier.leaf_hash(data) for data in LEAF_INPUTS] == LEAVES
    for size in range(len(LEAVES) + 1):
        frontier = verifier.Frontier()
        for leaf in LEAVES[:size]:
            frontier.add(leaf)
        assert frontier.root() == ROOTS[size], size


@pytest.mark.parametrize("index, size, proof", INCLUSION)
def test_the_reference_inclusion_proofs(index, size, proof):
    assert verifier.included(LEAVES[index], index, size, proof, ROOTS[size])


@pytest.mark.parametrize("old, new, proof", CONSISTENCY)
def test_the_reference_consistency_proofs(old, new, proof):
    assert verifier.consistent(old, new, ROOTS[old], ROOTS[new], proof)


@pytest.mark.parametrize("case", _cases("inclusion"), ids=lambda case: case["file"])
def test_the_reference_inclusion_probes(case):
    proof = [_bytes(p) for p in case["proof"] or []]
    verified = verifier.included(
        _bytes(case["leafHash"]), case["leafIdx"], case["treeSize"], proof, _bytes(case["root"])
    )
    assert verified is not case["wantErr"]


@pytest.mark.parametrize("case", _cases("consistency"), ids=lambda case: case["file"])
def test_the_reference_consistency_probes(case):
    proof = [_bytes(p) for p in case["proof"] or []]
    verified = verifier.consistent(
        case["size1"], case["size2"], _bytes(case["root1"]), _bytes(case["root2"]), proof
    )
    assert verified is not case["wantErr"]


def test_every_proof_of_every_tree_up_to_64_events_and_none_spoilt():
    rng = random.Random(62)
    leaves = [leaf_hash(rng.randbytes(12)) for _ in range(64)]
    roots = []
    frontier = verifier.Frontier()
    roots.append(frontier.root())
    for leaf in leaves:
        frontier.add(leaf)
        roots.append(frontier.root())
    for size in range(1, 65):
        for index in range(size):
            proof = inclusion_proof(leaves, index, size)
            assert verifier.included(leaves[index], index, size, proof, roots[size])
            for bad in _spoilt(proof, rng):
                assert not verifier.included(leaves[index], index, size, bad, roots[size]), (index, size)
            assert not verifier.included(
                leaves[index], index, size + 1, proof, roots[size + 1] if size < 64 else roots[size]
            )
        for old in range(1, size):
            proof = consistency_proof(leaves, old, size)
            assert verifier.consistent(old, size, roots[old], roots[size], proof)
            for bad in _spoilt(proof, rng):
                assert not verifier.consistent(old, size, roots[old], roots[size], bad), (old, size)
            assert not verifier.consistent(size, old, roots[size], roots[old], proof)  # first after second
            assert not verifier.consistent(old, size, roots[old - 1], roots[size], proof)
