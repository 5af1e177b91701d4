"""The REST contract: actions listed with allowed/code/basis; a blocked action answers 409 {code, basis, detail}."""

from __future__ import annotations

import pytest
from django.test import Client

from zhifa.law.procedure import TRANSITIONS

from .conftest import DRAFT
from .test_procedure import inquiry

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_actions_list_every_action_with_allowed_and_blocking_rule(case, team) -> None:
    response = client_for(team.officer).get(f"/api/v1/cases/{case.pk}/actions/")
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()}
    assert set(rows) == {t.action for t in TRANSITIONS}
    assert rows["suspend"]["allowed"] is True
    decide = rows["decide"]
    assert decide["allowed"] is False and decide["code"] == "wrong_stage" and decide["basis"]


def test_blocked_action_answers_409_with_code_and_basis(case, team) -> None:
    inquiry(case, team.officer)
    client = client_for(team.officer)
    url = f"/api/v1/cases/{case.pk}/actions/end_investigation/"
    response = client.post(url, DRAFT, content_type="application/json")
    assert response.status_code == 200, response.content
    response = client.post(f"/api/v1/cases/{case.pk}/actions/notify/", {}, content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "legal_review_required" and "第五十八条" in body["basis"] and body["detail"]


def test_decide_blocked_names_the_rule_in_the_list(case, team) -> None:
    inquiry(case, team.officer)
    client = client_for(team.officer)
    client.post(f"/api/v1/cases/{case.pk}/actions/end_investigation/", DRAFT, content_type="application/json")
    rows = {row["name"]: row for row in client.get(f"/api/v1/cases/{case.pk}/actions/").json()}
    assert rows["notify"]["code"] == "legal_review_required"


def test_bad_field_answers_400_structured(case, team) -> None:
    response = client_for(team.officer).post(f"/api/v1/cases/{case.pk}/actions/record_activity/",
                                             {"code": "inquiry", "started_at": "yesterday"},
                                             content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"]


def test_other_agency_gets_404(case, team) -> None:
    assert client_for(team.outsider).get(f"/api/v1/cases/{case.pk}/actions/").status_code == 404


def test_anonymous_refused(case) -> None:
    assert Client().get(f"/api/v1/cases/{case.pk}/actions/").status_code in {401, 403}


def test_case_page_lists_actions_and_blocking_reason(case, team) -> None:
    inquiry(case, team.officer)
    client = client_for(team.officer)
    client.post(f"/api/v1/cases/{case.pk}/actions/end_investigation/", DRAFT, content_type="application/json")
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "可办理的操作" in html and "提交法制审核" in html
    assert "legal_review_required" in html  # 事先告知 blocked, with its rule


def test_case_page_action_form_performs_and_reports_rule(case, team) -> None:
    client = client_for(team.officer)
    response = client.post(f"/cases/{case.pk}/do/suspend/", {"suspend-reason": ""}, follow=True)
    assert "请检查填写的内容" in response.content.decode()
    response = client.post(f"/cases/{case.pk}/do/suspend/", {"suspend-reason": "当事人下落不明"}, follow=True)
    assert "agency_head_required" in response.content.decode()


def test_filing_form_opens_case_and_refuses_bad_credit_code_gb32100(team) -> None:
    from zhifa.cases.models import Case

    client = client_for(team.officer)
    assert "立案" in client.get("/cases/new/").content.decode()
    form = {"title": "涉嫌无照经营案", "source": "inspection", "procedure": "general",
            "officers": [team.officer.pk, team.partner.pk], "party_kind": "organisation",
            "party_name": "株洲某某商行", "credit_code": "91430212MA4L000010", "address": "渌口区建设路2号"}
    response = client.post("/cases/new/", form)
    assert response.status_code == 200 and "校验位" in response.content.decode()
    assert not Case.objects.filter(title="涉嫌无照经营案").exists()
    from .conftest import organisation

    response = client.post("/cases/new/", {**form, "credit_code": organisation().credit_code})
    case = Case.objects.get(title="涉嫌无照经营案")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.officers.count() == 2


def test_actions_that_bring_their_draft_are_offered_before_one_exists(case, team) -> None:
    rows = {row["name"]: row for row in client_for(team.officer).get(f"/api/v1/cases/{case.pk}/actions/").json()}
    assert rows["end_investigation"]["allowed"] is True


def test_supervisor_sees_av_coverage_per_agency_seed_av(case, team, make_user) -> None:
    import datetime as dt

    from django.utils import timezone

    from zhifa.cases.procedure_actions import perform

    now = timezone.now()
    perform(case, team.officer, "record_activity", code="onsite_inspection", started_at=now - dt.timedelta(hours=1),
            ended_at=now, av_exemption_reason="记录仪故障", av_exemption_approver=team.head)
    supervisor = make_user(None, role="supervisor")
    html = client_for(supervisor).get("/cases/av-coverage/").content.decode()
    assert team.officer.agency.name in html and "0.0%" in html


def test_case_list_filters_by_stage_and_flags_deadlines(case, team) -> None:
    client = client_for(team.officer)
    html = client.get("/cases/", {"stage": "filed"}).content.decode()
    assert case.number in html and "正常" in html
    assert case.number not in client.get("/cases/", {"stage": "archived"}).content.decode()
