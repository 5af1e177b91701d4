"""Officer photos: read for pages and PDFs, a neutral placeholder when there is none, synthetic avatars for the
demo (a coloured square with the surname: never a real person's face)."""

from __future__ import annotations

import base64
import hashlib
import io
import mimetypes
from pathlib import Path

from zhifa.people.models import Credential

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_FONT_INDEX = 2  # in the .ttc: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
MAX_PHOTO_BYTES = 5 * 1024 * 1024

PLACEHOLDER_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 400">'
    '<rect width="300" height="400" fill="#e9ecef"/>'
    '<circle cx="150" cy="150" r="70" fill="#adb5bd"/>'
    '<path d="M40 400c0-80 50-140 110-140s110 60 110 140z" fill="#adb5bd"/></svg>'
)
PALETTE = ["#1d4e89", "#2a6f4e", "#7a3b69", "#8a4b08", "#3d5a80", "#5b4a8b", "#245d63", "#6b3e26"]


def placeholder_data_uri() -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(PLACEHOLDER_SVG.encode()).decode()


def photo_bytes(credential: Credential) -> tuple[bytes, str] | None:
    """The stored photo and its media type, or None (no photo, or its file is gone)."""
    if not credential.photo:
        return None
    try:
        with credential.photo.open("rb") as handle:
            data = handle.read(MAX_PHOTO_BYTES + 1)
    except (OSError, ValueError):
        return None
    if len(data) > MAX_PHOTO_BYTES:
        return None
    media_type = mimetypes.guess_type(credential.photo.name)[0] or "image/jpeg"
    return data, media_type


def photo_data_uri(credential: Credential | None) -> str:
    found = photo_bytes(credential) if credential is not None else None
    if found is None:
        return placeholder_data_uri()
    data, media_type = found
    return f"data:{media_type};base64," + base64.b64encode(data).decode()


def avatar_png(name: str, width: int = 300, height: int = 400) -> bytes:
    """A plain synthetic portrait: a background colour chosen by the name, the surname in white."""
    from PIL import Image, ImageDraw, ImageFont

    colour = PALETTE[hashlib.sha256(name.encode()).digest()[0] % len(PALETTE)]
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    text = name[:1] or "?"
    size = int(width * 0.55)
    try:
        font = ImageFont.truetype(str(CJK_FONT), size, index=CJK_FONT_INDEX)
    except OSError:
        font = ImageFont.load_default(size=size)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    position = ((width - (right - left)) / 2 - left, (height - (bottom - top)) / 2 - top)
    draw.text(position, text, fill="#ffffff", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
