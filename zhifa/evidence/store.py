"""Content-addressed, write-once evidence storage, hashed while streaming (DESIGN.md: "Evidence files").

The bytes go to a temporary file next to the store (`Incoming`) while SHA-256 and the log profile's hash (SM3 under
`gm`; under `intl` it is SHA-256 itself) are computed — the second hash on another core, since hashlib releases the
GIL — and the first bytes decide the real content type (`sniff`). `commit` then fsyncs and puts the object under
`sha256/ab/cd/<hex>`:

* local storage: a hard link from the temporary file, which fails if the key exists — so an existing object is never
  rewritten and identical content is stored once — then the directory is fsynced;
* S3-compatible storage: the temporary file is uploaded with the storage API unless the key exists.

Nothing is ever held whole in memory, and an upload that stops half-way leaves only its temporary file, which
`discard` (or garbage collection) removes: there is never a half-stored object under a key.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import queue
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages

from zhifa.core.errors import RuleViolation, require
from zhifa.evidence import sniff
from zhifa.record.crypto import profile

logger = logging.getLogger(__name__)

CHUNK_SIZE = 1 << 20
# Below this many bytes the second hash runs inline: a thread is not worth it for a photo.
PARALLEL_FROM = 4 << 20
# An upload's bytes already written this far behind are handed to the disk and dropped from the page cache as it
# goes: a multi-GB video neither evicts everything else from memory nor leaves the final fsync much to do, and the
# kernel recycles the same pages instead of taking fresh ones (on this project's VMs, 3-5x less CPU per byte).
DROP_BEHIND = 32 << 20
BASIS_STORE = "实施办法二(二)3"

ACCEPTED_LABEL = "图片、音频、视频、PDF、常用办公文档（Word、Excel、PowerPoint、WPS、OFD、RTF）和纯文本"


def evidence_storage() -> Storage:
    return storages["evidence"]


def is_local(storage: Storage | None = None) -> bool:
    return isinstance(storage or evidence_storage(), FileSystemStorage)


def key_for(sha256_hex: str) -> str:
    """The content address of bytes with this SHA-256."""
    return f"sha256/{sha256_hex[:2]}/{sha256_hex[2:4]}/{sha256_hex}"


def incoming_dir() -> Path:
    """Where uploads are written before commit: inside the local store (so the final link is on the same file
    system), else in the data directory."""
    storage = evidence_storage()
    path = Path(storage.location) / ".incoming" if is_local(storage) else Path(settings.DATA_DIR) / "evidence-incoming"
    path.mkdir(parents=True, exist_ok=True)
    return path


def max_bytes_label(max_bytes: int) -> str:
    if max_bytes >= 1 << 30 and max_bytes % (1 << 30) == 0:
        return f"{max_bytes >> 30} GB"
    if max_bytes >= 1 << 20:
        return f"{max_bytes / (1 << 20):.4g} MB"
    return f"{max_bytes} 字节"


def too_large(max_bytes: int) -> RuleViolation:
    return RuleViolation("evidence_too_large", BASIS_STORE, f"文件超过大小上限 {max_bytes_label(max_bytes)}，未保存")


def type_refused(name: str) -> RuleViolation:
    shown = f"“{name}”" if name else "该文件"
    return RuleViolation("evidence_type_refused", BASIS_STORE,
                         f"{shown}的文件类型不受支持，未保存：证据文件仅接受{ACCEPTED_LABEL}（按文件内容识别，不按扩展名）")


class BackgroundHash:
    """A hash fed from a worker thread once the input is large, so that it runs beside the SHA-256 of the caller.

    Chunks are bytes (immutable) and pass through a bounded queue: memory stays at a few chunks."""

    def __init__(self, new: Callable[[], object]) -> None:
        self._hash = new()
        self._inline = 0
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        self._errors: list[BaseException] = []

    def update(self, chunk: bytes) -> None:
        if self._thread is None:
            if self._inline < PARALLEL_FROM:
                self._hash.update(chunk)
                self._inline += len(chunk)
                return
            self._queue = queue.Queue(maxsize=8)
            self._thread = threading.Thread(target=_hash_worker, args=(self._hash, self._queue, self._errors),
                                            name="zhifa-evidence-hash", daemon=True)
            self._thread.start()
            # Should the owner be dropped without close(), stop the worker all the same.
            weakref.finalize(self, self._queue.put, None)
        self._queue.put(chunk)

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def digest(self) -> bytes:
        self.close()
        if self._errors:
            raise self._errors[0]
        return self._hash.digest()


def _hash_worker(hash_object, chunks: queue.Queue, errors: list[BaseException]) -> None:
    while (chunk := chunks.get()) is not None:
        if not errors:
            try:
                hash_object.update(chunk)
            except BaseException as exc:  # reported by digest(); keep draining so the producer never blocks
                errors.append(exc)


@dataclass(frozen=True)
class Digest:
    size: int
    sha256: str
    log_hash: str
    log_hash_algorithm: str
    content_type: str


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    sha256: str
    log_hash: str
    log_hash_algorithm: str
    content_type: str
    created: bool  # False: the same bytes were stored already (deduplicated, not rewritten)


class Incoming:
    """An upload being received: written to a temporary file while hashed and its type checked.

    `write` refuses (RuleViolation) as soon as the size limit is passed or the first bytes show a refused type;
    `finish` fsyncs and returns the Digest; `discard` removes the temporary file (also on garbage collection)."""

    def __init__(self, *, name: str = "", claimed_type: str = "", max_bytes: int | None = None) -> None:
        self.name = name or ""
        self.claimed_type = claimed_type or ""
        self.max_bytes = settings.ZHIFA_EVIDENCE_MAX_BYTES if max_bytes is None else max_bytes
        # Deleted when closed (discard) or collected: an upload that stops half-way leaves nothing.
        self.file = tempfile.NamedTemporaryFile(dir=incoming_dir(), prefix="upload-", suffix=".part")  # noqa: SIM115
        self.path = Path(self.file.name)
        self.size = 0
        self.content_type: str | None = None
        self.digest: Digest | None = None
        self.closed = False
        self._sha256 = hashlib.sha256()
        crypto = profile().crypto
        self.log_hash_algorithm = crypto.hash_name
        self._log = None if crypto.hash_name == "sha256" else BackgroundHash(crypto.new_hash)
        self._head = b""
        self._dropped = 0

    def write(self, chunk: bytes | memoryview) -> None:
        if self.closed or self.digest is not None:
            raise ValueError("write to a finished or discarded upload")
        if not isinstance(chunk, bytes) and not (isinstance(chunk, memoryview) and isinstance(chunk.obj, bytes)):
            chunk = bytes(chunk)  # a view of mutable memory could change under the hashing thread: copy it
        if self.size + len(chunk) > self.max_bytes:
            raise too_large(self.max_bytes)
        if self.content_type is None:
            self._head += chunk[: sniff.HEAD_BYTES - len(self._head)]
            if len(self._head) >= sniff.HEAD_BYTES:
                self._sniff(complete=False)
        self._sha256.update(chunk)
        if self._log is not None:
            self._log.update(chunk)
        self.file.write(chunk)
        self.size += len(chunk)
        if self.size - self._dropped >= 2 * DROP_BEHIND:
            self._dropped = self.size - DROP_BEHIND
            _drop_behind(self.file.fileno(), self._dropped)

    def _sniff(self, complete: bool) -> None:
        found = sniff.sniff_head(self._head, self.name, self.claimed_type, complete)
        if found is None:
            raise type_refused(self.name)
        self.content_type = found

    def finish(self) -> Digest:
        """Fsync the temporary file, finish the hashes and settle the content type."""
        if self.digest is not None:
            return self.digest
        require(self.size > 0, "evidence_empty", BASIS_STORE, "文件为空，未保存")
        if self.content_type is None:
            self._sniff(complete=True)
        self.file.flush()
        os.fsync(self.file.fileno())
        content_type = sniff.refine(self.content_type, self.path, self.name, self.claimed_type)
        if content_type is None:
            raise type_refused(self.name)
        sha256 = self._sha256.hexdigest()
        log_hash = self._log.digest().hex() if self._log is not None else sha256
        self.digest = Digest(self.size, sha256, log_hash, self.log_hash_algorithm, content_type)
        return self.digest

    def discard(self) -> None:
        """Remove the temporary file (a committed object stays: it is a separate link or an uploaded copy)."""
        if self._log is not None:
            self._log.close()
        if not self.closed:
            self.closed = True
            with contextlib.suppress(OSError):
                self.file.close()


def _drop_behind(fd: int, upto: int) -> None:
    """Start writing [0, upto) of the file to disk and drop what is written already from the page cache."""
    if hasattr(os, "posix_fadvise"):
        with contextlib.suppress(OSError):
            os.posix_fadvise(fd, 0, upto, os.POSIX_FADV_DONTNEED)


def receive(stream: BinaryIO, *, name: str = "", claimed_type: str = "", max_bytes: int | None = None,
            chunk_size: int = CHUNK_SIZE) -> Incoming:
    """Read `stream` to its end into a finished Incoming (or raise, leaving nothing behind)."""
    incoming = Incoming(name=name, claimed_type=claimed_type, max_bytes=max_bytes)
    try:
        while chunk := stream.read(chunk_size):
            incoming.write(chunk)
        incoming.finish()
    except BaseException:
        incoming.discard()
        raise
    return incoming


def commit(incoming: Incoming) -> StoredObject:
    """Put a finished upload under its content address, never rewriting an existing object; discards it."""
    try:
        digest = incoming.finish()
        key = key_for(digest.sha256)
        storage = evidence_storage()
        if is_local(storage):
            created = _link_into_place(storage, incoming.path, key)
        else:
            created = _upload(storage, incoming.file, key, digest.content_type)
    finally:
        incoming.discard()
    return StoredObject(key, digest.size, digest.sha256, digest.log_hash, digest.log_hash_algorithm,
                        digest.content_type, created)


def ingest(stream: BinaryIO, *, name: str = "", claimed_type: str = "", max_bytes: int | None = None) -> StoredObject:
    """Receive and commit a stream in one call."""
    return commit(receive(stream, name=name, claimed_type=claimed_type, max_bytes=max_bytes))


def put_bytes(data: bytes, *, name: str = "", claimed_type: str = "") -> StoredObject:
    """Store a small derived object (a thumbnail) the same way."""
    incoming = Incoming(name=name, claimed_type=claimed_type)
    try:
        incoming.write(data)
    except BaseException:
        incoming.discard()
        raise
    return commit(incoming)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _link_into_place(storage: FileSystemStorage, source: Path, key: str) -> bool:
    target = Path(storage.path(key))
    missing = [parent for parent in reversed(target.parents) if not parent.exists()]
    for directory in missing:
        with contextlib.suppress(FileExistsError):
            directory.mkdir()
            if storage.directory_permissions_mode is not None:
                directory.chmod(storage.directory_permissions_mode)
    os.chmod(source, storage.file_permissions_mode if storage.file_permissions_mode is not None else 0o440)
    try:
        os.link(source, target)  # atomic, and fails if the key exists: never a rewrite
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        # A file system without hard links: rename (atomic, but not exclusive) unless the key exists.
        if target.exists():
            return False
        os.rename(source, target)
    for directory in {target.parent, *(d.parent for d in missing)}:
        _fsync_dir(directory)
    return True


def _upload(storage: Storage, file, key: str, content_type: str) -> bool:
    if storage.exists(key):
        return False
    file.seek(0)
    content = File(file, name=key)
    content.content_type = content_type
    saved = storage.save(key, content)
    if saved != key:
        # An identical upload stored the key between our check and our save: drop our redundant copy.
        storage.delete(saved)
        return False
    return True


# Reading ----------------------------------------------------------------------------------------------------------


def object_exists(key: str) -> bool:
    return evidence_storage().exists(key)


def object_size(key: str) -> int:
    return evidence_storage().size(key)


def open_range(key: str, start: int = 0, length: int | None = None, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The bytes [start, start+length) of an object as an iterator of chunks, read as they are sent.

    The object is opened before this returns (a missing one raises FileNotFoundError here, not mid-stream)."""
    storage = evidence_storage()
    if length is not None and length <= 0:
        return iter(())
    if is_local(storage):
        handle = open(storage.path(key), "rb")  # noqa: SIM115 — closed by the generator
        handle.seek(start)
        return _file_chunks(handle, length, chunk_size)
    if hasattr(storage, "bucket") and hasattr(storage, "_normalize_name"):  # S3Storage: a ranged GET
        from botocore.exceptions import ClientError

        end = "" if length is None else str(start + length - 1)
        params = {"Range": f"bytes={start}-{end}"} if start or length is not None else {}
        try:
            body = storage.bucket.Object(storage._normalize_name(key)).get(**params)["Body"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404", "NotFound"}:
                raise FileNotFoundError(key) from exc
            raise
        return _body_chunks(body, chunk_size)
    handle = storage.open(key, "rb")
    handle.seek(start)
    return _file_chunks(handle, length, chunk_size)


def _file_chunks(handle, length: int | None, chunk_size: int) -> Iterator[bytes]:
    try:
        remaining = length
        while remaining is None or remaining > 0:
            chunk = handle.read(chunk_size if remaining is None else min(chunk_size, remaining))
            if not chunk:
                return
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def _body_chunks(body, chunk_size: int) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(chunk_size)
    finally:
        body.close()
