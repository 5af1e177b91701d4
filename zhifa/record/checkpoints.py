"""Signed checkpoints over the tree (C2SP tlog-checkpoint), and the log's signing key in the data directory."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.core.keyfiles import write_private
from zhifa.crypto.profiles import SigningKey
from zhifa.record import signed_note, tree
from zhifa.record.crypto import profile
from zhifa.record.models import Checkpoint, VerifierKey


def key_name() -> str:
    """The signer's name in notes: the log's origin, as transparency logs do."""
    return settings.ZHIFA_LOG_ORIGIN


def _key_path() -> Path:
    configured = os.environ.get("ZHIFA_LOG_KEY_FILE")
    if configured:
        return Path(configured)
    return settings.ZHIFA_KEYS_DIR / f"log-signing-{profile().crypto.name}.pem"


def _register(key: SigningKey) -> None:
    key_string = signed_note.verifier_key_string(key_name(), key)
    VerifierKey.objects.get_or_create(key_string=key_string, defaults={"name": key_name(),
                                                                       "algorithm": key.algorithm})


def _read_or_create_key(path: Path, make: Callable[[], bytes]) -> bytes:
    """The key file's bytes, creating it first if need be — safe when several processes (web workers, task
    workers) sign their first checkpoint at once: each writes its own temporary file (0600) and the first
    to link it in place wins, the others read the winner's key. (core.keyfiles.read_or_create renames one shared
    temporary name: concurrent first uses crashed, or one signed with a key that another then overwrote.)"""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(make())
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return path.read_bytes()


def signing_key() -> SigningKey:
    """The current signing key: generated into the data directory at first use, its public half published."""
    crypto = profile().crypto
    key = crypto.load_signing_key(_read_or_create_key(_key_path(), lambda: crypto.generate_signing_key().private_pem()))
    _register(key)
    return key


@transaction.atomic
def rotate_signing_key() -> SigningKey:
    """Start signing with a new key. Old public keys stay published, so old checkpoints stay verifiable."""
    VerifierKey.objects.filter(retired_at__isnull=True).update(retired_at=timezone.now())
    write_private(_key_path(), profile().crypto.generate_signing_key().private_pem())
    key = signing_key()
    VerifierKey.objects.filter(key_string=signed_note.verifier_key_string(key_name(), key)).update(retired_at=None)
    return key


def verifier_keys() -> list[str]:
    return list(VerifierKey.objects.values_list("key_string", flat=True))


def make_checkpoint() -> Checkpoint:
    """Hash new events into the tree and sign a checkpoint of it, unless the latest one already covers it."""
    size = tree.extend_tree()
    latest = Checkpoint.objects.order_by("-size").first()
    if latest is not None and latest.size >= size:
        return latest
    root = tree.root_hash(size)
    body = signed_note.Checkpoint(settings.ZHIFA_LOG_ORIGIN, size, root).body()
    note = signed_note.sign_note(body, key_name(), signing_key())
    try:
        with transaction.atomic():
            return Checkpoint.objects.create(size=size, root_hash=root, note=note, created_at=timezone.now())
    except IntegrityError:  # another worker signed the same size first
        return Checkpoint.objects.get(size=size)


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()
