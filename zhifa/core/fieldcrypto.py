"""Encryption at rest of personal data fields (ID numbers, phones, addresses) with a keyed blind index.

GB/T 39786-2021: SM4 under the `gm` profile (AES-256-GCM under `intl`); the blind index is HMAC-SM3 (HMAC-SHA256)
under a second key, so the database can find a party by ID number without holding it in clear.
Keys: `ZHIFA_FIELD_KEY_FILE` or `DATA_DIR/keys/fields-<profile>.key` (generated once, 0600).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from django.conf import settings

from zhifa.core.keyfiles import read_or_create
from zhifa.crypto.profiles import CryptoProfile, get_profile

INDEX_KEY_SIZE = 32


@cache
def _keys(profile_name: str, path: Path) -> tuple[CryptoProfile, bytes, bytes]:
    crypto = get_profile(profile_name)
    raw = read_or_create(path, lambda: (crypto.new_data_key() + os.urandom(INDEX_KEY_SIZE)).hex().encode())
    material = bytes.fromhex(raw.decode().strip())
    return crypto, material[: crypto.data_key_size], material[crypto.data_key_size :]


def _material() -> tuple[CryptoProfile, bytes, bytes]:
    configured = os.environ.get("ZHIFA_FIELD_KEY_FILE")
    path = Path(configured) if configured else settings.ZHIFA_KEYS_DIR / f"fields-{settings.ZHIFA_CRYPTO}.key"
    return _keys(settings.ZHIFA_CRYPTO, path)


def encrypt(text: str, context: str) -> bytes:
    """Seal `text`; `context` (e.g. "party.id_number") is bound as associated data."""
    if not text:
        return b""
    crypto, data_key, _index_key = _material()
    return crypto.encrypt(data_key, text.encode(), context.encode())


def decrypt(sealed: bytes, context: str) -> str:
    if not sealed:
        return ""
    crypto, data_key, _index_key = _material()
    return crypto.decrypt(data_key, bytes(sealed), context.encode()).decode()


def blind_index(text: str, context: str) -> str:
    """Equal values give equal indexes (per context); the index reveals nothing without the key."""
    if not text:
        return ""
    crypto, _data_key, index_key = _material()
    return crypto.blind_index(index_key, context.encode() + b"\x00" + text.encode())
