"""zhifa's cryptography: a profile of algorithms chosen by name ("gm" = SM2/SM3/SM4, "intl"). No Django."""

from zhifa.crypto.profiles import (
    DEFAULT_PROFILE,
    PROFILE_NAMES,
    SM2_DEFAULT_USER_ID,
    CryptoProfile,
    DecryptionError,
    HashObject,
    SigningKey,
    VerifierKey,
    get_profile,
)

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILE_NAMES",
    "SM2_DEFAULT_USER_ID",
    "CryptoProfile",
    "DecryptionError",
    "HashObject",
    "SigningKey",
    "VerifierKey",
    "get_profile",
]
