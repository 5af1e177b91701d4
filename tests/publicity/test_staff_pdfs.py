"""Staff-only printables: the credential badge and the window duty board (PDF), scoped to the user's agency."""

from __future__ import annotations

import pytest

from tests.publicity.conftest import pdf_text
from zhifa.core.errors import RuleViolation
from zhifa.publicity import actions, signing
from zhifa.publicity.models import DutyPost
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db

CARD = "/public/staff/credentials/43021226000001/card.pdf"


@pytest.fixture
def post(world):
    return actions.save_duty_post(world["admin"], DutyPost(
        agency=world["A"], unit=world["window_a"], name="综合受理窗口", location="政务服务中心一楼1号窗口",
        duties="受理行政许可申请\n一次性告知补正材料", hours="工作日 8:30—17:30", phone="0731-22221111",
        complaint_phone="0731-22229999",
    ), [world["officer_a"], world["head_a"]])


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and len(response.content) > 5000
    return "".join(pdf_text(response.content).split())


@pytest.mark.parametrize("url", [CARD, "/public/staff/credentials/43021226000001/qr/", "/public/staff/",
                                 "/public/staff/complaints/"])
def test_staff_pages_require_login(client, world, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_card_pdf_has_photo_name_unit_number_fields_validity_and_signed_qr(client, world):
    client.force_login(world["officer_a"])
    response = client.get(CARD)
    assert response["Content-Disposition"] == 'inline; filename="credential-43021226000001.pdf"'
    text = _text(response)
    if text:  # a PDF text extractor is installed
        for expected in ("行政执法证", "王建国", "渌市监执法大队", "43021226000001", "市场监管、食品安全",
                         "2024.01.01—2099.12.31", "株洲市渌口区市场监督管理局"):
            assert expected in text, expected
        assert "/public/officers/43021226000001/?v=2099-12-31&s=" in text
    assert b"/Subtype /Image" in response.content or b"/Subtype/Image" in response.content  # photo and QR


def test_card_qr_url_verifies_on_the_public_page(client, world):
    client.force_login(world["officer_a"])
    html = client.get("/public/staff/credentials/43021226000001/qr/").content.decode()
    url = html.split('id="qr-url" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert url.startswith("http://testserver/public/officers/43021226000001/?v=2099-12-31&s=")
    client.logout()
    page = client.get(url.removeprefix("http://testserver")).content.decode()
    assert "二维码验证通过" in page


def test_card_of_a_suspended_credential_says_so(client, world):
    client.force_login(world["head_a"])
    text = _text(client.get("/public/staff/credentials/43021226000003/card.pdf"))
    if text:
        assert "暂扣" in text and "不得从事执法活动" in text


@pytest.mark.parametrize(("who", "number", "allowed"), [
    ("officer_a", "43021226000001", True),  # own
    ("head_a", "43021226000002", True),  # same agency
    ("officer_b", "43021226000001", False),  # another agency
    ("head_b", "43021226000003", False),
    ("supervisor", "43021226000001", True),  # the judicial bureau supervises every agency
    ("admin", "43021226000005", True),
])
def test_card_is_scoped_to_the_agency_or_supervisor(client, world, who, number, allowed):
    client.force_login(world[who])
    card = client.get(f"/public/staff/credentials/{number}/card.pdf")
    qr = client.get(f"/public/staff/credentials/{number}/qr/")
    assert card.status_code == qr.status_code == (200 if allowed else 404)


def test_staff_index_lists_only_visible_credentials_and_boards(client, world, post):
    client.force_login(world["officer_b"])
    html = client.get("/public/staff/").content.decode()
    assert "43021226000005" in html and "43021226000001" not in html and "综合受理窗口" not in html
    client.force_login(world["head_a"])
    html = client.get("/public/staff/").content.decode()
    assert "43021226000001" in html and "43021226000005" not in html
    assert f'href="/public/staff/windows/{post.pk}/board.pdf"' in html


def test_duty_board_pdf_has_staff_duties_and_where_to_ask_or_complain(client, world, post):
    client.force_login(world["head_a"])
    response = client.get(f"/public/staff/windows/{post.pk}/board.pdf")
    text = _text(response)
    if text:
        for expected in ("岗位职责公示牌", "综合受理窗口", "政务服务中心一楼1号窗口", "王建国", "李立新",
                         "43021226000001", "受理行政许可申请", "一次性告知补正材料", "进度查询", "投诉举报",
                         "0731-22221111", "0731-22229999", "12345", "http://testserver/public/progress/",
                         "http://testserver/public/complaints/", "扫码查询办理进度"):
            assert expected in text, expected


def test_duty_board_is_scoped(client, world, post):
    client.force_login(world["officer_b"])
    assert client.get(f"/public/staff/windows/{post.pk}/board.pdf").status_code == 404
    client.force_login(world["supervisor"])
    assert client.get(f"/public/staff/windows/{post.pk}/board.pdf").status_code == 200


def test_board_qr_points_at_the_progress_page(world, post):
    from zhifa.publicity.staff_views import board_context

    context = board_context(post, "https://zhifa.lukou.example")
    assert context["progress_url"] == "https://zhifa.lukou.example/public/progress/"
    assert context["qr"] == signing.qr_data_uri("https://zhifa.lukou.example/public/progress/")


def test_saving_a_duty_post_appends_exactly_one_event(world):
    before = Event.objects.count()
    post = actions.save_duty_post(world["head_a"], DutyPost(agency=world["A"], name="2号窗口", duties="咨询"),
                                  [world["officer_a"]])
    events = list(Event.objects.filter(seq__gte=before))
    assert len(events) == 1 and events[0].event_type == "publicity.duty_post_saved"
    assert events[0].payload["staff"] == ["王建国"] and events[0].payload["created"] is True
    assert events[0].object_id == str(post.pk) and events[0].agency_id == world["A"].pk


def test_duty_post_staff_must_work_for_the_agency(world):
    with pytest.raises(RuleViolation) as error:
        actions.save_duty_post(world["head_a"], DutyPost(agency=world["A"], name="3号窗口", duties="咨询"),
                               [world["officer_b"]])
    assert error.value.code == "staff_of_other_agency" and not DutyPost.objects.filter(name="3号窗口").exists()


def test_duty_post_saved_in_the_admin_is_recorded(client, world):
    client.force_login(world["admin"])
    before = Event.objects.count()
    response = client.post("/admin/publicity/dutypost/add/", {
        "agency": world["A"].pk, "name": "4号窗口", "duties": "受理", "staff": [world["officer_a"].pk],
        "order": 0, "active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    post = DutyPost.objects.get(name="4号窗口")
    assert list(post.staff.all()) == [world["officer_a"]]
    assert list(Event.objects.filter(seq__gte=before).values_list("event_type", flat=True)) == [
        "publicity.duty_post_saved"]
    refused = client.post("/admin/publicity/dutypost/add/", {
        "agency": world["A"].pk, "name": "5号窗口", "duties": "受理", "staff": [world["officer_b"].pk], "order": 0,
    })
    assert refused.status_code == 200 and "工作人员不属于本执法主体" in refused.content.decode()
