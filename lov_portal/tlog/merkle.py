"""RFC 9162 section 2.1 Merkle trees: roots and proofs over a list of leaf hashes.

Generation only: every check of a proof, here and by outsiders, goes through the standalone
verifier `tools/lov_verify.py`, so the server and third parties run the same code.
"""

from __future__ import annotations

from tools.lov_verify import leaf_hash, node_hash, root_hash

__all__ = ["consistency_proof", "inclusion_proof", "leaf_hash", "node_hash", "root_hash"]


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def inclusion_proof(index: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 section 2.1.3.1."""
    if not 0 <= index < len(leaves):
        raise ValueError("index outside the tree")
    path: list[bytes] = []
    lo, hi = 0, len(leaves)
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            path.append(root_hash(leaves[lo + k : hi]))
            hi = lo + k
        else:
            path.append(root_hash(leaves[lo : lo + k]))
            lo += k
    return path[::-1]


def consistency_proof(first: int, leaves: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 section 2.1.4.1, for 0 < first <= n."""
    n = len(leaves)
    if not 0 < first <= n:
        raise ValueError("sizes outside the tree")
    if first == n:
        return []
    return _subproof(first, leaves, complete=True)


def _subproof(m: int, leaves: list[bytes], *, complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [root_hash(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], complete=complete), root_hash(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], complete=False), root_hash(leaves[:k])]
