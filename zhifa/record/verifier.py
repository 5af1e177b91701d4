"""Standalone verifier for a zhifa transparency log — copy this one file and run it anywhere.

It deliberately imports only the Python standard library, ``cryptography`` (Ed25519, DER checks) and, for
SM2 logs, ``tongsuopy``; nothing from Django or the rest of zhifa. The few lines of RFC 9162 proof
verification and C2SP signed-note parsing are duplicated from zhifa.record on purpose, so that checking the
log does not mean trusting the code that runs it. The contract is in zhifa's docs/transparency.md.

    python verifier.py --base-url https://zhifa.example.gov.cn --key 'NAME+KEYID+BASE64' \\
        [--index I] [--leaf-hash HEX | --leaf-data FILE] [--previous-checkpoint FILE] [--save-checkpoint FILE]

Exit status: 0 verified, 1 verification failed (or the log could not be fetched), 2 usage error.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

__all__ = [
    "Checkpoint",
    "VerificationError",
    "leaf_hash",
    "main",
    "verify_checkpoint_note",
    "verify_consistency",
    "verify_inclusion",
]

HASH_NAMES = ("sm3", "sha256")
ED25519_TYPE = b"\x01"
SM2_TYPE = bytes.fromhex("ff06082a811ccf55018375")  # 0xff ‖ DER OID 1.2.156.10197.1.501 (SM2-with-SM3)
SM2_ORDER = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
MAX_RESPONSE = 1 << 20
_DEFAULT_HASH = {frozenset({"sm2"}): "sm3", frozenset({"ed25519"}): "sha256"}


class VerificationError(Exception):
    """The log's answer does not verify (or could not be fetched)."""


# --- RFC 9162 §2.1 ---------------------------------------------------------------------------------------


def _hash(hash_name: str, data: bytes) -> bytes:
    if hash_name not in HASH_NAMES:
        raise ValueError(f"unknown hash {hash_name!r}")
    try:
        return hashlib.new(hash_name, data).digest()
    except ValueError:  # hashlib's OpenSSL lacks SM3: use the one bundled with cryptography
        h = hashes.Hash(hashes.SM3())
        h.update(data)
        return h.finalize()


def leaf_hash(hash_name: str, data: bytes) -> bytes:
    """H(0x00 ‖ event bytes)."""
    return _hash(hash_name, b"\x00" + data)


def _node(hash_name: str, left: bytes, right: bytes) -> bytes:
    return _hash(hash_name, b"\x01" + left + right)


def verify_inclusion(
    hash_name: str, index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2."""
    n = len(_hash(hash_name, b""))
    if not 0 <= index < size or len(leaf) != n or len(root) != n or any(len(p) != n for p in proof):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _node(hash_name, p, r)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _node(hash_name, r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    hash_name: str, m: int, n: int, proof: Sequence[bytes], root_m: bytes, root_n: bytes
) -> bool:
    """RFC 9162 §2.1.4.2; m = n needs equal roots, m = 0 the empty-tree root, both with an empty proof."""
    size = len(_hash(hash_name, b""))
    if not 0 <= m <= n or len(root_m) != size or len(root_n) != size or any(len(p) != size for p in proof):
        return False
    if m == 0:
        return not proof and root_m == _hash(hash_name, b"")
    if m == n:
        return not proof and root_m == root_n
    if not proof:
        return False
    path = [root_m, *proof] if m & (m - 1) == 0 else list(proof)
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = _node(hash_name, c, fr), _node(hash_name, c, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = _node(hash_name, sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == root_m and sr == root_n


# --- C2SP signed note and tlog checkpoint ----------------------------------------------------------------


@dataclass(frozen=True)
class _Key:
    name: str
    key_id: bytes
    algorithm: str  # "ed25519" | "sm2"
    public_key: bytes

    def verify(self, signature: bytes, message: bytes) -> bool:
        if self.algorithm == "ed25519":
            try:
                ed25519.Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
            except InvalidSignature:
                return False
            return True
        return _sm2_verify(self.public_key, signature, message)


def _sm2_verify(point: bytes, signature: bytes, message: bytes) -> bool:
    """SM2 over SM3(Z ‖ message), default user ID 1234567812345678 (what Tongsuo applies), DER (r, s)."""
    try:
        r, s = decode_dss_signature(signature)
    except ValueError:
        return False
    if not (0 < r < SM2_ORDER and 0 < s < SM2_ORDER) or encode_dss_signature(r, s) != signature:
        return False  # Tongsuo raises instead of failing on malformed DER
    try:
        from tongsuopy.crypto import hashes as sm_hashes
        from tongsuopy.crypto.asymciphers import ec as sm_ec
        from tongsuopy.crypto.exceptions import InternalError
        from tongsuopy.crypto.exceptions import InvalidSignature as SMInvalidSignature
    except ImportError:
        raise VerificationError("SM2 signatures need tongsuopy: pip install tongsuopy") from None
    try:
        key = sm_ec.EllipticCurvePublicKey.from_encoded_point(sm_ec.SM2(), point)
        key.verify(signature, message, sm_ec.ECDSA(sm_hashes.SM3()))
    except (ValueError, SMInvalidSignature, InternalError):
        return False
    return True


def _b64(text: str, what: str) -> bytes:
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise VerificationError(f"{what}: not base64") from None
    if base64.b64encode(data).decode("ascii") != text:
        raise VerificationError(f"{what}: not canonical base64")
    return data


def _valid_name(name: str) -> bool:
    return bool(name) and not any(c.isspace() or c == "+" or ord(c) < 0x20 for c in name)


def parse_key(text: str) -> _Key:
    """Read ``<name>+<hex key ID>+<base64(type ‖ public key)>``; ValueError if malformed."""
    parts = text.strip().split("+", 2)  # base64 may itself contain "+"
    if len(parts) != 3 or not _valid_name(parts[0]) or len(parts[1]) != 8:
        raise ValueError("a key is <name>+<8 hex digits>+<base64>")
    name, id_hex, encoded = parts
    try:
        kid = bytes.fromhex(id_hex)
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("a key is <name>+<8 hex digits>+<base64>") from None
    if raw[:1] == ED25519_TYPE and len(raw) == 33:
        algorithm, prefix = "ed25519", ED25519_TYPE
    elif raw.startswith(SM2_TYPE) and len(raw) == len(SM2_TYPE) + 65 and raw[len(SM2_TYPE)] == 0x04:
        algorithm, prefix = "sm2", SM2_TYPE
    else:
        raise ValueError("unsupported key type (Ed25519 0x01 + 32 bytes, or SM2 0xff+OID + 65 bytes)")
    public = raw[len(prefix) :]
    if hashlib.sha256(name.encode() + b"\n" + prefix + public).digest()[:4] != kid:
        raise ValueError(f"key {name}: key ID does not match the key")
    return _Key(name, kid, algorithm, public)


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...]
    signed_by: tuple[str, ...]


def verify_checkpoint_note(text: str | bytes, keys: Sequence[str]) -> Checkpoint:
    """Check a checkpoint's signatures (any known key suffices; a failing known key fails) and parse it."""
    known = {(k.name, k.key_id): k for k in map(parse_key, [keys] if isinstance(keys, str) else keys)}
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise VerificationError("checkpoint is not UTF-8") from None
    if any(ord(c) < 0x20 and c != "\n" for c in text) or not text.endswith("\n"):
        raise VerificationError("malformed note: control characters or no final newline")
    split = text.rfind("\n\n")
    if split < 0:
        raise VerificationError("malformed note: no blank line before the signatures")
    body, lines = text[: split + 1], text[split + 2 : -1].split("\n")
    signed_by: list[str] = []
    for line in lines:
        fields = line[2:].split(" ") if line.startswith("\u2014 ") else []
        if len(fields) != 2 or not _valid_name(fields[0]):
            raise VerificationError(f"malformed signature line {line!r}")
        blob = _b64(fields[1], "signature")
        key = known.get((fields[0], blob[:4]))
        if key is None or len(blob) < 5:
            continue  # a key we were not told to trust
        if not key.verify(blob[4:], body.encode()):
            raise VerificationError(f"signature by {key.name} ({key.key_id.hex()}) does not verify")
        signed_by.append(key.name)
    if not signed_by:
        raise VerificationError("the checkpoint has no signature by a given key")
    body_lines = body[:-1].split("\n")
    if len(body_lines) < 3 or not all(body_lines):
        raise VerificationError("malformed checkpoint: origin, size, root hash, non-empty extension lines")
    origin, size, root, *extensions = body_lines
    if not size.isascii() or not size.isdigit() or (size != "0" and size.startswith("0")):
        raise VerificationError(f"malformed checkpoint size {size!r}")
    return Checkpoint(origin, int(size), _b64(root, "root hash"), tuple(extensions), tuple(signed_by))


# --- fetching and the command line -----------------------------------------------------------------------

Fetch = Callable[[str], bytes]


def _http_get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "zhifa-verifier/1"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the user gives the URL
            data: bytes = response.read(MAX_RESPONSE + 1)
    except (urllib.error.URLError, OSError) as exc:
        raise VerificationError(f"cannot fetch {url}: {exc}") from exc
    if len(data) > MAX_RESPONSE:
        raise VerificationError(f"{url}: response too large")
    return data


def _get_json(fetch: Fetch, url: str) -> dict[str, Any]:
    try:
        value = json.loads(fetch(url))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VerificationError(f"{url}: not JSON ({exc})") from exc
    if not isinstance(value, dict):
        raise VerificationError(f"{url}: expected a JSON object")
    return value


def _hexes(value: object, what: str) -> list[bytes]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise VerificationError(f"{what}: expected a list of hex strings")
    try:
        return [bytes.fromhex(v) for v in value]
    except ValueError:
        raise VerificationError(f"{what}: not hex") from None


def _expect(doc: dict[str, Any], field: str, expected: object, url: str) -> None:
    if doc.get(field) != expected or type(doc.get(field)) is not type(expected):
        raise VerificationError(f"{url}: {field} is {doc.get(field)!r}, expected {expected!r}")


def check_inclusion(
    fetch: Fetch, base: str, checkpoint: Checkpoint, hash_name: str, index: int, expected_leaf: bytes | None
) -> bytes:
    """Fetch and verify the inclusion proof of leaf ``index`` against ``checkpoint``; return the leaf hash."""
    if not 0 <= index < checkpoint.size:
        raise VerificationError(f"leaf {index} is not in the checkpoint's tree of size {checkpoint.size}")
    url = f"{base}/transparency/proof/{index}?tree_size={checkpoint.size}"
    doc = _get_json(fetch, url)
    _expect(doc, "hash", hash_name, url)
    _expect(doc, "index", index, url)
    _expect(doc, "tree_size", checkpoint.size, url)
    (leaf,) = _hexes([doc.get("leaf_hash")], "leaf_hash")
    if expected_leaf is not None and leaf != expected_leaf:
        raise VerificationError(f"the log's leaf {index} is {leaf.hex()}, expected {expected_leaf.hex()}")
    proof = _hexes(doc.get("inclusion_path"), "inclusion_path")
    if not verify_inclusion(hash_name, index, checkpoint.size, leaf, proof, checkpoint.root_hash):
        raise VerificationError(f"inclusion proof of leaf {index} does not verify against the checkpoint")
    return leaf


def check_consistency(fetch: Fetch, base: str, old: Checkpoint, new: Checkpoint, hash_name: str) -> None:
    """Verify that ``new`` extends ``old`` (fetching a consistency proof when the sizes differ)."""
    if old.origin != new.origin:
        raise VerificationError(f"origin changed from {old.origin!r} to {new.origin!r}")
    if old.size > new.size:
        raise VerificationError(f"the log shrank from {old.size} to {new.size} leaves")
    proof: list[bytes] = []
    if 0 < old.size < new.size:
        url = f"{base}/transparency/consistency?first={old.size}&second={new.size}"
        doc = _get_json(fetch, url)
        _expect(doc, "hash", hash_name, url)
        _expect(doc, "first", old.size, url)
        _expect(doc, "second", new.size, url)
        proof = _hexes(doc.get("proof"), "proof")
    if not verify_consistency(hash_name, old.size, new.size, proof, old.root_hash, new.root_hash):
        raise VerificationError(f"checkpoint {new.size} is not an append-only extension of {old.size}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="verifier",
        description="Verify a zhifa transparency log: checkpoint signature, inclusion, append-only growth.",
    )
    parser.add_argument("--base-url", required=True, help="the zhifa site, e.g. https://zhifa.example.gov.cn")
    parser.add_argument(
        "--key", required=True, action="append", help="trusted verifier key NAME+KEYID+BASE64 (repeatable)"
    )
    parser.add_argument("--hash", choices=HASH_NAMES, help="tree hash (default: sm3 for SM2 keys, sha256)")
    parser.add_argument("--index", type=int, help="leaf index to prove included")
    leaf = parser.add_mutually_exclusive_group()
    leaf.add_argument("--leaf-hash", help="expected leaf hash (hex) of --index")
    leaf.add_argument("--leaf-data", help="file holding the event bytes of --index (leaf = H(0x00 ‖ bytes))")
    parser.add_argument("--previous-checkpoint", help="a checkpoint saved earlier: check the log only grew")
    parser.add_argument("--save-checkpoint", help="after success, write the verified checkpoint here")
    return parser


def main(argv: Sequence[str] | None = None, fetch: Fetch = _http_get) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 2 for bad usage, 0 for --help
        return exc.code if isinstance(exc.code, int) else 2
    try:
        keys = [parse_key(k) for k in args.key]
    except ValueError as exc:
        parser.print_usage(sys.stderr)
        print(f"verifier: error: --key: {exc}", file=sys.stderr)
        return 2
    algorithms = {k.algorithm for k in keys}
    hash_name = args.hash or _DEFAULT_HASH.get(frozenset(algorithms), "")
    if not hash_name:
        print("verifier: error: keys of both types given: say --hash", file=sys.stderr)
        return 2
    if (args.leaf_hash or args.leaf_data) and args.index is None:
        print("verifier: error: --leaf-hash and --leaf-data need --index", file=sys.stderr)
        return 2
    base = args.base_url.rstrip("/")
    try:
        expected_leaf = bytes.fromhex(args.leaf_hash) if args.leaf_hash else None
        if args.leaf_data:
            with open(args.leaf_data, "rb") as f:
                expected_leaf = leaf_hash(hash_name, f.read())
        if args.previous_checkpoint:
            with open(args.previous_checkpoint, "rb") as f:
                previous_text = f.read()
    except (ValueError, OSError) as exc:
        print(f"verifier: error: {exc}", file=sys.stderr)
        return 2

    try:
        note = fetch(f"{base}/transparency/checkpoint")
        checkpoint = verify_checkpoint_note(note, args.key)
        if len(checkpoint.root_hash) != len(_hash(hash_name, b"")):
            raise VerificationError(f"root hash length does not fit {hash_name}")
        print(
            f"OK checkpoint {checkpoint.origin} size {checkpoint.size} root {checkpoint.root_hash.hex()}"
            f" signed by {', '.join(checkpoint.signed_by)}"
        )
        if args.index is not None:
            leaf = check_inclusion(fetch, base, checkpoint, hash_name, args.index, expected_leaf)
            print(f"OK leaf {args.index} ({leaf.hex()}) is included in tree size {checkpoint.size}")
        if args.previous_checkpoint:
            previous = verify_checkpoint_note(previous_text, args.key)
            check_consistency(fetch, base, previous, checkpoint, hash_name)
            print(f"OK tree size {checkpoint.size} extends previous checkpoint size {previous.size}")
        if args.save_checkpoint:
            with open(args.save_checkpoint, "wb") as f:
                f.write(note)
    except VerificationError as exc:
        print(f"FAIL {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"verifier: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
