"""What a file really is, from its first bytes (magic numbers), not from the client's claim.

Evidence accepts images, audio, video, PDF, common office documents (OOXML, OLE2 Word/Excel/PowerPoint, ODF, OFD,
RTF) and plain text. `sniff_head` decides from the first HEAD_BYTES; ZIP and OLE2 containers are refined on the
complete file by `refine` (which reads their directory, never the whole file).

Pure Python: no Django import here.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

HEAD_BYTES = 8192

# Placeholders that `refine` resolves on the complete file.
ZIP = "application/zip"
OLE2 = "application/x-ole-storage"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
OFD = "application/ofd"  # GB/T 33190-2016, China's fixed-layout document format

ALLOWED = frozenset({
    # images
    "image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/tiff", "image/heic", "image/heif",
    "image/avif",
    # audio
    "audio/mpeg", "audio/aac", "audio/mp4", "audio/wav", "audio/ogg", "audio/flac", "audio/amr", "audio/aiff",
    "audio/webm",
    # video
    "video/mp4", "video/quicktime", "video/3gpp", "video/3gpp2", "video/webm", "video/x-matroska", "video/ogg",
    "video/x-msvideo", "video/mp2t", "video/mpeg", "video/x-flv",
    # documents
    "application/pdf", DOCX, XLSX, PPTX, DOC, XLS, PPT, OFD, "application/rtf",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    # text
    "text/plain", "text/csv",
})

TEXT_SUFFIXES = {".txt": "text/plain", ".log": "text/plain", ".md": "text/plain", ".csv": "text/csv"}
OLE2_SUFFIXES = {".doc": DOC, ".wps": DOC, ".dot": DOC, ".xls": XLS, ".et": XLS, ".ppt": PPT, ".dps": PPT}

_FTYP_BRANDS = {
    b"qt  ": "video/quicktime",
    b"M4A ": "audio/mp4", b"M4B ": "audio/mp4", b"M4P ": "audio/mp4", b"F4A ": "audio/mp4",
    b"heic": "image/heic", b"heix": "image/heic", b"hevc": "image/heic", b"hevx": "image/heic",
    b"heim": "image/heic", b"heis": "image/heic", b"mif1": "image/heif", b"msf1": "image/heif",
    b"avif": "image/avif", b"avis": "image/avif",
    b"3g2a": "video/3gpp2", b"3g2b": "video/3gpp2", b"3g2c": "video/3gpp2",
}


def base_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _ftyp(head: bytes) -> str | None:
    if head[4:8] != b"ftyp" or len(head) < 12:
        return None
    brand = head[8:12]
    if brand in _FTYP_BRANDS:
        return _FTYP_BRANDS[brand]
    if brand.startswith(b"3gp") or brand.startswith(b"3ge") or brand.startswith(b"3gg"):
        return "video/3gpp"
    if brand.startswith(b"crx") or brand.startswith(b"jp2"):
        return None  # camera raw, JPEG 2000: not accepted
    return "video/mp4"  # isom, iso2-9, mp41, mp42, avc1, dash, M4V, XAVC, MSNV, f4v, …


def _bmp(head: bytes) -> bool:
    # "BM", reserved zero words, then a known DIB header size.
    return (head[:2] == b"BM" and len(head) >= 18 and head[6:10] == b"\0\0\0\0"
            and int.from_bytes(head[14:18], "little") in {12, 40, 52, 56, 64, 108, 124})


def _text(head: bytes, complete: bool) -> str | None:
    """The charset if `head` is plain text (UTF-8, with or without BOM, or GB18030), else None."""
    if any(byte < 0x20 and byte not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B) for byte in head):
        return None  # NUL and other control characters: binary
    # Unless `head` is the whole file, a multi-byte character may be cut at its end.
    trims = (0,) if complete else (0, 1, 2, 3)
    for charset in ("utf-8", "gb18030"):
        for trim in trims:
            try:
                head[: len(head) - trim].decode(charset)
            except UnicodeDecodeError:
                continue
            return charset
    return None


def _mpeg_audio(head: bytes) -> str | None:
    """An MP3 (MPEG-1/2 layer III) or ADTS AAC frame header at the start."""
    if len(head) < 3 or head[0] != 0xFF:
        return None
    if head[1] in (0xFB, 0xFA, 0xF3, 0xF2, 0xE3, 0xE2) and head[2] >> 4 != 0xF and (head[2] >> 2) & 3 != 3:
        return "audio/mpeg"
    if head[1] in (0xF1, 0xF0, 0xF9, 0xF8) and (head[2] >> 2) & 0xF < 13:
        return "audio/aac"
    return None


def sniff_head(head: bytes, name: str = "", claimed: str = "", complete: bool = False) -> str | None:
    """The content type the first bytes show (ZIP/OLE2 placeholders included), or None when not accepted.

    `complete` says `head` is the whole file (it is shorter than HEAD_BYTES)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] in (b"II*\0", b"MM\0*"):
        return "image/tiff"
    if _bmp(head):
        return "image/bmp"
    if head.startswith(b"RIFF") and len(head) >= 12:
        return {b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo", b"WEBP": "image/webp"}.get(head[8:12])
    if (found := _ftyp(head)) is not None or head[4:8] == b"ftyp":
        return found
    if head.startswith(b"\x1aE\xdf\xa3"):  # EBML: Matroska or WebM
        return "video/webm" if b"webm" in head[:64] else "video/x-matroska"
    if head.startswith(b"OggS"):
        return "video/ogg" if b"\x80theora" in head else "audio/ogg"
    if head.startswith(b"ID3"):
        return "audio/mpeg"
    if head.startswith(b"#!AMR"):
        return "audio/amr"
    if head.startswith(b"fLaC"):
        return "audio/flac"
    if head.startswith(b"FORM") and head[8:12] in (b"AIFF", b"AIFC"):
        return "audio/aiff"
    if head.startswith(b"FLV\x01"):
        return "video/x-flv"
    if head.startswith(b"\0\0\x01\xba"):
        return "video/mpeg"
    if len(head) > 376 and head[0] == head[188] == head[376] == 0x47:
        return "video/mp2t"
    if (audio := _mpeg_audio(head)) is not None:
        return audio
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"{\\rtf"):
        return "application/rtf"
    if head.startswith(b"PK\x03\x04"):
        if head[30:38] == b"mimetype":  # ODF stores its type uncompressed first
            odf = head[38:38 + 80].split(b"PK", 1)[0].decode("ascii", "replace")
            return odf if odf in ALLOWED else None
        return ZIP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE2
    suffix = PurePosixPath(name.lower()).suffix
    text_type = TEXT_SUFFIXES.get(suffix) or (base_type(claimed) if base_type(claimed) in ("text/plain", "text/csv")
                                              else None)
    if text_type and head:
        charset = _text(head.removeprefix(b"\xef\xbb\xbf"), complete)
        if charset:
            return f"{text_type}; charset={charset}"
    return None


def refine(sniffed: str, path: Path, name: str = "", claimed: str = "") -> str | None:
    """Resolve the ZIP and OLE2 placeholders on the complete file; other types pass through."""
    if sniffed == ZIP:
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
        if "ppt/presentation.xml" in names:
            return PPTX
        if "OFD.xml" in names:
            return OFD
        return None  # other archives are not accepted
    if sniffed == OLE2:
        return _ole2_type(path) or OLE2_SUFFIXES.get(PurePosixPath(name.lower()).suffix) or (
            base_type(claimed) if base_type(claimed) in (DOC, XLS, PPT) else None)
    return sniffed


_OLE2_STREAMS = (("WordDocument", DOC), ("Workbook", XLS), ("Book", XLS), ("PowerPoint Document", PPT))


def _ole2_type(path: Path, limit: int = 8 << 20) -> str | None:
    """Find a main stream's name (UTF-16LE, in the directory sectors) in the first `limit` bytes."""
    with open(path, "rb") as handle:
        data = handle.read(limit)
    for stream, content_type in _OLE2_STREAMS:
        if stream.encode("utf-16-le") + b"\0\0" in data:
            return content_type
    return None
