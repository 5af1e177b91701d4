"""The upload handler: hashes each chunk as the request body streams in, so the file is read once.

It parses the body itself (`handle_raw_input` with zhifa.evidence.multipart, which passes a file's bytes on without
copying them); the chunk methods below are Django's own path, used when `fast_parser` is off.

Install it before the body is parsed (`use_evidence_handler(request)`), i.e. in a csrf_exempt view that then calls a
csrf_protect one — Django's documented pattern for custom upload handlers. A file refused on the way (too large, a
refused type) is skipped at once: its temporary file is removed and its RuleViolation is kept for the view
(`rejections(request)`). Whatever was not committed is removed by `cleanup(request)` at the end of the request.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopFutureHandlers
from django.http import HttpRequest

from zhifa.core.errors import RuleViolation
from zhifa.evidence import multipart, store


class IngestedUpload(UploadedFile):
    """An uploaded file already hashed and type-checked; `incoming` is what `store.commit` takes."""

    def __init__(self, incoming: store.Incoming, name: str, content_type: str, charset: str | None,
                 content_type_extra: dict | None) -> None:
        super().__init__(incoming.file, name, content_type, incoming.size, charset, content_type_extra)
        self.incoming = incoming

    def temporary_file_path(self) -> str:
        return str(self.incoming.path)

    def close(self) -> None:
        self.incoming.discard()


class _Sink:
    """One file part of the fast parser: into an Incoming, until a rule refuses it."""

    def __init__(self, handler: EvidenceUploadHandler, incoming: store.Incoming, file_name: str, content_type: str,
                 charset: str | None, extra: dict) -> None:
        self.handler, self.incoming = handler, incoming
        self.file_name, self.content_type, self.charset, self.extra = file_name, content_type, charset, extra

    def write(self, data: memoryview) -> None:
        if self.incoming is None:
            return  # refused: the rest of the part is read and dropped
        try:
            self.incoming.write(data)
        except RuleViolation as exc:
            self.handler.rejections.append(exc)
            self.abort()

    def finish(self) -> IngestedUpload | None:
        if self.incoming is None:
            return None
        try:
            self.incoming.finish()
        except RuleViolation as exc:
            self.handler.rejections.append(exc)
            self.abort()
            return None
        return IngestedUpload(self.incoming, self.file_name, self.incoming.digest.content_type, self.charset,
                              self.extra)

    def abort(self) -> None:
        if self.incoming is not None:
            self.incoming.discard()
            self.incoming = None


class EvidenceUploadHandler(FileUploadHandler):
    chunk_size = store.CHUNK_SIZE  # the body is read in chunks of this size

    def __init__(self, request: HttpRequest | None = None, max_bytes: int | None = None,
                 fast_parser: bool = True) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.fast_parser = fast_parser
        self.rejections: list[RuleViolation] = []
        self.incoming: list[store.Incoming] = []
        self.current: store.Incoming | None = None

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if not self.fast_parser:
            return None
        return multipart.parse(input_data, boundary, self._open_file, encoding, self.chunk_size)

    def _open_file(self, field_name: str, file_name: str, content_type: str, charset: str | None,
                   extra: dict) -> _Sink:
        incoming = store.Incoming(name=file_name, claimed_type=content_type, max_bytes=self.max_bytes)
        self.incoming.append(incoming)
        return _Sink(self, incoming, file_name, content_type, charset, extra)

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.current = store.Incoming(name=file_name, claimed_type=content_type, max_bytes=self.max_bytes)
        self.incoming.append(self.current)
        self.file = self.current.file  # Django's parser closes `handler.file` when it stops an upload
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        try:
            self.current.write(raw_data)
        except RuleViolation as exc:
            self._reject(exc)
            raise SkipFile() from exc
        return None

    def file_complete(self, file_size: int) -> IngestedUpload | None:
        incoming, self.current = self.current, None
        del self.file
        try:
            incoming.finish()
        except RuleViolation as exc:
            self.rejections.append(exc)
            incoming.discard()
            return None
        return IngestedUpload(incoming, self.file_name, incoming.digest.content_type, self.charset,
                              self.content_type_extra)

    def upload_interrupted(self) -> None:
        """The body ended inside a file (the client went away): nothing of it is kept."""
        if self.current is not None:
            self.current.discard()
            self.current = None

    def _reject(self, exc: RuleViolation) -> None:
        self.rejections.append(exc)
        if self.current is not None:
            self.current.discard()
            self.current = None

    def cleanup(self) -> None:
        for incoming in self.incoming:
            incoming.discard()


def use_evidence_handler(request: HttpRequest, max_bytes: int | None = None,
                         fast_parser: bool = True) -> EvidenceUploadHandler:
    handler = EvidenceUploadHandler(request, max_bytes, fast_parser)
    request.upload_handlers = [handler]
    return handler


def _handlers(request: HttpRequest) -> list[EvidenceUploadHandler]:
    handlers = getattr(request, "_upload_handlers", None) or []
    return [h for h in handlers if isinstance(h, EvidenceUploadHandler)]


def rejections(request: HttpRequest) -> list[RuleViolation]:
    return [exc for handler in _handlers(request) for exc in handler.rejections]


def cleanup(request: HttpRequest) -> None:
    for handler in _handlers(request):
        handler.cleanup()
