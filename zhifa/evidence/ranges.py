"""HTTP Range (RFC 9110 §14) for evidence playback and download: one range, streamed from storage.

Supported: `bytes=a-b`, `bytes=a-`, `bytes=-n`. A satisfiable range answers 206 with Content-Range; an
unsatisfiable one 416 with `Content-Range: bytes */size`; a malformed header, several ranges or a stale If-Range
are ignored (200, the whole file), as §14.2 allows. Offsets are Python ints: files beyond 2 GiB seek like any other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

_SINGLE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class Unsatisfiable(Exception):
    pass


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, end inclusive) of the one range asked for, None to send the whole file; raise Unsatisfiable."""
    if not header:
        return None
    match = _SINGLE.match(header)
    if not match:
        return None  # malformed or several ranges: ignored
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix: the last n bytes
        length = int(last)
        if length == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - length), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # invalid range-spec: ignored
    if start >= size:
        raise Unsatisfiable
    return start, min(end, size - 1)


def content_disposition(kind: str, filename: str) -> str:
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "") or "evidence"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def ranged_response(request: HttpRequest, *, size: int, content_type: str, etag: str,
                    open_range: Callable[[int, int], Iterator[bytes]], filename: str,
                    attachment: bool) -> HttpResponse:
    """Answer GET/HEAD for one stored object: 200, 206 or 416, streamed through `open_range(start, length)`."""
    header = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if header and if_range and if_range.strip() != etag:
        header = None  # the client's copy is another version: send it all
    try:
        wanted = parse_range(header, size)
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    start, end = wanted if wanted is not None else (0, size - 1)
    length = end - start + 1 if size else 0
    body = iter(()) if request.method == "HEAD" or length == 0 else open_range(start, length)
    response = StreamingHttpResponse(body, status=206 if wanted is not None else 200, content_type=content_type)
    response["Content-Length"] = str(length)
    if wanted is not None:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["Content-Disposition"] = content_disposition("attachment" if attachment else "inline", filename)
    return response
