"""The demo helper adds a real photo and a real 2-second video through the action layer."""

from __future__ import annotations

import pytest
from PIL import Image

from zhifa.evidence import integrity
from zhifa.evidence.demo import make_demo_evidence, shop_front_jpeg
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db


def test_demo_evidence(officer, case, evidence_root) -> None:
    photo, video = make_demo_evidence(officer, case)
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 960, 640)
    assert photo.captured_at is not None and photo.thumbnail_key
    assert video.content_type == "video/mp4" and video.duration_seconds == pytest.approx(2.0, abs=0.2)
    assert (video.width, video.height) == (320, 240) and video.thumbnail_key
    with Image.open(evidence_root / video.thumbnail_key) as thumbnail:
        assert thumbnail.format == "JPEG"
    assert Event.objects.filter(event_type="evidence.added", case_id=case.pk).count() == 2
    assert integrity.check_files() == []


def test_shop_front_draws_a_sign() -> None:
    import io

    with Image.open(io.BytesIO(shop_front_jpeg())) as image:
        assert image.size == (960, 640)
        red = image.getpixel((120, 150))
        assert red[0] > 150 and red[1] < 80  # the sign board


def test_demo_evidence_by_a_clerk_names_a_credentialed_officer(officer, case) -> None:
    from tests.evidence.conftest import make_user

    clerk = make_user(case.agency, credential=False)
    case.officers.add(officer)
    photo, video = make_demo_evidence(clerk, case)
    assert (photo.officer, photo.uploaded_by, video.officer) == (officer, clerk, officer)
