"""The evidence multipart parser gives what Django's parser gives, cut however the body arrives."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.evidence import multipart

BOUNDARY = "----zhifaBoundary7MA4YWxkTrZu0gW"


class Collected:
    def __init__(self, name: str, content_type: str) -> None:
        self.name, self.content_type, self.data = name, content_type, bytearray()


class CollectingHandler(FileUploadHandler):
    """For Django's parser: files collected in memory."""

    chunk_size = 64 * 1024

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.collected = Collected(self.file_name, self.content_type)
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data, start):
        self.collected.data += raw_data

    def file_complete(self, file_size):
        return self.collected


class Sink:
    def __init__(self, name: str, content_type: str) -> None:
        self.collected = Collected(name, content_type)
        self.aborted = False

    def write(self, data: memoryview) -> None:
        assert isinstance(data, memoryview)
        self.collected.data += data

    def finish(self):
        return self.collected

    def abort(self) -> None:
        self.aborted = True


class Trickle(io.RawIOBase):
    """A stream that answers reads with at most the next of `cuts` bytes (a network delivering odd pieces)."""

    def __init__(self, data: bytes, cuts: list[int]) -> None:
        self.data, self.cuts, self.position = data, list(cuts), 0

    def read(self, size: int = -1) -> bytes:
        limit = self.cuts.pop(0) if self.cuts else size
        size = min(size if size >= 0 else len(self.data), max(1, limit))
        piece = self.data[self.position:self.position + size]
        self.position += len(piece)
        return piece


def body(parts: list[tuple], preamble: bytes = b"", epilogue: bytes = b"") -> bytes:
    out = [preamble]
    for part in parts:
        out.append(f"--{BOUNDARY}\r\n".encode())
        if part[0] == "field":
            _, name, value = part
            out.append(f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value.encode() + b"\r\n")
        else:
            _, name, filename, content_type, data = part
            out.append(f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                       f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    out.append(f"--{BOUNDARY}--\r\n".encode() + epilogue)
    return b"".join(out)


def with_django(data: bytes):
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "CONTENT_LENGTH": str(len(data))}
    post, files = MultiPartParser(meta, io.BytesIO(data), [CollectingHandler()], "utf-8").parse()
    return _summary(post, files)


def with_ours(data: bytes, cuts: list[int] | None = None, chunk_size: int = 1 << 20):
    sinks: list[Sink] = []

    def open_file(name, file_name, content_type, charset, extra):
        sinks.append(Sink(file_name, content_type))
        return sinks[-1]

    post, files = multipart.parse(Trickle(data, cuts or []), BOUNDARY.encode(), open_file, "utf-8", chunk_size)
    return _summary(post, files), sinks


def _summary(post, files):
    return ({key: post.getlist(key) for key in post},
            {key: [(f.name, f.content_type, bytes(f.data)) for f in files.getlist(key)] for key in files})


# What might confuse a parser: CRLFs, dashes and pieces of the boundary inside the data.
tricky = st.lists(st.sampled_from([b"\r\n", b"--", b"\r\n--", f"\r\n--{BOUNDARY[:10]}".encode(),
                                   f"--{BOUNDARY}".encode()[:-1], b"\r", b"\n", b"-", b"x", "证据".encode(),
                                   bytes(range(256))]), max_size=30).map(b"".join)
names = st.text(alphabet="abcdefgh_证据", min_size=1, max_size=8)
values = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40).map(
    lambda s: s.replace(BOUNDARY, ""))
filenames = st.sampled_from(["a.jpg", "门头照片.jpg", "C:\\Users\\x\\v.mp4", "../../etc/passwd", "x y.pdf"])
parts = st.lists(st.one_of(
    st.tuples(st.just("field"), names, values),
    st.tuples(st.just("file"), names, filenames, st.sampled_from(["image/jpeg", "video/mp4", ""]), tricky),
), max_size=5)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=parts, preamble=st.sampled_from([b"", b"preamble\r\n"]), epilogue=st.sampled_from([b"", b"epilogue"]),
       cuts=st.lists(st.integers(1, 200), max_size=40), chunk_size=st.sampled_from([7, 64, 1 << 20]))
def test_same_result_as_djangos_parser(parts, preamble, epilogue, cuts, chunk_size) -> None:
    data = body(parts, preamble, epilogue)
    ours, _ = with_ours(data, cuts, chunk_size)
    assert ours == with_django(data)


@settings(max_examples=60, deadline=None)
@given(parts=parts.filter(lambda p: any(part[0] == "file" for part in p)), cut=st.floats(0, 1))
def test_a_body_cut_short_never_yields_a_partial_file(parts, cut) -> None:
    data = body(parts)
    truncated = data[: int(len(data) * cut)]
    (post, files), sinks = with_ours(truncated)
    originals = {(part[2].rsplit("/")[-1].rsplit("\\")[-1], part[4]) for part in parts if part[0] == "file"}
    for uploaded in files.values():
        for name, _, content in uploaded:
            assert (name, content) in originals  # every file returned is whole
    finished = sum(len(v) for v in files.values())
    assert len(sinks) - finished <= 1 and all(s.aborted for s in sinks[finished:])


def test_large_file_passes_as_views_without_copies() -> None:
    payload = bytes(range(256)) * 40_000  # 10 MB
    data = body([("field", "kind", "audiovisual"), ("file", "file", "v.mp4", "video/mp4", payload)])
    (post, files), sinks = with_ours(data)
    assert post == {"kind": ["audiovisual"]} and files["file"][0][2] == payload


def test_empty_file_name_is_a_field_as_in_django() -> None:
    data = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename=""\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n\r\n--{BOUNDARY}--\r\n").encode()
    assert with_ours(data)[0] == with_django(data) == ({"file": [""]}, {})


def test_limits(settings) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2
    with pytest.raises(TooManyFieldsSent):
        with_ours(body([("field", "a", "1"), ("field", "b", "2"), ("field", "c", "3")]))
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50
    with pytest.raises(RequestDataTooBig):
        with_ours(body([("field", "a", "x" * 100)]))
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1
    with pytest.raises(TooManyFilesSent):
        with_ours(body([("file", "f", "a.jpg", "", b"1"), ("file", "f", "b.jpg", "", b"2")]))
    huge_header = f'--{BOUNDARY}\r\nX-Pad: {"p" * 10000}\r\n\r\nx\r\n--{BOUNDARY}--'.encode()
    with pytest.raises(MultiPartParserError):
        with_ours(huge_header)
