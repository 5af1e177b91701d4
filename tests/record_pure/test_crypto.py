"""zhifa.crypto profiles: known-answer tests, SM2 against an independent pure-Python GB/T 32918 check."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from zhifa.crypto import PROFILE_NAMES, SM2_DEFAULT_USER_ID, DecryptionError, get_profile
from zhifa.crypto import profiles as profiles_module

PROFILES = [get_profile(name) for name in PROFILE_NAMES]
ids = [p.name for p in PROFILES]


# --- pure-Python SM2 (GB/T 32918.2-2016 §6-7, curve of GB/T 32918.5-2017), for cross-checking only ---------

SM2_P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
SM2_A = SM2_P - 3
SM2_B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
SM2_N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
SM2_G = (
    0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
    0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0,
)
Point = tuple[int, int] | None


def _add(p: Point, q: Point) -> Point:
    if p is None:
        return q
    if q is None:
        return p
    if p[0] == q[0] and (p[1] + q[1]) % SM2_P == 0:
        return None
    if p == q:
        slope = (3 * p[0] * p[0] + SM2_A) * pow(2 * p[1], -1, SM2_P)
    else:
        slope = (q[1] - p[1]) * pow(q[0] - p[0], -1, SM2_P)
    x = (slope * slope - p[0] - q[0]) % SM2_P
    return x, (slope * (p[0] - x) - p[1]) % SM2_P


def _mul(k: int, p: Point) -> Point:
    result: Point = None
    while k:
        if k & 1:
            result = _add(result, p)
        p = _add(p, p)
        k >>= 1
    return result


def _b32(value: int) -> bytes:
    return value.to_bytes(32, "big")


def _e(public: tuple[int, int], message: bytes, user_id: bytes) -> int:
    """e = SM3(Z ‖ M), Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA)."""
    z = hashlib.new(
        "sm3",
        (len(user_id) * 8).to_bytes(2, "big")
        + user_id
        + b"".join(_b32(v) for v in (SM2_A, SM2_B, *SM2_G, *public)),
    ).digest()
    return int.from_bytes(hashlib.new("sm3", z + message).digest(), "big")


def ref_sm2_verify(public: tuple[int, int], message: bytes, r: int, s: int, user_id: bytes) -> bool:
    if not (0 < r < SM2_N and 0 < s < SM2_N):
        return False
    t = (r + s) % SM2_N
    if t == 0:
        return False
    point = _add(_mul(s, SM2_G), _mul(t, public))
    return point is not None and (_e(public, message, user_id) + point[0]) % SM2_N == r


def ref_sm2_sign(d: int, message: bytes, user_id: bytes) -> tuple[int, int]:
    public = _mul(d, SM2_G)
    assert public is not None
    e = _e(public, message, user_id)
    while True:
        k = secrets.randbelow(SM2_N - 1) + 1
        point = _mul(k, SM2_G)
        assert point is not None
        x1 = point[0]
        r = (e + x1) % SM2_N
        s = pow(1 + d, -1, SM2_N) * (k - r * d) % SM2_N
        if r and r + k != SM2_N and s:
            return r, s


def _point(public: bytes) -> tuple[int, int]:
    assert len(public) == 65 and public[0] == 4
    return int.from_bytes(public[1:33], "big"), int.from_bytes(public[33:], "big")


def _sm2_private_value(pem: bytes) -> int:
    from tongsuopy.crypto.serialization import load_pem_private_key

    return int(load_pem_private_key(pem, None).private_numbers().private_value)


# --- profile selection -----------------------------------------------------------------------------------


def test_profiles_by_name() -> None:
    gm, intl = get_profile("gm"), get_profile("intl")
    assert (gm.hash_name, gm.signature_algorithm, gm.cipher) == ("sm3", "sm2", "sm4-gcm")
    assert (intl.hash_name, intl.signature_algorithm, intl.cipher) == ("sha256", "ed25519", "aes-256-gcm")
    assert get_profile("gm") is gm


@pytest.mark.parametrize("name", ["GM", "sm", "", "sha256"])
def test_unknown_profile_lists_valid_names(name: str) -> None:
    with pytest.raises(ValueError, match="'gm', 'intl'"):
        get_profile(name)


# --- hashing ---------------------------------------------------------------------------------------------


HASH_VECTORS = {
    # GB/T 32905-2016 Appendix A examples 1 and 2; FIPS 180-2 "abc"
    "gm": [
        (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
        (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
    ],
    "intl": [(b"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")],
}


@pytest.mark.parametrize("profile", PROFILES, ids=ids)
def test_hash_known_answers_and_incremental(profile: profiles_module.CryptoProfile) -> None:
    for data, expected in HASH_VECTORS[profile.name]:
        assert profile.hash(data).hex() == expected
        h = profile.new_hash()
        for i in range(0, len(data), 3):
            h.update(data[i : i + 3])
        copy = h.copy()
        assert h.hexdigest() == expected and copy.digest() == bytes.fromhex(expected)
    assert profile.new_hash().digest_size == profile.digest_size == 32


def test_sm3_fallback_through_cryptography(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_sm3(name: str, *args: object, **kwargs: object) -> object:
        raise ValueError(f"unsupported hash type {name}")

    monkeypatch.setattr(profiles_module.hashlib, "new", no_sm3)
    new = profiles_module._hash_factory("sm3")
    h = new()
    h.update(b"ab")
    h2 = h.copy()
    h2.update(b"c")
    assert h2.hexdigest() == HASH_VECTORS["gm"][0][1]
    assert h.digest() != h2.digest() and h.name == "sm3" and h.digest_size == 32


@pytest.mark.parametrize("profile", PROFILES, ids=ids)
def test_digest_each_is_the_prefixed_hash_of_each_message(profile: profiles_module.CryptoProfile) -> None:
    messages = [b"", b"a", secrets.token_bytes(64), secrets.token_bytes(1000)]
    buffers = [memoryview(b"x" + message)[1:] for message in messages]  # slices of a larger buffer
    expected = b"".join(profile.hash(b"\x01" + message) for message in messages)
    assert profile.digest_each(b"\x01", messages) == profile.digest_each(b"\x01", buffers) == expected
    assert profile.digest_each(b"\x00", []) == b""


def test_digest_each_through_the_cryptography_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    sm3 = profiles_module.get_profile("gm")
    expected = sm3.digest_each(b"\x00", [b"abc", b"de"])
    fallback = profiles_module.CryptoProfile(sm3.name, sm3.hash_name, sm3.signature_algorithm, sm3.cipher,
                                             sm3.data_key_size)
    monkeypatch.setattr(profiles_module, "_hash_factory",
                        lambda name: functools.partial(profiles_module._CryptographyHash, hashes.SM3()))
    assert fallback.digest_each(b"\x00", [b"abc", b"de"]) == expected == sm3.hash(b"\x00abc") + sm3.hash(b"\x00de")


# --- signatures ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES, ids=ids)
def test_sign_verify_round_trip(profile: profiles_module.CryptoProfile) -> None:
    key = profile.generate_signing_key()
    assert key.algorithm == profile.signature_algorithm
    message = "— zhifa.example/log\n42\n".encode()
    signature = key.sign(message)
    verifier = key.verifier()
    assert verifier.verify(signature, message)
    assert not verifier.verify(signature, message + b"x")
    assert not profile.generate_signing_key().verifier().verify(signature, message)
    for i in range(len(signature)):  # any flipped bit breaks it
        tampered = bytearray(signature)
        tampered[i] ^= 1 << (i % 8)
        assert not verifier.verify(bytes(tampered), message)


@pytest.mark.parametrize("profile", PROFILES, ids=ids)
@pytest.mark.parametrize("junk", [b"", b"\x00", b"\x30\x00", b"\x30\x06\x02\x01\x01\x02\x01\x01", b"x" * 64])
def test_verify_never_raises_on_junk(profile: profiles_module.CryptoProfile, junk: bytes) -> None:
    assert not profile.generate_signing_key().verifier().verify(junk, b"m")


@pytest.mark.parametrize("profile", PROFILES, ids=ids)
def test_key_serialisation(profile: profiles_module.CryptoProfile) -> None:
    key = profile.generate_signing_key()
    pem = key.private_pem()
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    again = profile.load_signing_key(pem)
    assert again.public_bytes() == key.public_bytes()
    raw = key.public_bytes()
    assert len(raw) == {"ed25519": 32, "sm2": 65}[key.algorithm]
    signature = again.sign(b"m")
    for public in (raw, key.verifier().public_pem()):
        loaded = profile.load_verifier_key(public)
        assert loaded.public_bytes() == raw and loaded.verify(signature, b"m")


def test_keys_of_the_other_profile_are_refused() -> None:
    gm, intl = get_profile("gm"), get_profile("intl")
    sm2_key, ed_key = gm.generate_signing_key(), intl.generate_signing_key()
    with pytest.raises(ValueError, match="SM2"):
        gm.load_signing_key(ed_key.private_pem())
    with pytest.raises(ValueError, match="Ed25519"):
        intl.load_signing_key(sm2_key.private_pem())
    with pytest.raises(ValueError, match="Ed25519"):
        intl.load_verifier_key(sm2_key.verifier().public_pem())
    with pytest.raises(ValueError, match="32 bytes"):
        intl.load_verifier_key(sm2_key.public_bytes())
    with pytest.raises(ValueError, match="SM2"):
        gm.load_verifier_key(ed_key.verifier().public_pem())
    with pytest.raises(ValueError):
        gm.load_verifier_key(ed_key.public_bytes())
    with pytest.raises(ValueError):
        gm.load_verifier_key(b"\x04" + b"\x01" * 64)  # not on the curve


def test_sm2_uses_the_default_user_id_per_gmt_0009() -> None:
    """tongsuopy signs SM3(Z ‖ M) with ID 1234567812345678: checked by independent arithmetic."""
    assert SM2_DEFAULT_USER_ID == b"1234567812345678"
    gm = get_profile("gm")
    key = gm.generate_signing_key()
    public = _point(key.public_bytes())
    d = _sm2_private_value(key.private_pem())
    assert _mul(d, SM2_G) == public  # the reference curve is the one Tongsuo uses
    message = "行政处罚决定书\n".encode()
    r, s = decode_dss_signature(key.sign(message))
    assert ref_sm2_verify(public, message, r, s, SM2_DEFAULT_USER_ID)
    assert not ref_sm2_verify(public, message, r, s, b"")
    assert not ref_sm2_verify(public, message, r, s, b"8765432187654321")
    # and the other way: a reference signature verifies with tongsuopy
    r2, s2 = ref_sm2_sign(d, message, SM2_DEFAULT_USER_ID)
    assert key.verifier().verify(encode_dss_signature(r2, s2), message)
    r3, s3 = ref_sm2_sign(d, message, b"another id")
    assert not key.verifier().verify(encode_dss_signature(r3, s3), message)


def test_sm2_cross_check_with_gmssl() -> None:
    sm2 = pytest.importorskip("gmssl.sm2")
    gm = get_profile("gm")
    key = gm.generate_signing_key()
    message = b"checkpoint\n"
    r, s = decode_dss_signature(key.sign(message))
    crypt = sm2.CryptSM2(private_key="", public_key=key.public_bytes()[1:].hex(), mode=1)
    assert crypt.verify_with_sm3(f"{r:064x}{s:064x}", message)


def test_sm2_signature_must_be_canonical_der() -> None:
    gm = get_profile("gm")
    key = gm.generate_signing_key()
    signature = key.sign(b"m")
    r, s = decode_dss_signature(signature)
    verifier = key.verifier()
    assert verifier.verify(signature, b"m")
    assert not verifier.verify(signature + b"\x00", b"m")
    long_form = b"\x30\x81" + bytes([len(signature) - 2]) + signature[2:]  # BER length, not DER
    assert not verifier.verify(long_form, b"m")
    assert not verifier.verify(encode_dss_signature(r + SM2_N, s), b"m")
    assert not verifier.verify(encode_dss_signature(r, 0), b"m")


def test_ed25519_is_rfc8032() -> None:
    """RFC 8032 §7.1 TEST 1: the empty message under a known key."""
    seed = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    pem = ed25519.Ed25519PrivateKey.from_private_bytes(seed).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key = get_profile("intl").load_signing_key(pem)
    assert key.public_bytes().hex() == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    assert key.sign(b"").hex() == (
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595"
        "bbe24655141438e7a100b"
    )


# --- encryption ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES, ids=ids)
def test_encrypt_round_trip_and_tamper(profile: profiles_module.CryptoProfile) -> None:
    key = profile.new_data_key()
    assert len(key) == {"gm": 16, "intl": 32}[profile.name]
    plaintext = b"430202199001011234"
    sealed = profile.encrypt(key, plaintext, b"party:7")
    assert profile.decrypt(key, sealed, b"party:7") == plaintext
    assert profile.encrypt(key, plaintext, b"party:7") != sealed  # random nonce
    assert len(sealed) == 1 + 12 + len(plaintext) + 16
    with pytest.raises(DecryptionError):
        profile.decrypt(key, sealed, b"party:8")
    with pytest.raises(DecryptionError):
        profile.decrypt(profile.new_data_key(), sealed, b"party:7")
    for i in range(1, len(sealed)):
        tampered = bytearray(sealed)
        tampered[i] ^= 0x40
        with pytest.raises(DecryptionError):
            profile.decrypt(key, bytes(tampered), b"party:7")
    with pytest.raises(DecryptionError):
        profile.decrypt(key, sealed[:20])
    with pytest.raises(ValueError):
        profile.encrypt(key[:-1], plaintext)
    assert profile.decrypt(key, profile.encrypt(key, b"")) == b""


def test_ciphertext_of_another_profile_is_named() -> None:
    gm, intl = get_profile("gm"), get_profile("intl")
    sealed = intl.encrypt(b"k" * 32, b"x")
    with pytest.raises(DecryptionError, match="aes-256-gcm"):
        gm.decrypt(b"k" * 16, sealed)


def test_sm4_gcm_rfc8998_vector() -> None:
    """RFC 8998 Appendix A.1, through the profile's decrypt path."""
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    nonce = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    plaintext = bytes.fromhex("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD")
    plaintext += bytes.fromhex("EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA")
    ciphertext = bytes.fromhex(
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
    )
    tag = bytes.fromhex("83DE3541E4C2B58177E065A9BF7B62EC")
    assert get_profile("gm").decrypt(key, b"\x02" + nonce + ciphertext + tag, aad) == plaintext


def test_sm4_gcm_agrees_with_tongsuopy() -> None:
    from tongsuopy.crypto.ciphers.aead import SM4GCM

    gm = get_profile("gm")
    key = gm.new_data_key()
    sealed = gm.encrypt(key, b"evidence metadata", b"ad")
    assert SM4GCM(key).decrypt(sealed[1:13], sealed[13:], b"ad") == b"evidence metadata"


def test_aes_256_gcm_known_answer() -> None:
    """The GCM specification's test case 16 (AES-256, 96-bit IV, with AAD)."""
    key = bytes.fromhex("feffe9928665731c6d6a8f9467308308" * 2)
    nonce = bytes.fromhex("cafebabefacedbaddecaf888")
    aad = bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
    plaintext = bytes.fromhex(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
        "b16aedf5aa0de657ba637b39"
    )
    sealed = bytes.fromhex(
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838"
        "c5f61e6393ba7a0abcc9f662"
        "76fc6ece0f4e1768cddf8853bb2d551b"
    )
    assert get_profile("intl").decrypt(key, b"\x01" + nonce + sealed, aad) == plaintext


# --- blind index -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES, ids=ids)
def test_blind_index(profile: profiles_module.CryptoProfile) -> None:
    key = secrets.token_bytes(32)
    value = b"430202199001011234"
    index = profile.blind_index(key, value)
    assert index == hmac.new(key, value, profile.hash_name).hexdigest()  # stdlib HMAC as the reference
    assert index == profile.blind_index(key, value) and len(index) == 64
    assert index != profile.blind_index(secrets.token_bytes(32), value)
    assert index != profile.blind_index(key, value + b"X")
    with pytest.raises(ValueError):
        profile.blind_index(b"short", value)
