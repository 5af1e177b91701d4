"""Metadata of images (Pillow, EXIF) and audio/video (PyAV), and JPEG thumbnails.

Read from the stored file's head as needed, never whole. A file whose metadata cannot be read is still evidence:
`probe` then returns what it found (possibly nothing) and logs why.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import warnings
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from zhifa.evidence.sniff import base_type

logger = logging.getLogger(__name__)

THUMBNAIL_SIZE = (320, 320)
THUMBNAIL_QUALITY = 80
# Packets of the first video stream to try before giving up on a thumbnail.
MAX_PACKETS_FOR_THUMBNAIL = 300

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
TAG_DATETIME = 306
TAG_DATETIME_ORIGINAL = 36867
TAG_OFFSET_TIME_ORIGINAL = 36881


@dataclass
class MediaInfo:
    duration_seconds: float | None = None
    codec: str = ""
    width: int | None = None
    height: int | None = None
    captured_at: dt.datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    thumbnail: bytes | None = None  # JPEG


def probe(path: Path, content_type: str) -> MediaInfo:
    major = base_type(content_type).split("/", 1)[0]
    try:
        if major == "image":
            return probe_image(path)
        if major in {"video", "audio"}:
            return probe_av(path)
    except Exception as exc:  # a damaged or exotic file is still evidence
        logger.warning("evidence metadata of %s (%s) not read: %s", path.name, content_type, exc)
    return MediaInfo()


def jpeg_thumbnail(image) -> bytes:
    from PIL import Image

    image = image.convert("RGB") if image.mode != "RGB" else image
    image.thumbnail(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return buffer.getvalue()


def _exif_time(text: object, offset: object) -> dt.datetime | None:
    if not isinstance(text, str):
        return None
    try:
        naive = dt.datetime.strptime(text.strip().rstrip("\0")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if isinstance(offset, str) and len(offset.strip()) >= 6:
        try:
            sign = -1 if offset.strip()[0] == "-" else 1
            hours, minutes = offset.strip()[1:6].split(":")
            zone = dt.timezone(sign * dt.timedelta(hours=int(hours), minutes=int(minutes)))
            return naive.replace(tzinfo=zone)
        except ValueError:
            pass
    return timezone.make_aware(naive, timezone.get_default_timezone())  # cameras here are set to Beijing time


def _gps_degrees(values: object, ref: object) -> Decimal | None:
    try:
        degrees, minutes, seconds = (float(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if isinstance(ref, str) and ref.strip().upper() in {"S", "W"}:
        value = -value
    return Decimal(f"{value:.6f}")


def probe_image(path: Path) -> MediaInfo:
    from PIL import Image, ImageOps

    info = MediaInfo()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(path) as image:
            info.codec = (image.format or "").lower()
            exif = image.getexif()
            details = exif.get_ifd(EXIF_IFD)
            info.captured_at = _exif_time(details.get(TAG_DATETIME_ORIGINAL) or exif.get(TAG_DATETIME),
                                          details.get(TAG_OFFSET_TIME_ORIGINAL))
            gps = exif.get_ifd(GPS_IFD)
            if gps.get(2) and gps.get(4):
                latitude, longitude = _gps_degrees(gps.get(2), gps.get(1)), _gps_degrees(gps.get(4), gps.get(3))
                if latitude is not None and longitude is not None and abs(latitude) <= 90 and abs(longitude) <= 180:
                    info.latitude, info.longitude = latitude, longitude
            if image.format == "JPEG":
                image.draft("RGB", (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))  # decode at reduced scale
            upright = ImageOps.exif_transpose(image)
            info.width, info.height = _upright_size(image.size, exif.get(0x0112))
            info.thumbnail = jpeg_thumbnail(upright)
    return info


def _upright_size(size: tuple[int, int], orientation: object) -> tuple[int, int]:
    """Width and height as shown: EXIF orientations 5-8 turn the picture a quarter."""
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def _av_time(text: object) -> dt.datetime | None:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)  # QuickTime creation_time is UTC
    return None if moment.year < 1990 else moment  # 1904/1970 epochs: the camera did not set a time


def probe_av(path: Path) -> MediaInfo:
    import av

    info = MediaInfo()
    with av.open(str(path)) as container:
        video = container.streams.video[0] if container.streams.video else None
        audio = container.streams.audio[0] if container.streams.audio else None
        if container.duration:
            info.duration_seconds = round(container.duration / av.time_base, 3)
        else:
            stream = video or audio
            if stream is not None and stream.duration and stream.time_base:
                info.duration_seconds = round(float(stream.duration * stream.time_base), 3)
        codecs = [s.codec_context.name for s in (video, audio) if s is not None and s.codec_context is not None]
        info.codec = " + ".join(codecs)[:60]
        info.captured_at = _av_time(container.metadata.get("creation_time")) or (
            _av_time(video.metadata.get("creation_time")) if video is not None else None)
        if video is not None:
            info.width = video.codec_context.width or None
            info.height = video.codec_context.height or None
            video.codec_context.thread_count = 1  # one frame: no decoder threads left behind in a web worker
            info.thumbnail = _first_frame(container, video)
    return info


def _first_frame(container, video) -> bytes | None:
    for number, packet in enumerate(container.demux(video)):
        if number >= MAX_PACKETS_FOR_THUMBNAIL:
            break
        try:
            frames = packet.decode()
        except Exception:  # noqa: BLE001 — a damaged packet: try the next one
            continue
        for frame in frames:
            return jpeg_thumbnail(frame.to_image(threads=1))  # no scaler threads left behind in a web worker
    return None
