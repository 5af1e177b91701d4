"""The portal's demo data: photos, duty boards, query codes a tester can try, complaints in every status."""

from __future__ import annotations

import json
import stat

import pytest

from zhifa.cases.models import Case
from zhifa.demo.load import load_demo
from zhifa.people.models import Credential
from zhifa.publicity.demo import COMPLAINTS_FILE, QUERY_CODES_FILE, load_demo_publicity
from zhifa.publicity.models import CaseQueryCode, Complaint, ComplaintStatus, DutyPost
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(tmp_path):
    load_demo(tmp_path)
    load_demo_publicity(tmp_path)
    return tmp_path


def test_every_credential_has_a_synthetic_photo(demo):
    assert not Credential.objects.filter(photo="").exists()
    credential = Credential.objects.select_related("holder").first()
    with credential.photo.open("rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


def test_duty_posts_for_the_approval_bureau_windows_and_others(demo):
    approval = DutyPost.objects.filter(agency__code="lk-xzsp")
    assert approval.count() >= 4 and DutyPost.objects.exclude(agency__code="lk-xzsp").count() >= 2
    for post in DutyPost.objects.prefetch_related("staff"):
        assert post.staff.exists() and all(u.agency_id == post.agency_id for u in post.staff.all())
        assert post.duty_lines() and post.hours and post.phone


def test_query_codes_file_lets_a_tester_follow_every_demo_case(client, demo):
    path = demo / QUERY_CODES_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = json.loads(path.read_text(encoding="utf-8"))
    assert {r["case"] for r in rows} == set(Case.objects.values_list("number", flat=True))
    assert CaseQueryCode.objects.count() == len(rows)
    for n, row in enumerate(rows):
        response = client.post("/public/progress/", {"case_number": row["case"], "code": row["code"]},
                               REMOTE_ADDR=f"10.2.0.{n}")
        assert "查询结果" in response.content.decode(), row


def test_complaints_in_every_status_and_their_secrets_work(client, demo):
    assert set(Complaint.objects.values_list("status", flat=True)) == set(ComplaintStatus.values)
    rows = json.loads((demo / COMPLAINTS_FILE).read_text(encoding="utf-8"))
    assert stat.S_IMODE((demo / COMPLAINTS_FILE).stat().st_mode) == 0o600
    for n, row in enumerate(rows):
        html = client.post("/public/complaints/status/", {"number": row["number"], "secret": row["secret"]},
                           REMOTE_ADDR=f"10.3.0.{n}").content.decode()
        assert 'id="complaint-result"' in html, row


def test_second_run_changes_nothing(demo):
    events = Event.objects.count()
    codes = (demo / QUERY_CODES_FILE).read_text(encoding="utf-8")
    load_demo_publicity(demo)
    assert Event.objects.count() == events
    assert (demo / QUERY_CODES_FILE).read_text(encoding="utf-8") == codes
    assert DutyPost.objects.count() == DutyPost.objects.values("agency", "name").distinct().count()


def test_lost_codes_file_gets_new_codes(demo):
    (demo / QUERY_CODES_FILE).unlink()
    load_demo_publicity(demo)
    rows = json.loads((demo / QUERY_CODES_FILE).read_text(encoding="utf-8"))
    assert len(rows) == Case.objects.count()


def test_demo_portal_pages_show_real_content(client, demo):
    assert "岗位职责" in client.get("/public/windows/").content.decode()
    html = client.get("/public/officers/").content.decode()
    assert html.count('class="status ') == 20 and "不得从事执法活动" in html
    for status in ("expired", "suspended", "revoked"):
        listing = client.get("/public/officers/", {"status": status}).content.decode().split('id="officers"')[1]
        assert "status-bad" in listing, status
    credential = Credential.objects.first()
    assert client.get(f"/public/officers/{credential.number}/photo/").status_code == 200


def test_demo_board_pdf_renders(client, demo):
    from zhifa.people.models import User

    post = DutyPost.objects.filter(agency__code="lk-xzsp").first()
    client.force_login(User.objects.get(username="admin"))
    response = client.get(f"/public/staff/windows/{post.pk}/board.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
