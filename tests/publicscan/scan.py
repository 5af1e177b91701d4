"""The privacy scanner of public responses: the text a response shows (HTML without tags, JSON, CSV, XLSX cells,
Atom, PDF text) goes through the redaction engine; every ID number, phone or home address it would mask is a leak."""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from zhifa.law import identifiers, redaction

LEAK_KINDS = {"id_number", "phone", "address"}


@dataclass(frozen=True)
class Leak:
    url: str
    kind: str
    text: str
    context: str


class _TextAndLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        if tag in {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "dt", "dd", "section"}:
            self.parts.append("\n")
        for name, value in attrs:
            if name in {"href", "src"} and value:
                self.links.append(value)
            if value and name in {"title", "alt", "value", "content", "placeholder", "aria-label"} or (
                    value and name.startswith("data-")):
                self.parts.append(f"\n{value}\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1
        if tag in {"td", "th", "li", "p", "div", "dd"}:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text_and_links(body: str) -> tuple[str, list[str]]:
    parser = _TextAndLinks()
    parser.feed(body)
    return "".join(parser.parts), parser.links


def response_text(content_type: str, body: bytes) -> str:
    """The text a reader of this response sees."""
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join("\t".join("" if v is None else str(v) for v in row)
                         for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    if "pdf" in content_type:
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=1)
    if "html" in content_type:
        return html_text_and_links(text)[0]
    if "xml" in content_type or "svg" in content_type:
        return html.unescape(re.sub(r"<[^>]+>", "\n", text))
    return text


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


_ID_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def id_numbers(text: str) -> list[str]:
    """A second oracle, independent of the engine: 18-character ID numbers with a GB 11643 check character."""
    text = unicodedata.normalize("NFKC", text)
    return [m.group() for m in _ID_RUN.finditer(text) if identifiers.is_valid_id_number(m.group())]


def leaks(url: str, text: str, official_phones: frozenset[str] = frozenset()) -> list[Leak]:
    """What the redaction engine would still mask in `text`: ID numbers, phones and home addresses — except the
    telephone numbers the agencies publish on purpose (`official_phones`, as digits)."""
    found = []
    for mask in redaction.redact(text, None, "default").spans:
        if mask.kind == "phone" and digits(mask.original) in official_phones:
            continue
        if mask.kind in LEAK_KINDS:
            context = text[max(0, mask.start - 20):mask.end + 10].replace("\n", " ")
            found.append(Leak(url, mask.kind, mask.original, context))
    seen = {leak.text for leak in found}
    found += [Leak(url, "id_number", number, "GB 11643") for number in id_numbers(text) if number not in seen]
    return found
