"""Demo evidence: a generated photo of a shop front and a 2-second generated video, added through `add_evidence`.

Everything is drawn here (Pillow, PyAV), so the demo has real files to play, thumbnail, verify and export.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import tempfile
from fractions import Fraction
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.evidence import actions
from zhifa.evidence.models import EvidenceFile, EvidenceKind, ProcedureStage
from zhifa.people.models import User

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def _font(size: int):
    from PIL import ImageFont

    if CJK_FONT.exists():
        return ImageFont.truetype(str(CJK_FONT), size)
    return ImageFont.load_default(size)


def shop_front_jpeg(sign: str = "渌口便民超市", taken_at: dt.datetime | None = None, width: int = 960,
                    height: int = 640) -> bytes:
    """A street scene: a shop with its sign, a door, windows, a notice and a time stamp, as a camera would give."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (186, 214, 235))
    draw = ImageDraw.Draw(image)
    ground = int(height * 0.78)
    draw.rectangle((0, ground, width, height), fill=(128, 128, 120))  # pavement
    draw.rectangle((60, 120, width - 60, ground), fill=(226, 218, 200), outline=(90, 80, 70), width=3)  # wall
    draw.rectangle((90, 140, width - 90, 230), fill=(178, 34, 34))  # sign board
    cjk = CJK_FONT.exists()
    label = sign if cjk else "LUKOU CONVENIENCE STORE"
    font = _font(56 if cjk else 36)
    box = draw.textbbox((0, 0), label, font=font)
    draw.text(((width - (box[2] - box[0])) / 2, 185 - (box[3] - box[1]) / 2 - box[1]), label, font=font,
              fill=(255, 236, 160))
    door = (width // 2 - 70, 300, width // 2 + 70, ground)
    draw.rectangle(door, fill=(70, 90, 110), outline=(40, 40, 40), width=4)
    draw.line((width // 2, 300, width // 2, ground), fill=(40, 40, 40), width=3)
    for left in (110, width - 330):
        draw.rectangle((left, 280, left + 220, 430), fill=(150, 190, 215), outline=(60, 60, 60), width=4)
        for shelf in range(3):
            y = 310 + shelf * 40
            draw.rectangle((left + 15, y, left + 205, y + 18), fill=(200 - shelf * 30, 120 + shelf * 40, 60))
    draw.rectangle((width // 2 + 90, 320, width // 2 + 160, 400), fill=(255, 255, 255), outline=(0, 0, 0))
    small = _font(14)
    draw.text((width // 2 + 96, 330), "营业执照" if cjk else "LICENCE", font=small, fill=(0, 0, 0))
    taken_at = taken_at or timezone.localtime()
    stamp = timezone.localtime(taken_at).strftime("%Y-%m-%d %H:%M:%S")
    draw.text((width - 260, height - 40), stamp, font=_font(22), fill=(255, 140, 0))
    buffer = io.BytesIO()
    exif = image.getexif()
    exif[306] = timezone.localtime(taken_at).strftime("%Y:%m:%d %H:%M:%S")
    exif[0x010F] = "zhifa demo"
    image.save(buffer, "JPEG", quality=88, exif=exif)
    return buffer.getvalue()


def patrol_video_mp4(seconds: float = 2.0, width: int = 320, height: int = 240, fps: int = 15) -> bytes:
    """A short body-camera-like clip: a moving street scene with a time stamp (H.264, or MPEG-4 Part 2)."""
    import av
    from PIL import Image, ImageDraw

    with tempfile.TemporaryDirectory(prefix="zhifa-demo-") as directory:
        path = Path(directory) / "clip.mp4"
        with av.open(str(path), "w") as container:
            stream = _video_stream(container, fps)
            stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
            font = _font(16)
            frames = int(seconds * fps)
            for number in range(frames):
                image = Image.new("RGB", (width, height), (150, 180, 205))
                draw = ImageDraw.Draw(image)
                shift = int(number * 6) % width
                draw.rectangle((0, int(height * 0.7), width, height), fill=(110, 110, 105))
                for house in range(-1, 4):
                    x = house * 110 - shift % 110
                    draw.rectangle((x + 10, 70, x + 100, int(height * 0.7)), fill=(210 - house * 15, 190, 170))
                    draw.rectangle((x + 20, 80, x + 90, 100), fill=(180, 30, 30))
                sway = int(8 * math.sin(number / 3))
                draw.ellipse((width // 2 - 12 + sway, 120, width // 2 + 12 + sway, 144), fill=(60, 50, 40))
                draw.rectangle((width // 2 - 14 + sway, 144, width // 2 + 14 + sway, 200), fill=(30, 60, 120))
                draw.text((6, 6), f"DSJ-0001 {number / fps:05.2f}s", font=font, fill=(255, 255, 255))
                frame = av.VideoFrame.from_image(image)
                for packet in stream.encode(frame):
                    container.mux(packet)
            for packet in stream.encode():
                container.mux(packet)
        return path.read_bytes()


def _video_stream(container, fps: int):
    for codec in ("libx264", "h264", "mpeg4"):
        try:
            stream = container.add_stream(codec, rate=Fraction(fps, 1))
        except Exception:  # noqa: BLE001 — this FFmpeg build lacks the encoder
            continue
        if codec != "mpeg4":
            stream.options = {"preset": "veryfast", "crf": "28"}
        return stream
    raise RuntimeError("PyAV's FFmpeg has no H.264 or MPEG-4 encoder")


def _collecting_officer(actor: User, case: Case) -> User:
    """Who collected it: the actor if they hold a valid credential (APL Art. 42), else an officer of the case or
    of its agency who does."""
    today = timezone.localdate()
    candidates = [actor, *case.officers.order_by("pk"),
                  *User.objects.filter(agency_id=case.agency_id, is_active=True).order_by("pk")]
    for person in candidates:
        if person.agency_id == case.agency_id and person.valid_credential(today) is not None:
            return person
    return actor  # add_evidence will say why not


def make_demo_evidence(actor: User, case: Case) -> list[EvidenceFile]:
    """Add a photo (现场检查) and a short video (调查取证) to `case` as `actor`, through the action layer; the
    collecting officer is the actor, or (if the actor holds no valid credential) an officer of the case."""
    officer = _collecting_officer(actor, case)
    taken = timezone.now() - dt.timedelta(hours=2)
    photo = SimpleUploadedFile("现场照片-门店.jpg", shop_front_jpeg(taken_at=taken), content_type="image/jpeg")
    video = SimpleUploadedFile("执法记录仪-现场检查.mp4", patrol_video_mp4(), content_type="video/mp4")
    return [
        actions.add_evidence(actor, photo, kind=EvidenceKind.ON_SITE_RECORD, title="现场检查照片：经营场所门头",
                             case=case, officer=officer, stage=ProcedureStage.INVESTIGATION, activity="现场检查"),
        actions.add_evidence(actor, video, kind=EvidenceKind.AUDIOVISUAL, title="执法记录仪视频：现场检查",
                             case=case, officer=officer, stage=ProcedureStage.INVESTIGATION, activity="现场检查",
                             captured_at=taken + dt.timedelta(minutes=3)),
    ]
