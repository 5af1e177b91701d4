"""Signed QR codes of enforcement credentials (亮证执法).

A credential's QR code opens ``/public/officers/<number>/?v=<valid_to>&s=<signature>``. The signature is made
with the platform's credential key (SM2 under ``gm``, Ed25519 under ``intl``), kept in its own 0600 file in the
data directory, over ``number``, the holder's name and ``valid_to``. The check page verifies it against the
registry: a forged card (made-up number, another name, a longer validity) fails, and a genuine but outdated card
(renewed or changed since it was printed) is told apart from a forgery.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import enum
import io
import os
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from zhifa.core.keyfiles import read_or_create
from zhifa.crypto.profiles import SigningKey, get_profile
from zhifa.people.models import Credential

DOMAIN = b"zhifa-credential-qr-v1"


class QrCheck(enum.StrEnum):
    ABSENT = "absent"  # the page was opened without a QR payload (lookup by number)
    VALID = "valid"  # signed by this platform over the registry's current data
    OUTDATED = "outdated"  # signed by this platform, but over data the registry no longer holds (old card)
    FORGED = "forged"  # not signed by this platform: a forged or altered code


def key_path() -> Path:
    configured = os.environ.get("ZHIFA_CREDENTIAL_KEY_FILE")
    if configured:
        return Path(configured)
    return settings.ZHIFA_KEYS_DIR / f"credential-signing-{settings.ZHIFA_CRYPTO}.pem"


@cache
def _load(profile_name: str, path: Path, _version: tuple[int, int]) -> SigningKey:
    return get_profile(profile_name).load_signing_key(path.read_bytes())


def signing_key() -> SigningKey:
    """The credential signing key: generated into the data directory (mode 0600) at first use. Cached per
    version of the file, so that every server process follows a replaced key (rotation, or two processes that
    created one at the same first moment: the file that stays wins everywhere)."""
    crypto = get_profile(settings.ZHIFA_CRYPTO)
    path = key_path()
    if not path.exists():
        read_or_create(path, lambda: crypto.generate_signing_key().private_pem())
    status = path.stat()
    return _load(crypto.name, path, (status.st_ino, status.st_mtime_ns))


def message(number: str, holder_name: str, valid_to: dt.date | str) -> bytes:
    """The signed bytes: unambiguous (fields joined by NUL, none may contain it), bound to this purpose."""
    valid = valid_to.isoformat() if isinstance(valid_to, dt.date) else str(valid_to)
    return b"\x00".join([DOMAIN, number.encode(), holder_name.encode(), valid.encode()])


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


def sign(number: str, holder_name: str, valid_to: dt.date) -> str:
    return _b64(signing_key().sign(message(number, holder_name, valid_to)))


def qr_path(credential: Credential) -> str:
    """The path (with query) a credential's QR code carries."""
    name = credential.holder.get_full_name()
    query = urlencode({"v": credential.valid_to.isoformat(), "s": sign(credential.number, name, credential.valid_to)})
    return f"{reverse('public-credential', args=[credential.number])}?{query}"


def qr_url(credential: Credential, base: str) -> str:
    """The absolute URL for the QR code: `base` is the portal's origin, e.g. ``https://zhifa.example.cn``."""
    return base.rstrip("/") + qr_path(credential)


def check(credential: Credential, valid_to: str | None, signature: str | None) -> QrCheck:
    """Verify a scanned payload against the registry's data of the credential."""
    if not valid_to and not signature:
        return QrCheck.ABSENT
    raw = _unb64(signature or "")
    if not raw or not valid_to or len(valid_to) > 10:
        return QrCheck.FORGED
    verifier = signing_key().verifier()
    name = credential.holder.get_full_name()
    if not verifier.verify(raw, message(credential.number, name, valid_to)):
        return QrCheck.FORGED
    return QrCheck.VALID if valid_to == credential.valid_to.isoformat() else QrCheck.OUTDATED


def qr_png(data: str, box_size: int = 8) -> bytes:
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=2)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def qr_data_uri(data: str, box_size: int = 8) -> str:
    """A QR code of `data` as a PNG data URI (embeds in PDFs and pages; the CSP allows data: images)."""
    return png_data_uri(qr_png(data, box_size))
