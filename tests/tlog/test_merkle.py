"""The tree hashes follow RFC 9162 section 2.1: Certificate Transparency's published vectors."""

from __future__ import annotations

import hashlib

import pytest

from lov_portal.tlog.merkle import consistency_proof, inclusion_proof, leaf_hash, root_hash
from tools.lov_verify import verify_consistency, verify_inclusion

# RFC 6962 / RFC 9162 reference leaves and the root of each tree size 0..8
# (certificate-transparency and transparency-dev/merkle test data).
CT_LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
CT_ROOTS = [
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
CT_INCLUSION = {
    (0, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (5, 8): [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
}
LEAVES = [leaf_hash(data) for data in CT_LEAVES]


def test_leaf_and_node_hashes_use_the_rfc_9162_prefixes():
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    a, b = LEAVES[0], LEAVES[1]
    assert root_hash([a, b]) == hashlib.sha256(b"\x01" + a + b).digest()


@pytest.mark.parametrize("size", range(9))
def test_roots_match_the_published_vectors(size):
    assert root_hash(LEAVES[:size]).hex() == CT_ROOTS[size]


@pytest.mark.parametrize(("index", "size"), sorted(CT_INCLUSION))
def test_inclusion_proofs_match_the_published_vectors(index, size):
    assert [p.hex() for p in inclusion_proof(index, LEAVES[:size])] == CT_INCLUSION[index, size]


def test_every_inclusion_proof_verifies_and_a_wrong_one_does_not():
    leaves = [leaf_hash(i.to_bytes(2, "big")) for i in range(37)]
    for size in range(1, len(leaves) + 1):
        root = root_hash(leaves[:size])
        for index in range(size):
            proof = inclusion_proof(index, leaves[:size])
            assert verify_inclusion(index, size, leaves[index], proof, root)
            assert not verify_inclusion(index, size, leaves[(index + 1) % 37], proof, root)
            if size > 1:
                assert not verify_inclusion((index + 1) % size, size, leaves[index], proof, root)


def test_every_consistency_proof_verifies_and_a_rewritten_log_does_not():
    leaves = [leaf_hash(i.to_bytes(2, "big")) for i in range(33)]
    rewritten = [*leaves[:5], leaf_hash(b"forged"), *leaves[6:]]
    for second in range(1, len(leaves) + 1):
        second_root = root_hash(leaves[:second])
        for first in range(1, second + 1):
            proof = consistency_proof(first, leaves[:second])
            first_root = root_hash(leaves[:first])
            assert verify_consistency(first, second, first_root, second_root, proof)
            if first > 5:
                # The old head covered entry 5; a log with another entry 5 cannot prove it.
                forged_root = root_hash(rewritten[:second])
                forged = consistency_proof(first, rewritten[:second])
                assert not verify_consistency(first, second, first_root, forged_root, forged)


def test_consistency_proof_of_the_rfc_example():
    # RFC 9162 section 2.1.5: PROOF(3, D[7]) = [c, d, g, l] in the figure's names.
    leaves = LEAVES[:7]
    proof = consistency_proof(3, leaves)
    assert len(proof) == 4
    assert proof[0] == leaves[2]  # c
    assert proof[1] == leaves[3]  # d
    assert proof[2] == root_hash(leaves[:2])  # g = hash(a, b)
    assert proof[3] == root_hash(leaves[4:7])  # l
