"""Fixtures for the evidence tests: agencies, users with credentials, cases, real generated media, an evidence
store in a temporary directory per test."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
from django.utils import timezone

from tests.conftest import use_evidence_storage
from zhifa.cases.models import Case
from zhifa.core.models import Confidentiality
from zhifa.law import identifiers
from zhifa.people.models import Agency, Credential, Role, User

_serial = itertools.count(1)


def make_agency(name: str = "渌口区市场监督管理局", short_name: str = "渌市监") -> Agency:
    number = next(_serial)
    first17 = f"11430212{number:09d}"
    return Agency.objects.create(
        code=f"agency-{number}", name=f"{name}{number}", short_name=short_name,
        credit_code=first17 + identifiers.credit_code_check_char(first17), kind="administrative", level="county",
        jurisdiction="株洲市渌口区",
    )


def make_user(agency: Agency | None, role: str = Role.OFFICER, credential: bool = True, name: str = "") -> User:
    number = next(_serial)
    user = User.objects.create_user(username=f"user{number}", password="correct-horse-battery",
                                    full_name=name or f"执法人员{number}", role=role, agency=agency)
    if credential and agency is not None:
        Credential.objects.create(holder=user, agency=agency, number=f"43021226{number:06d}", fields=["市场监管"],
                                  issuing_authority="株洲市渌口区人民政府", valid_from=dt.date(2020, 1, 1),
                                  valid_to=dt.date(2099, 12, 31))
    return user


def make_case(agency: Agency, confidentiality: str = Confidentiality.NONE) -> Case:
    number = next(_serial)
    return Case.objects.create(agency=agency, number=f"{agency.short_name}立〔2025〕{number}号", title="销售过期食品",
                               source="inspection", opened_at=timezone.now(), confidentiality=confidentiality)


def jpeg_bytes(width: int = 120, height: int = 80, exif_time: str | None = None, gps: bool = False) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (200, 40, 40))
    ImageDraw.Draw(image).rectangle((10, 10, width // 2, height // 2), fill=(20, 20, 200))
    exif = image.getexif()
    if exif_time:
        exif.get_ifd(0x8769)[36867] = exif_time
        exif.get_ifd(0x8769)[36881] = "+08:00"
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1], gps_ifd[2] = "N", (27.0, 42.0, 36.0)
        gps_ifd[3], gps_ifd[4] = "E", (113.0, 8.0, 24.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def video_bytes(seconds: float = 1.0, size: int = 64, fps: int = 10, audio: bool = True,
                creation_time: str | None = None) -> bytes:
    """A real MP4 generated with PyAV: `seconds` of size×size frames (H.264 if available, else MPEG-4) + AAC."""
    import av
    from PIL import Image

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "clip.mp4"
        with av.open(str(path), "w") as container:
            if creation_time:
                container.metadata["creation_time"] = creation_time
            try:
                video = container.add_stream("libx264", rate=fps)
            except Exception:  # noqa: BLE001
                video = container.add_stream("mpeg4", rate=fps)
            video.width = video.height = size
            video.pix_fmt = "yuv420p"
            sound = container.add_stream("aac", rate=16000) if audio else None
            for number in range(int(seconds * fps)):
                frame = av.VideoFrame.from_image(Image.new("RGB", (size, size), (number * 20 % 255, 90, 160)))
                for packet in video.encode(frame):
                    container.mux(packet)
            for packet in video.encode():
                container.mux(packet)
            if sound is not None:
                samples_per_frame = 1024
                total = int(seconds * 16000)
                for start in range(0, total, samples_per_frame):
                    frame = av.AudioFrame(format="s16", layout="mono", samples=samples_per_frame)
                    frame.planes[0].update(bytes(samples_per_frame * 2))
                    frame.sample_rate = 16000
                    frame.pts = start
                    frame.time_base = Fraction(1, 16000)
                    for packet in sound.encode(frame):
                        container.mux(packet)
                for packet in sound.encode():
                    container.mux(packet)
        return path.read_bytes()


def wav_bytes(seconds: float = 0.5, rate: int = 8000) -> bytes:
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(int(seconds * rate) * 2))
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def evidence_urls(settings) -> None:
    settings.ROOT_URLCONF = "tests.evidence.urls"


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path) -> Path:
    """Each test stores its evidence in its own directory."""
    return use_evidence_storage(settings, tmp_path / "evidence")


@pytest.fixture
def agency(db) -> Agency:
    return make_agency()


@pytest.fixture
def other_agency(db) -> Agency:
    return make_agency("渌口区城市管理和综合执法局", "渌城管")


@pytest.fixture
def officer(agency) -> User:
    return make_user(agency, name="李执法")


@pytest.fixture
def case(agency) -> Case:
    return make_case(agency)


@pytest.fixture
def jpeg() -> bytes:
    return jpeg_bytes(exif_time="2025:03:01 09:30:15", gps=True)


@pytest.fixture(scope="session")
def video() -> bytes:
    return video_bytes(creation_time="2025-03-01T01:31:00.000000Z")


def incoming_files(root: Path) -> list[Path]:
    incoming = root / ".incoming"
    return sorted(incoming.iterdir()) if incoming.exists() else []


def stored_objects(root: Path) -> list[Path]:
    base = root / "sha256"
    return sorted(p for p in base.rglob("*") if p.is_file()) if base.exists() else []
