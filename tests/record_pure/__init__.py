"""Tests of the pure-Python record modules (no Django): crypto profiles, Merkle tree, signed notes, verifier.

Shared here: a deliberately naive, recursive transcription of RFC 9162 §2.1 to check the stored-subtree
implementation against, and the two hash functions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def sm3(data: bytes) -> bytes:
    return hashlib.new("sm3", data).digest()


HASHES: dict[str, Callable[[bytes], bytes]] = {"sha256": sha256, "sm3": sm3}


class NaiveTree:
    """MTH, PATH and PROOF as RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 write them (leaf hashes given)."""

    def __init__(self, h: Callable[[bytes], bytes], leaf_hashes: list[bytes]) -> None:
        self.h = h
        self.leaves = leaf_hashes
        self.mth = lru_cache(maxsize=None)(self._mth)

    @staticmethod
    def split(n: int) -> int:
        k = 1
        while k * 2 < n:
            k *= 2
        return k

    def _mth(self, start: int, end: int) -> bytes:
        n = end - start
        if n == 0:
            return self.h(b"")
        if n == 1:
            return self.leaves[start]
        k = self.split(n)
        return self.h(b"\x01" + self.mth(start, start + k) + self.mth(start + k, end))

    def root(self, size: int) -> bytes:
        return self.mth(0, size)

    def path(self, m: int, start: int, end: int) -> list[bytes]:
        n = end - start
        if n == 1:
            return []
        k = self.split(n)
        if m < k:
            return self.path(m, start, start + k) + [self.mth(start + k, end)]
        return self.path(m - k, start + k, end) + [self.mth(start, start + k)]

    def subproof(self, m: int, start: int, end: int, b: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if b else [self.mth(start, end)]
        k = self.split(n)
        if m <= k:
            return self.subproof(m, start, start + k, b) + [self.mth(start + k, end)]
        return self.subproof(m - k, start + k, end, False) + [self.mth(start, start + k)]

    def inclusion(self, index: int, size: int) -> list[bytes]:
        return self.path(index, 0, size)

    def consistency(self, m: int, n: int) -> list[bytes]:
        return self.subproof(m, 0, n, True)


def leaf_data(i: int) -> bytes:
    """Event bytes of test leaf i."""
    return f'{{"seq":{i},"type":"test"}}'.encode()
