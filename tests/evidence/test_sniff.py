"""The real content type comes from the first bytes, not from the name or the client's claim."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.evidence.conftest import jpeg_bytes, video_bytes, wav_bytes
from zhifa.evidence import sniff


@pytest.mark.parametrize(("head", "expected"), [
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "image/png"),
    (b"GIF89a" + b"\0" * 20, "image/gif"),
    (b"RIFF\0\0\0\0WEBPVP8 ", "image/webp"),
    (b"RIFF\0\0\0\0AVI LIST", "video/x-msvideo"),
    (b"\0\0\0\x18ftypqt  \0\0\0\0", "video/quicktime"),
    (b"\0\0\0\x18ftypM4A \0\0\0\0", "audio/mp4"),
    (b"\0\0\0\x18ftypheic\0\0\0\0", "image/heic"),
    (b"\0\0\0\x18ftyp3gp4\0\0\0\0", "video/3gpp"),
    (b"\x1aE\xdf\xa3\x9fB\x86\x81\x01B\xf7\x81\x01B\xf2\x81\x04B\xf3\x81\x08B\x82\x84webm", "video/webm"),
    (b"OggS\0\x02" + b"\0" * 22 + b"\x01vorbis", "audio/ogg"),
    (b"ID3\x04\0\0\0\0\0\0", "audio/mpeg"),
    (b"\xff\xfb\x90\x64" + b"\0" * 10, "audio/mpeg"),
    (b"\xff\xf1\x50\x80" + b"\0" * 10, "audio/aac"),
    (b"#!AMR\n", "audio/amr"),
    (b"fLaC\0\0\0\x22", "audio/flac"),
    (b"FLV\x01\x05\0\0\0\x09", "video/x-flv"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
    (b"{\\rtf1\\ansi", "application/rtf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20, sniff.OLE2),
])
def test_magic_numbers(head: bytes, expected: str) -> None:
    assert sniff.sniff_head(head, complete=True) == expected


def test_real_media_generated_here() -> None:
    assert sniff.sniff_head(jpeg_bytes()[:8192]) == "image/jpeg"
    assert sniff.sniff_head(video_bytes(seconds=0.5, audio=False)[:8192]) == "video/mp4"
    assert sniff.sniff_head(wav_bytes()[:8192]) == "audio/wav"


@pytest.mark.parametrize("head", [
    b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff",  # a Windows program, whatever it is called
    b"\x7fELF\x02\x01\x01\0",
    b"<html><script>alert(1)</script></html>",
    b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
    b"\xff\xfeh\0e\0l\0l\0o\0",  # UTF-16 text is not MPEG audio
    b"\0\0\0\x18ftypcrx \0\0\0\0",  # camera raw
])
def test_refused_whatever_the_claim(head: bytes) -> None:
    assert sniff.sniff_head(head, "photo.jpg", "image/jpeg", complete=True) is None


def test_plain_text_needs_a_text_name_or_claim() -> None:
    text = "现场检查记录：货架上发现过期食品。\n".encode()
    assert sniff.sniff_head(text, "note.txt", complete=True) == "text/plain; charset=utf-8"
    assert sniff.sniff_head(text, "note", "text/plain", complete=True) == "text/plain; charset=utf-8"
    assert sniff.sniff_head(text, "note.html", "text/html", complete=True) is None
    assert sniff.sniff_head("编号,名称\n1,过期牛奶\n".encode("gbk"), "清单.csv", complete=True) == \
        "text/csv; charset=gb18030"


def test_text_head_cut_inside_a_character() -> None:
    text = ("检" * 3000).encode()  # 9000 bytes: the 8192-byte head ends inside a character
    assert sniff.sniff_head(text[:sniff.HEAD_BYTES], "a.txt") == "text/plain; charset=utf-8"


def _zip(names: list[str], first: tuple[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1])
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("names", "expected"), [
    (["[Content_Types].xml", "word/document.xml"], sniff.DOCX),
    (["[Content_Types].xml", "xl/workbook.xml"], sniff.XLSX),
    (["[Content_Types].xml", "ppt/presentation.xml"], sniff.PPTX),
    (["OFD.xml", "Doc_0/Document.xml"], sniff.OFD),
    (["readme.txt", "payload.exe"], None),
])
def test_zip_containers_resolved_by_their_directory(tmp_path, names, expected) -> None:
    data = _zip(names)
    path = tmp_path / "f"
    path.write_bytes(data)
    assert sniff.sniff_head(data[:8192], complete=True) == sniff.ZIP
    assert sniff.refine(sniff.ZIP, path) == expected


def test_odf_from_its_mimetype_entry() -> None:
    data = _zip(["content.xml"], first=("mimetype", "application/vnd.oasis.opendocument.text"))
    assert sniff.sniff_head(data[:8192], complete=True) == "application/vnd.oasis.opendocument.text"


def test_ole2_by_stream_name_then_suffix(tmp_path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "WordDocument".encode("utf-16-le") + b"\0\0")
    assert sniff.refine(sniff.OLE2, path) == sniff.DOC
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500)
    assert sniff.refine(sniff.OLE2, path, "报表.et") == sniff.XLS
    assert sniff.refine(sniff.OLE2, path, "unknown.bin") is None
