"""The store: hashed while streaming, content-addressed, write-once, nothing half-stored."""

from __future__ import annotations

import hashlib
import io
import os
import stat

import pytest

from tests.evidence.conftest import incoming_files, jpeg_bytes, stored_objects
from zhifa.core.errors import RuleViolation
from zhifa.crypto.profiles import get_profile
from zhifa.evidence import store


class CountingStream(io.RawIOBase):
    """A stream of `size` bytes that refuses any read bigger than `limit` and can fail after `fail_after` bytes."""

    def __init__(self, head: bytes, size: int, limit: int = store.CHUNK_SIZE, fail_after: int | None = None):
        self.head, self.size, self.limit, self.fail_after = head, size, limit, fail_after
        self.position = 0
        self.largest_read = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        assert 0 < n <= self.limit, f"read({n}): the stream must be read in chunks"
        if self.fail_after is not None and self.position >= self.fail_after:
            raise ConnectionResetError("client went away")
        n = min(n, self.size - self.position)
        self.largest_read = max(self.largest_read, n)
        start = self.position
        self.position += n
        if start < len(self.head):
            piece = self.head[start:start + n]
            return piece + b"\0" * (n - len(piece))
        return bytes([start // store.CHUNK_SIZE % 251]) * n

    def expected(self) -> bytes:
        """The same bytes, produced without the stream (for the reference hashes of small sizes)."""
        copy = CountingStream(self.head, self.size, self.limit)
        return b"".join(iter(lambda: copy.read(self.limit) if copy.position < copy.size else b"", b""))


def _pdf_stream(size: int, **kwargs) -> CountingStream:
    return CountingStream(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", size, **kwargs)


def test_ingest_hashes_while_streaming_in_chunks(evidence_root, settings) -> None:
    settings.ZHIFA_CRYPTO = "gm"
    stream = _pdf_stream(9 * store.CHUNK_SIZE + 123)  # beyond PARALLEL_FROM: the SM3 thread is used
    stored = store.ingest(stream, name="scan.pdf", claimed_type="application/octet-stream")
    data = stream.expected()
    assert stream.largest_read <= store.CHUNK_SIZE
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.log_hash_algorithm == "sm3"
    assert stored.log_hash == get_profile("gm").hash(data).hex()
    assert stored.content_type == "application/pdf"  # from the bytes, not the claim
    assert stored.size == len(data)
    assert stored.key == f"sha256/{stored.sha256[:2]}/{stored.sha256[2:4]}/{stored.sha256}"
    path = evidence_root / stored.key
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o440
    assert stored.created
    assert incoming_files(evidence_root) == []


def test_intl_profile_log_hash_is_sha256(settings) -> None:
    settings.ZHIFA_CRYPTO = "intl"
    data = jpeg_bytes()
    stored = store.ingest(io.BytesIO(data), name="a.jpg")
    assert stored.log_hash_algorithm == "sha256"
    assert stored.log_hash == stored.sha256 == hashlib.sha256(data).hexdigest()


def test_identical_content_is_stored_once_and_never_rewritten(evidence_root) -> None:
    data = jpeg_bytes()
    first = store.ingest(io.BytesIO(data), name="a.jpg")
    path = evidence_root / first.key
    before = path.stat()
    second = store.ingest(io.BytesIO(data), name="copy.jpg")
    assert (second.key, second.created) == (first.key, False)
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert len(stored_objects(evidence_root)) == 1
    assert incoming_files(evidence_root) == []


def test_an_existing_object_is_not_overwritten_even_if_it_differs(evidence_root) -> None:
    data = jpeg_bytes()
    key = store.key_for(hashlib.sha256(data).hexdigest())
    path = evidence_root / key
    path.parent.mkdir(parents=True)
    path.write_bytes(b"something else")  # e.g. tampered with: the integrity check reports it, ingest leaves it
    stored = store.ingest(io.BytesIO(data), name="a.jpg")
    assert not stored.created
    assert path.read_bytes() == b"something else"


def test_interrupted_stream_leaves_nothing(evidence_root) -> None:
    stream = _pdf_stream(6 * store.CHUNK_SIZE, fail_after=3 * store.CHUNK_SIZE)
    with pytest.raises(ConnectionResetError):
        store.ingest(stream, name="scan.pdf")
    assert incoming_files(evidence_root) == []
    assert stored_objects(evidence_root) == []


def test_size_limit_stops_the_stream_early(evidence_root) -> None:
    stream = _pdf_stream(50 * store.CHUNK_SIZE)
    with pytest.raises(RuleViolation) as refused:
        store.ingest(stream, name="big.pdf", max_bytes=2 * store.CHUNK_SIZE)
    assert refused.value.code == "evidence_too_large"
    assert "2 MB" in refused.value.detail
    assert stream.position <= 3 * store.CHUNK_SIZE  # stopped at the limit, not read to the end
    assert incoming_files(evidence_root) == [] and stored_objects(evidence_root) == []


def test_refused_type_is_refused_after_its_first_bytes(evidence_root) -> None:
    stream = CountingStream(b"MZ\x90\0\x03\0\0\0", 20 * store.CHUNK_SIZE)
    with pytest.raises(RuleViolation) as refused:
        store.ingest(stream, name="photo.jpg", claimed_type="image/jpeg")
    assert refused.value.code == "evidence_type_refused"
    assert "按文件内容识别" in refused.value.detail
    assert stream.position <= store.CHUNK_SIZE
    assert incoming_files(evidence_root) == [] and stored_objects(evidence_root) == []


def test_a_zip_that_is_no_office_document_is_refused_at_the_end(evidence_root, tmp_path) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("tool.exe", b"MZ")
    with pytest.raises(RuleViolation) as refused:
        store.ingest(io.BytesIO(buffer.getvalue()), name="a.docx")
    assert refused.value.code == "evidence_type_refused"
    assert incoming_files(evidence_root) == [] and stored_objects(evidence_root) == []


def test_empty_file_refused(evidence_root) -> None:
    with pytest.raises(RuleViolation) as refused:
        store.ingest(io.BytesIO(b""), name="a.txt")
    assert refused.value.code == "evidence_empty"
    assert incoming_files(evidence_root) == []


def test_background_hash_matches_and_reports_errors() -> None:
    data = os.urandom(store.PARALLEL_FROM + 3 * store.CHUNK_SIZE)
    hasher = store.BackgroundHash(get_profile("gm").new_hash)
    for start in range(0, len(data), store.CHUNK_SIZE):
        hasher.update(data[start:start + store.CHUNK_SIZE])
    assert hasher.digest() == get_profile("gm").hash(data)

    class Broken:  # fails in the worker thread, once the input is large
        calls = 0

        def update(self, chunk):
            Broken.calls += 1
            if Broken.calls > 6:
                raise ValueError("broken hash")

    broken = store.BackgroundHash(Broken)
    for _ in range(12):
        broken.update(bytes(store.CHUNK_SIZE))  # never blocks, although the worker failed
    with pytest.raises(ValueError, match="broken hash"):
        broken.digest()


def test_open_range_reads_only_the_range_beyond_2_gib(evidence_root) -> None:
    key = "sha256/00/00/sparse"
    path = evidence_root / key
    path.parent.mkdir(parents=True)
    offset = (1 << 31) + 4097
    with open(path, "wb") as handle:  # a sparse file of 2 GiB + 1 MiB: no disk used, no time spent
        handle.seek(offset)
        handle.write(b"MARKER")
        handle.truncate((1 << 31) + (1 << 20))
    assert store.object_size(key) == (1 << 31) + (1 << 20)
    assert b"".join(store.open_range(key, offset, 6)) == b"MARKER"
    assert b"".join(store.open_range(key, offset - 2, 4)) == b"\0\0MA"


def test_open_range_of_a_missing_object_fails_before_streaming() -> None:
    with pytest.raises(FileNotFoundError):
        store.open_range("sha256/ff/ff/missing", 0, 10)
