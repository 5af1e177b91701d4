"""A streaming multipart/form-data parser for evidence uploads, that never copies a file's bytes.

Django's own parser joins and slices every chunk of a file on its way to the upload handler (two extra copies of
each byte); at evidence sizes (a 2-hour body-camera video is several GB) that is as much work as hashing it. Here a
file's data reaches its sink as memoryviews of the chunks read from the request, with only the few bytes that might
begin the boundary held back at a chunk's end. Fields, limits and errors behave as in Django's parser
(DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS and _FILES, file names sanitised, a file part without
a file name read as a field), and tests compare the two parsers on generated bodies cut at every position.

A body that ends before its closing boundary (the client went away) ends parsing: the fields read so far are kept,
the unfinished file is dropped (`FileSink.abort`), as Django does.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import html
from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.utils.http import parse_header_parameters

MAX_HEADER_BYTES = 8192


class FileSink(Protocol):
    """Where one file part's bytes go."""

    def write(self, data: memoryview) -> None: ...

    def finish(self) -> object | None:
        """The end of the part: the uploaded file object for FILES, or None to leave it out."""

    def abort(self) -> None:
        """The body ended inside the part."""


OpenFile = Callable[[str, str, str, str | None, dict], FileSink | None]


class _Reader:
    """Chunks from the request, and a small buffer of bytes given back."""

    def __init__(self, stream, chunk_size: int) -> None:
        self.stream = stream
        self.chunk_size = chunk_size
        self.pending = b""

    def chunk(self) -> bytes:
        if self.pending:
            data, self.pending = self.pending, b""
            return data
        return self.stream.read(self.chunk_size)

    def unread(self, data: bytes) -> None:
        if data:
            self.pending = data + self.pending

    def read_until(self, separator: bytes, limit: int) -> bytes | None:
        """The bytes before `separator` (consumed); None if the stream ends first."""
        buffer = b""
        start = 0
        while True:
            found = buffer.find(separator, start)
            if found > limit or (found == -1 and len(buffer) > limit):
                raise MultiPartParserError("Request max total header size exceeded.")
            if found != -1:
                self.unread(buffer[found + len(separator):])
                return buffer[:found]
            start = max(0, len(buffer) - len(separator) + 1)
            data = self.chunk()
            if not data:
                return None
            buffer += data

    def read_exact(self, size: int) -> bytes:
        buffer = b""
        while len(buffer) < size:
            data = self.chunk()
            if not data:
                break
            buffer += data
        self.unread(buffer[size:])
        return buffer[:size]


def _scan(reader: _Reader, delimiter: bytes, emit: Callable[[memoryview], None]) -> bool:
    """Pass the bytes before the next `delimiter` to `emit` (views of the chunks read) and consume the delimiter.

    False if the stream ends first. The last len(delimiter)-1 bytes of each chunk are held back until the next
    chunk shows whether they begin the delimiter."""
    hold = len(delimiter) - 1
    tail = b""
    while True:
        data = reader.chunk()
        if not data:
            return False
        if tail:
            if len(data) < 65536:
                data, tail = tail + data, b""  # small reads: simply join
            else:
                probe = tail + data[:hold]  # holds any delimiter that begins in the tail
                found = probe.find(delimiter)
                if found != -1 and found < len(tail):
                    if found:
                        emit(memoryview(probe)[:found])
                    reader.unread(data[found + len(delimiter) - len(tail):])
                    return True
                emit(memoryview(tail))
                tail = b""
        found = data.find(delimiter)
        if found != -1:
            if found:
                emit(memoryview(data)[:found])
            reader.unread(data[found + len(delimiter):])
            return True
        if len(data) > hold:
            emit(memoryview(data)[: len(data) - hold])
            tail = data[len(data) - hold:]
        else:
            tail = data


def sanitize_file_name(file_name: str) -> str | None:
    """As django.http.multipartparser.MultiPartParser.sanitize_file_name."""
    file_name = html.unescape(file_name)
    file_name = file_name.rsplit("/")[-1]
    file_name = file_name.rsplit("\\")[-1]
    file_name = "".join(char for char in file_name if char.isprintable())
    return None if file_name in {"", ".", ".."} else file_name


def _headers(raw: bytes) -> dict[str, tuple[str, dict[str, str]]]:
    headers = {}
    for line in raw.split(b"\r\n"):
        try:
            name, value = line.decode("utf-8", "replace").split(":", 1)
            headers[name.strip().lower()] = parse_header_parameters(value.strip())
        except (ValueError, LookupError):  # an invalid header line: ignored, as Django does
            continue
    return headers


def parse(stream, boundary: bytes, open_file: OpenFile, encoding: str | None = None,
          chunk_size: int = 1 << 20) -> tuple[QueryDict, MultiValueDict]:
    """Parse a multipart body from `stream` (read in chunks of `chunk_size`); files go to `open_file(...)`'s sinks."""
    encoding = encoding or settings.DEFAULT_CHARSET
    post = QueryDict(mutable=True, encoding=encoding)
    files = MultiValueDict()
    reader = _Reader(stream, chunk_size)
    delimiter = b"\r\n--" + boundary
    reader.unread(b"\r\n")  # the body begins with the delimiter without its CRLF
    field_bytes = fields = file_parts = 0
    max_memory = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    max_fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    max_files = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    if not _scan(reader, delimiter, lambda data: None):  # the preamble
        return post, files
    while True:
        after = reader.read_exact(2)
        if after == b"--" or len(after) < 2:
            break  # the closing delimiter (or a body cut right after a delimiter)
        if after != b"\r\n":
            padding = reader.read_until(b"\r\n", MAX_HEADER_BYTES)  # transport padding: spaces and tabs only
            if padding is None:
                break
            if (after + padding).strip(b" \t"):
                raise MultiPartParserError("Invalid multipart boundary line")
        reader.unread(b"\r\n")
        raw_headers = reader.read_until(b"\r\n\r\n", MAX_HEADER_BYTES)
        if raw_headers is None:
            break
        headers = _headers(raw_headers)
        disposition = headers.get("content-disposition")
        name = disposition[1].get("name", "").strip() if disposition else ""
        if not name:
            if not _scan(reader, delimiter, lambda data: None):
                break
            continue
        transfer_encoding = headers.get("content-transfer-encoding", ("", {}))[0].strip().lower()
        file_name = disposition[1].get("filename")
        if file_name:  # a file part
            file_parts += 1
            if max_files is not None and file_parts > max_files:
                raise TooManyFilesSent("The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES.")
            if transfer_encoding not in ("", "binary", "8bit", "7bit"):
                raise MultiPartParserError(f"Unsupported transfer encoding of a file: {transfer_encoding}")
            file_name = sanitize_file_name(file_name)
            content_type, extra = headers.get("content-type", ("", {}))
            sink = open_file(name, file_name, content_type.strip(), extra.get("charset"), extra) if file_name \
                else None
            if not _scan(reader, delimiter, sink.write if sink is not None else (lambda data: None)):
                if sink is not None:
                    sink.abort()
                break
            uploaded = sink.finish() if sink is not None else None
            if uploaded is not None:
                files.appendlist(name, uploaded)
            continue
        fields += 1  # a field
        if max_fields is not None and fields > max_fields:
            raise TooManyFieldsSent("The number of GET/POST parameters exceeded "
                                    "settings.DATA_UPLOAD_MAX_NUMBER_FIELDS.")
        pieces: list[bytes] = []
        budget = [None if max_memory is None else max_memory - field_bytes]

        def collect(data: memoryview, pieces=pieces, budget=budget) -> None:
            if budget[0] is not None:
                budget[0] -= len(data)
                if budget[0] < 0:
                    raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
            pieces.append(bytes(data))

        if not _scan(reader, delimiter, collect):
            break
        value = b"".join(pieces)
        field_bytes += len(value) + len(name) + 2
        if max_memory is not None and field_bytes > max_memory:
            raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
        if transfer_encoding == "base64":
            with contextlib.suppress(binascii.Error):  # not base64 after all: kept as sent, as Django does
                value = base64.b64decode(value, validate=True)
        charset = headers.get("content-type", ("", {}))[1].get("charset") or encoding
        try:
            text = value.decode(charset, "replace")
        except LookupError:
            text = value.decode(encoding, "replace")
        post.appendlist(name, text)
    while reader.chunk():  # the epilogue: read to the end, as Django does
        pass
    post._mutable = False
    return post, files
