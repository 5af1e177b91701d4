"""C2SP signed notes (https://c2sp.org/signed-note) and tlog checkpoints (https://c2sp.org/tlog-checkpoint).

A note is UTF-8 text ending in a newline, a blank line, then signature lines
``— <key name> <base64(4-byte key ID ‖ signature)>`` (U+2014 em dash). Key ID =
``SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key)[:4]``, big-endian.

Signature types used here:

* Ed25519: type ``0x01``, 32-byte public key, signature per RFC 8032 over the note text (as the spec says).
* SM2 (no type is assigned by the spec): ``0xff`` — the spec's value "for signature types without an
  identifier byte assigned by this specification", to be followed by a longer identifier unlikely to collide —
  followed by the DER encoding of the OID 1.2.156.10197.1.501 (SM2 signature with SM3, GM/T 0006), i.e. the
  11 bytes ``ff 06 08 2a 81 1c cf 55 01 83 75``. The public key is the 65-byte uncompressed point
  ``04 ‖ x ‖ y``; the signature is DER ``SEQUENCE { r, s }`` over ``SM3(Z ‖ note text)`` with the default
  user ID ``1234567812345678`` (GB/T 32918.2, GM/T 0009).

Verifier keys are written as in Go's golang.org/x/mod/sumdb/note:
``<name>+<8 hex digits key ID>+<base64(signature type ‖ public key)>``.

A note may carry several signatures (key rotation, witnesses). :func:`open_note` ignores signatures by unknown
keys, rejects the whole note if a known key's signature fails, and needs at least one known valid signature.

Pure Python: no Django import here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from zhifa.crypto.profiles import SigningKey, VerifierKey, get_profile

__all__ = [
    "ED25519_TYPE",
    "SM2_ALGORITHM_ID",
    "SM2_TYPE",
    "Checkpoint",
    "NoteError",
    "NoteFormatError",
    "NoteVerificationError",
    "NoteVerifier",
    "add_signature",
    "key_id",
    "open_checkpoint",
    "open_note",
    "parse_verifier_key",
    "sign_note",
    "verifier_key_string",
]

ED25519_TYPE = b"\x01"
SM2_ALGORITHM_ID = bytes.fromhex("06082a811ccf55018375")  # DER OID 1.2.156.10197.1.501, SM2-with-SM3
SM2_TYPE = b"\xff" + SM2_ALGORITHM_ID
_TYPES = {"ed25519": ED25519_TYPE, "sm2": SM2_TYPE}
_KEY_SIZES = {"ed25519": 32, "sm2": 65}
_PROFILE_OF = {"ed25519": "intl", "sm2": "gm"}

EM_DASH = "\u2014"
MAX_SIGNATURES = 100  # the spec asks verifiers to accept at least 16
MAX_NOTE_SIZE = 1 << 20
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_HEX8 = re.compile(r"[0-9a-f]{8}")


class NoteError(ValueError):
    """Base class of signed-note errors."""


class NoteFormatError(NoteError):
    """The note, checkpoint or key string is malformed."""


class NoteVerificationError(NoteError):
    """No signature by a known key verifies, or a known key's signature is wrong."""


def _b64decode(text: str, what: str) -> bytes:
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise NoteFormatError(f"{what} is not valid base64") from None
    if base64.b64encode(data).decode("ascii") != text:
        raise NoteFormatError(f"{what} is not canonical base64")
    return data


def _check_name(name: str) -> None:
    if not name or any(c.isspace() or c == "+" or ord(c) < 0x20 for c in name):
        raise NoteFormatError(f"invalid key name {name!r}: non-empty, no spaces, no '+'")


def _check_text(text: str) -> None:
    if _CONTROL.search(text):
        raise NoteFormatError("a note must not contain control characters other than newline")


def key_id(name: str, signature_type: bytes, public_key: bytes) -> int:
    """The recommended key ID: first 4 bytes of SHA-256(name ‖ "\\n" ‖ type ‖ public key), big-endian."""
    digest = hashlib.sha256(name.encode() + b"\n" + signature_type + public_key).digest()
    return int.from_bytes(digest[:4], "big")


@dataclass(frozen=True)
class NoteVerifier:
    """A trusted key as read from a verifier key string."""

    name: str
    key_id: int
    algorithm: str  # "ed25519" | "sm2"
    public_key: bytes
    key: VerifierKey

    def verify(self, message: bytes, signature: bytes) -> bool:
        return self.key.verify(signature, message)

    def key_string(self) -> str:
        encoded = base64.b64encode(_TYPES[self.algorithm] + self.public_key).decode("ascii")
        return f"{self.name}+{self.key_id:08x}+{encoded}"


def _public_of(key: SigningKey | VerifierKey) -> tuple[str, bytes]:
    if key.algorithm not in _TYPES:
        raise NoteFormatError(f"unsupported signature algorithm {key.algorithm!r}")
    return key.algorithm, key.public_bytes()


def verifier_key_string(name: str, key: SigningKey | VerifierKey) -> str:
    """``<name>+<hex key ID>+<base64(type ‖ public key)>`` for a signing key or its public half."""
    _check_name(name)
    algorithm, public = _public_of(key)
    encoded = base64.b64encode(_TYPES[algorithm] + public).decode("ascii")
    return f"{name}+{key_id(name, _TYPES[algorithm], public):08x}+{encoded}"


def parse_verifier_key(text: str) -> NoteVerifier:
    """Read a verifier key string; NoteFormatError if it is malformed or its key ID does not match."""
    parts = text.strip().split("+", 2)  # base64 may itself contain "+"
    if len(parts) != 3:
        raise NoteFormatError("a verifier key is <name>+<hex key id>+<base64 key>")
    name, id_hex, encoded = parts
    _check_name(name)
    if not _HEX8.fullmatch(id_hex):
        raise NoteFormatError("the key ID of a verifier key is 8 lowercase hex digits")
    raw = _b64decode(encoded, "verifier key")
    algorithm = next((a for a, prefix in _TYPES.items() if raw.startswith(prefix)), None)
    if algorithm is None:
        raise NoteFormatError("unsupported signature type in verifier key (Ed25519 0x01 or SM2 0xff+OID)")
    prefix = _TYPES[algorithm]
    public = raw[len(prefix) :]
    if len(public) != _KEY_SIZES[algorithm]:
        raise NoteFormatError(
            f"an {algorithm} public key has {_KEY_SIZES[algorithm]} bytes, not {len(public)}"
        )
    if int(id_hex, 16) != key_id(name, prefix, public):
        raise NoteFormatError(f"verifier key for {name!r}: key ID does not match the key")
    try:
        key = get_profile(_PROFILE_OF[algorithm]).load_verifier_key(public)
    except ValueError as exc:
        raise NoteFormatError(f"verifier key for {name!r}: {exc}") from exc
    return NoteVerifier(name, int(id_hex, 16), algorithm, public, key)


def _signature_line(body: str, name: str, signing_key: SigningKey) -> str:
    _check_name(name)
    algorithm, public = _public_of(signing_key)
    kid = key_id(name, _TYPES[algorithm], public)
    blob = kid.to_bytes(4, "big") + signing_key.sign(body.encode())
    return f"{EM_DASH} {name} {base64.b64encode(blob).decode('ascii')}\n"


def _check_body(body: str) -> None:
    if not body.endswith("\n"):
        raise NoteFormatError("note text must end with a newline")
    _check_text(body)


def sign_note(body: str, name: str, signing_key: SigningKey) -> str:
    """A signed note: ``body`` (ending in newline), a blank line, one signature line by ``name``."""
    _check_body(body)
    return body + "\n" + _signature_line(body, name, signing_key)


def _split_note(text: str | bytes) -> tuple[str, list[tuple[str, bytes]]]:
    """(body, [(key name, key ID ‖ signature)]) of a note, checking its format only."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise NoteFormatError("a note must be UTF-8") from None
    if len(text) > MAX_NOTE_SIZE:
        raise NoteFormatError("note too large")
    _check_text(text)
    if not text.endswith("\n"):
        raise NoteFormatError("a note ends with a newline")
    split = text.rfind("\n\n")
    if split < 0:
        raise NoteFormatError("no blank line between note text and signatures")
    body, block = text[: split + 1], text[split + 2 :]
    lines = block[:-1].split("\n") if block else []
    if not lines:
        raise NoteFormatError("a note has at least one signature line")
    if len(lines) > MAX_SIGNATURES:
        raise NoteFormatError(f"more than {MAX_SIGNATURES} signatures")
    signatures: list[tuple[str, bytes]] = []
    for line in lines:
        prefix = EM_DASH + " "
        fields = line[len(prefix) :].split(" ") if line.startswith(prefix) else []
        if len(fields) != 2:
            raise NoteFormatError(f"malformed signature line {line!r}")
        name, encoded = fields
        _check_name(name)
        blob = _b64decode(encoded, "signature")
        if len(blob) < 5:
            raise NoteFormatError("signature too short")
        signatures.append((name, blob))
    return body, signatures


def add_signature(note: str, name: str, signing_key: SigningKey) -> str:
    """Append a signature by another key (a rotation's new key, a cosigner) to an already signed note."""
    body, _ = _split_note(note)
    return note + _signature_line(body, name, signing_key)


def open_note(text: str | bytes, verifier_keys: Iterable[str | NoteVerifier]) -> tuple[str, list[str]]:
    """Verify a signed note; return its text and the names of the known keys whose signature verified.

    Raises NoteFormatError for a malformed note or key, NoteVerificationError when a known key's signature
    fails or when no known key signed.
    """
    if isinstance(verifier_keys, str):  # one key string, not an iterable of characters
        verifier_keys = [verifier_keys]
    verifiers = [k if isinstance(k, NoteVerifier) else parse_verifier_key(k) for k in verifier_keys]
    known = {(v.name, v.key_id): v for v in verifiers}
    body, signatures = _split_note(text)
    message = body.encode()
    verified: list[str] = []
    for name, blob in signatures:
        verifier = known.get((name, int.from_bytes(blob[:4], "big")))
        if verifier is None:
            continue  # unknown key (another witness, a retired key): ignored as the spec requires
        if not verifier.verify(message, blob[4:]):
            raise NoteVerificationError(f"signature by {name} (key {verifier.key_id:08x}) does not verify")
        if name not in verified:
            verified.append(name)
    if not verified:
        raise NoteVerificationError("no signature by a known key")
    return body, verified


@dataclass(frozen=True)
class Checkpoint:
    """The body of a tlog checkpoint: origin, tree size, root hash, optional extension lines."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for line in (self.origin, *self.extensions):
            if not line or "\n" in line or _CONTROL.search(line):
                raise NoteFormatError(f"checkpoint lines are non-empty single lines, got {line!r}")
        if isinstance(self.size, bool) or not isinstance(self.size, int) or self.size < 0:
            raise NoteFormatError("checkpoint size is an integer ≥ 0")
        if not self.root_hash:
            raise NoteFormatError("checkpoint root hash is empty")
        object.__setattr__(self, "extensions", tuple(self.extensions))

    def body(self) -> str:
        root = base64.b64encode(self.root_hash).decode("ascii")
        return "".join(f"{line}\n" for line in (self.origin, str(self.size), root, *self.extensions))

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        if not text.endswith("\n"):
            raise NoteFormatError("checkpoint text ends with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise NoteFormatError("a checkpoint has an origin, a size and a root hash line")
        origin, size, root, *extensions = lines
        if not _DECIMAL.fullmatch(size):
            raise NoteFormatError(f"checkpoint size {size!r} is not a decimal without leading zeros")
        return cls(origin, int(size), _b64decode(root, "checkpoint root hash"), tuple(extensions))


def open_checkpoint(
    text: str | bytes, verifier_keys: Iterable[str | NoteVerifier]
) -> tuple[Checkpoint, list[str]]:
    """:func:`open_note` then :meth:`Checkpoint.parse`."""
    body, names = open_note(text, verifier_keys)
    return Checkpoint.parse(body), names
