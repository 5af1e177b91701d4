"""zhifa.record.signed_note: the C2SP signed-note and tlog-checkpoint formats, Ed25519 and SM2 keys."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from zhifa.crypto import PROFILE_NAMES, SigningKey, get_profile
from zhifa.record import signed_note as sn
from zhifa.record.signed_note import Checkpoint, NoteFormatError, NoteVerificationError

PROFILES = [get_profile(name) for name in PROFILE_NAMES]
ids = [p.name for p in PROFILES]
ORIGIN = "zhifa.example.gov.cn/lukou"

# golang.org/x/mod/sumdb/note's documented example: Ed25519 is deterministic, so we must match it exactly.
GO_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT
    + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6"
    "RyyBwJnAM=\n"
)


def go_signing_key() -> SigningKey:
    seed = base64.b64decode(GO_SIGNER.split("+", 4)[4])[1:]
    pem = ed25519.Ed25519PrivateKey.from_private_bytes(seed).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return get_profile("intl").load_signing_key(pem)


@pytest.fixture(scope="module", params=PROFILE_NAMES)
def key(request: pytest.FixtureRequest) -> SigningKey:
    return get_profile(request.param).generate_signing_key()


# --- interoperability with the Go implementation ---------------------------------------------------------


def test_go_note_package_example_byte_for_byte() -> None:
    signer = go_signing_key()
    assert sn.verifier_key_string("PeterNeumann", signer) == GO_VERIFIER
    assert sn.sign_note(GO_TEXT, "PeterNeumann", signer) == GO_NOTE
    assert sn.open_note(GO_NOTE, [GO_VERIFIER]) == (GO_TEXT, ["PeterNeumann"])
    assert sn.open_note(GO_NOTE, GO_VERIFIER) == (GO_TEXT, ["PeterNeumann"])
    with pytest.raises(NoteVerificationError):
        sn.open_note(GO_NOTE.replace("cryptography", "cryptographY"), [GO_VERIFIER])


def test_key_id_is_the_spec_hash() -> None:
    key = get_profile("intl").generate_signing_key()
    expected = hashlib.sha256(b"example.com/log\n\x01" + key.public_bytes()).digest()[:4]
    assert sn.key_id("example.com/log", b"\x01", key.public_bytes()) == int.from_bytes(expected, "big")
    name, id_hex, _ = sn.verifier_key_string("example.com/log", key).split("+", 2)
    assert (name, id_hex) == ("example.com/log", expected.hex())


def test_sm2_signature_type_is_0xff_then_the_sm2_with_sm3_oid() -> None:
    assert sn.SM2_TYPE.hex() == "ff06082a811ccf55018375"
    # decode the DER OID independently: tag 06, length, then base-128 arcs
    oid = sn.SM2_ALGORITHM_ID
    assert oid[0] == 0x06 and oid[1] == len(oid) - 2
    arcs, value = [], 0
    for byte in oid[2:]:
        value = value << 7 | byte & 0x7F
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = arcs.pop(0)
    assert [first // 40, first % 40, *arcs] == [1, 2, 156, 10197, 1, 501]
    key = get_profile("gm").generate_signing_key()
    vkey = sn.verifier_key_string("zhifa.example/log", key)
    raw = base64.b64decode(vkey.split("+", 2)[2])
    assert raw == sn.SM2_TYPE + key.public_bytes() and len(raw) == 11 + 65
    expected = hashlib.sha256(b"zhifa.example/log\n" + raw).digest()[:4].hex()
    assert vkey.split("+", 2)[1] == expected


# --- sign and open ---------------------------------------------------------------------------------------


def test_round_trip(key: SigningKey) -> None:
    body = Checkpoint(ORIGIN, 7, b"\x01" * 32).body()
    note = sn.sign_note(body, ORIGIN, key)
    assert note.startswith(body + "\n— " + ORIGIN + " ")
    assert note.endswith("\n") and note.count("\n") == body.count("\n") + 2
    vkey = sn.verifier_key_string(ORIGIN, key)
    assert sn.open_note(note, [vkey]) == (body, [ORIGIN])
    assert sn.open_note(note.encode(), [sn.parse_verifier_key(vkey)]) == (body, [ORIGIN])
    checkpoint, names = sn.open_checkpoint(note, [vkey])
    assert checkpoint == Checkpoint(ORIGIN, 7, b"\x01" * 32) and names == [ORIGIN]
    blob = base64.b64decode(note.rsplit(" ", 1)[1])
    assert blob[:4].hex() == vkey.split("+", 2)[1]
    assert key.verifier().verify(blob[4:], body.encode())


def test_tampering_is_caught(key: SigningKey) -> None:
    body = Checkpoint(ORIGIN, 7, b"\x01" * 32).body()
    note = sn.sign_note(body, ORIGIN, key)
    vkey = sn.verifier_key_string(ORIGIN, key)
    with pytest.raises(NoteVerificationError, match="does not verify"):
        sn.open_note(note.replace("\n7\n", "\n8\n"), [vkey])
    signature = note.rsplit(" ", 1)[1].strip()
    blob = bytearray(base64.b64decode(signature))
    blob[-1] ^= 1
    forged = note.replace(signature, base64.b64encode(bytes(blob)).decode())
    with pytest.raises(NoteVerificationError):
        sn.open_note(forged, [vkey])
    # the same signature claimed by another key id, or name, is an unknown key: ignored, so nothing verifies
    blob = bytearray(base64.b64decode(signature))
    blob[0] ^= 1
    with pytest.raises(NoteVerificationError, match="no signature by a known key"):
        sn.open_note(note.replace(signature, base64.b64encode(bytes(blob)).decode()), [vkey])
    with pytest.raises(NoteVerificationError, match="no signature by a known key"):
        sn.open_note(note.replace(f"— {ORIGIN} ", "— other.example/log "), [vkey])
    other = sn.verifier_key_string(ORIGIN, get_profile(key_profile(key)).generate_signing_key())
    with pytest.raises(NoteVerificationError, match="no signature by a known key"):
        sn.open_note(note, [other])


def key_profile(key: SigningKey) -> str:
    return {"sm2": "gm", "ed25519": "intl"}[key.algorithm]


def test_rotation_and_cosigning() -> None:
    """Old and new keys (and profiles) side by side: any known key suffices, unknown ones are ignored."""
    old, new = get_profile("gm").generate_signing_key(), get_profile("gm").generate_signing_key()
    witness = get_profile("intl").generate_signing_key()
    body = Checkpoint(ORIGIN, 100, b"\x02" * 32).body()
    old_note = sn.sign_note(body, ORIGIN, old)
    both = sn.add_signature(old_note, ORIGIN, new)
    cosigned = sn.add_signature(both, "witness.example/w1", witness)
    old_key, new_key = sn.verifier_key_string(ORIGIN, old), sn.verifier_key_string(ORIGIN, new)
    witness_key = sn.verifier_key_string("witness.example/w1", witness.verifier())
    assert sn.open_note(cosigned, [old_key]) == (body, [ORIGIN])
    assert sn.open_note(cosigned, [new_key]) == (body, [ORIGIN])
    assert sn.open_note(cosigned, [witness_key, new_key])[1] == [ORIGIN, "witness.example/w1"]
    assert sn.open_note(old_note, [new_key, old_key])[1] == [ORIGIN]  # old checkpoints stay verifiable
    with pytest.raises(NoteVerificationError):
        sn.open_note(old_note, [new_key, witness_key])


def test_note_text_may_hold_blank_lines(key: SigningKey) -> None:
    body = "first\n\nafter a blank line\n\n\n"
    note = sn.sign_note(body, "n", key)
    assert sn.open_note(note, [sn.verifier_key_string("n", key)])[0] == body


@pytest.mark.parametrize(
    "mangle",
    [
        lambda note: note.replace("\n\n—", "\n—"),  # no blank line
        lambda note: note[:-1],  # no final newline
        lambda note: note.replace("— ", "- "),  # hyphen instead of em dash
        lambda note: note.replace("— ", "—  "),
        lambda note: note.replace("— n ", "— n  "),
        lambda note: note.rstrip("\n") + "=\n",  # bad base64
        lambda note: note.rsplit("\n\n", 1)[0] + "\n\n",  # no signature
        lambda note: note.replace("text", "te\x07xt"),  # control character
        lambda note: note.replace("text", "te\rxt"),
        lambda note: note + "— n AAAA\n",  # a signature shorter than a key ID
        lambda note: note + "— n+x AAAAAAA=\n",  # '+' in a key name
        lambda note: note + "\n",
    ],
)
def test_malformed_notes(key: SigningKey, mangle: Callable[[str], str]) -> None:
    note = sn.sign_note("some text\n", "n", key)
    with pytest.raises(NoteFormatError):
        sn.open_note(mangle(note), [sn.verifier_key_string("n", key)])


def test_more_formats_refused(key: SigningKey) -> None:
    vkey = sn.verifier_key_string("n", key)
    with pytest.raises(NoteFormatError, match="UTF-8"):
        sn.open_note(b"\xff\xfe\n\n\xe2\x80\x94 n AAAAAAA=\n", [vkey])
    with pytest.raises(NoteFormatError):
        sn.sign_note("no final newline", "n", key)
    for name in ("", "a b", "a+b", "tab\tname", "a\u3000b"):
        with pytest.raises(NoteFormatError):
            sn.sign_note("text\n", name, key)
    many = sn.sign_note("text\n", "n", key) + "— n AAAAAAA=\n" * sn.MAX_SIGNATURES
    with pytest.raises(NoteFormatError, match="signatures"):
        sn.open_note(many, [vkey])
    # sixteen unknown signatures, then ours: accepted as the spec requires
    crowd = sn.add_signature("text\n\n" + "— other AAAAAAA=\n" * 16, "n", key)
    assert sn.open_note(crowd, [vkey])[1] == ["n"]


# --- verifier keys ---------------------------------------------------------------------------------------


def test_verifier_key_strings(key: SigningKey) -> None:
    vkey = sn.verifier_key_string("log.example/a", key)
    assert vkey == sn.verifier_key_string("log.example/a", key.verifier())
    parsed = sn.parse_verifier_key(vkey)
    assert (parsed.name, parsed.algorithm, parsed.public_key) == (
        "log.example/a",
        key.algorithm,
        key.public_bytes(),
    )
    assert parsed.key_string() == vkey
    name, id_hex, encoded = vkey.split("+", 2)
    wrong_id = f"{int(id_hex, 16) ^ 1:08x}"
    raw = base64.b64decode(encoded)
    bad = [
        f"{name}+{wrong_id}+{encoded}",  # key ID does not match
        f"other+{id_hex}+{encoded}",  # nor for another name
        *([f"{name}+{id_hex.upper()}+{encoded}"] if id_hex != id_hex.upper() else []),  # (digits only: no case)
        f"{name}+{id_hex}",
        f"{name}+{id_hex}+{encoded}+x",
        f"{name}+{id_hex}+{encoded[:-4]}",
        f"{name}+{id_hex}+" + base64.b64encode(b"\x02" + raw[1:]).decode(),  # unknown type
        f"{name}+{id_hex}+" + base64.b64encode(raw + b"\x00").decode(),  # wrong key length
        f"+{id_hex}+{encoded}",
    ]
    for text in bad:
        with pytest.raises(NoteFormatError):
            sn.parse_verifier_key(text)
    with pytest.raises(NoteFormatError):
        sn.open_note(sn.sign_note("x\n", name, key), [bad[0]])


def test_sm2_key_not_on_curve_is_refused() -> None:
    raw = sn.SM2_TYPE + b"\x04" + b"\x01" * 64
    kid = sn.key_id("n", sn.SM2_TYPE, raw[len(sn.SM2_TYPE) :])
    with pytest.raises(NoteFormatError):
        sn.parse_verifier_key(f"n+{kid:08x}+{base64.b64encode(raw).decode()}")


# --- checkpoints -----------------------------------------------------------------------------------------


def test_checkpoint_body_format() -> None:
    root = bytes(range(32))
    body = Checkpoint(ORIGIN, 20852163, root).body()
    assert body == f"{ORIGIN}\n20852163\n{base64.b64encode(root).decode()}\n"
    with_ext = Checkpoint(ORIGIN, 0, root, ("hash=sm3", "x y z")).body()
    assert with_ext.endswith("\nhash=sm3\nx y z\n")
    assert Checkpoint.parse(with_ext) == Checkpoint(ORIGIN, 0, root, ("hash=sm3", "x y z"))
    spec_example = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    parsed = Checkpoint.parse(spec_example)
    assert (parsed.origin, parsed.size, len(parsed.root_hash)) == (
        "example.com/behind-the-sofa",
        20852163,
        32,
    )
    assert parsed.body() == spec_example


@pytest.mark.parametrize(
    "text",
    [
        "origin\n5\n",
        "origin\n5\nAAAA",
        "origin\n05\nAAAA\n",
        "origin\n-5\nAAAA\n",
        "origin\n+5\nAAAA\n",
        "origin\n５\nAAAA\n",
        "origin\n5 \nAAAA\n",
        "origin\n5\nAAA\n",
        "origin\n5\nAAAB=\n",
        "origin\n5\n\n",
        "\n5\nAAAA\n",
        "origin\n5\nAAAA\n\n",
        "origin\n5\nAAAA\next\n\n",
    ],
)
def test_malformed_checkpoints(text: str) -> None:
    with pytest.raises(NoteFormatError):
        Checkpoint.parse(text)


def test_checkpoint_fields_are_checked() -> None:
    for args in [("", 1, b"x"), ("a\nb", 1, b"x"), ("o", -1, b"x"), ("o", 1, b""), ("o", True, b"x")]:
        with pytest.raises(NoteFormatError):
            Checkpoint(*args)  # type: ignore[arg-type]
    with pytest.raises(NoteFormatError):
        Checkpoint("o", 1, b"x", ("",))
