"""The deployment's crypto profile (ZHIFA_CRYPTO: gm = SM3/SM2/SM4, intl = SHA-256/Ed25519/AES-GCM)."""

from functools import cache

from django.conf import settings

from zhifa.crypto.profiles import CryptoProfile, get_profile
from zhifa.record import merkle


class LogProfile:
    """The profile plus the RFC 9162 leaf and node hashes built on its hash function."""

    def __init__(self, crypto: CryptoProfile) -> None:
        self.crypto = crypto
        self.hash_name = crypto.hash_name

    def leaf_hash(self, data: bytes) -> bytes:
        return merkle.leaf_hash(self.crypto.hash, data)

    def node_hash(self, left: bytes, right: bytes) -> bytes:
        return merkle.node_hash(self.crypto.hash, left, right)


@cache
def _profile(name: str) -> LogProfile:
    return LogProfile(get_profile(name))


def profile() -> LogProfile:
    return _profile(settings.ZHIFA_CRYPTO)
