"""issue_for_action / issue_document / case_documents: which documents each step produces, one record event per
document with its hash, and the hook inside the procedure's actions."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import transaction
from django.utils import timezone

from tests.documents.conftest import DRAFT, make_draft, make_user
from zhifa.cases.models import Activity
from zhifa.core.errors import RuleViolation
from zhifa.documents import actions
from zhifa.documents.kinds import DocumentKind as K
from zhifa.documents.models import Document
from zhifa.record.models import Event


def _activity(case, code: str) -> Activity:
    start = timezone.now() - dt.timedelta(hours=1)
    return Activity.objects.create(case=case, code=code, name=code, started_at=start,
                                   ended_at=start + dt.timedelta(minutes=30))


def test_documents_for_each_action(case, officer):
    assert actions.kinds_for_action(case, "submit_review") == []  # the legal unit's 法制审核意见书
    assert actions.kinds_for_action(case, "record_payment") == []
    assert actions.kinds_for_action(case, "open") == [K.FILING]
    assert actions.kinds_for_action(case, "decide") == [K.DECISION]
    assert actions.kinds_for_action(case, "decide_on_spot") == [K.ONSPOT_DECISION]
    assert actions.kinds_for_action(case, "serve") == [K.SERVICE]
    assert actions.kinds_for_action(case, "seize") == [K.SEIZURE]
    assert actions.kinds_for_action(case, "preserve_evidence") == [K.PRESERVATION]
    assert actions.kinds_for_action(case, "end_investigation") == [K.INVESTIGATION]
    assert actions.kinds_for_action(case, "hold_hearing") == [K.HEARING_RECORD]
    assert actions.kinds_for_action(case, "close") == [K.CLOSING]
    _activity(case, "onsite_inspection")
    assert actions.kinds_for_action(case, "record_activity") == [K.ONSITE_RECORD]
    _activity(case, "inquiry")
    assert actions.kinds_for_action(case, "record_activity") == [K.INQUIRY_RECORD]
    _activity(case, "lodged_service")  # its document is the 送达回证
    assert actions.kinds_for_action(case, "record_activity") == []
    make_draft(case, officer, fine="500")
    assert actions.kinds_for_action(case, "notify") == [K.PRIOR_NOTICE]
    make_draft(case, officer, fine="20000")
    assert actions.kinds_for_action(case, "notify") == [K.PRIOR_NOTICE, K.HEARING_RIGHTS]


def test_each_document_appends_exactly_one_event_with_its_hash(decided_case, officer):
    before = set(Event.objects.values_list("pk", flat=True))
    document = actions.issue_document(decided_case, K.DECISION, officer)
    [event] = Event.objects.exclude(pk__in=before)
    assert event.event_type == "document.issued" and event.case_id == decided_case.pk
    assert (event.object_type, event.object_id) == ("documents.document", str(document.pk))
    assert event.payload["kind"] == "decision" and event.payload["title"] == "行政处罚决定书"
    assert event.payload["number"] == document.number and event.payload["draft_version"] == 1
    data = actions.document_bytes(document)
    assert event.payload["sha256"] == document.sha256 == hashlib.sha256(data).hexdigest()
    assert event.payload["certificate"] == document.signer_fingerprint
    assert document.issued_by == officer and document.draft == decided_case.decided_draft


def test_numbers_come_back_when_issuing_fails(decided_case, officer):
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.issue_document(decided_case, K.DECISION, officer)
        raise RuntimeError("the action failed after issuing")
    assert not Document.objects.filter(case=decided_case).exists()
    again = actions.issue_document(decided_case, K.DECISION, officer)
    assert again.serial == 1  # gap-free: the rolled-back number is issued again


def test_filing_form_bears_the_case_number_once(case, officer):
    [form] = actions.issue_for_action(case, officer, "open")
    assert form.kind == K.FILING and form.number == case.number and form.serial is None
    with pytest.raises(RuleViolation) as refused:
        actions.issue_document(case, K.FILING, officer)
    assert refused.value.code == "filing_form_exists"


def test_case_documents_in_issue_order_and_other_agency_refused(case, officer, other_agency):
    first = actions.issue_document(case, K.CASE_SOURCE, officer)
    second = actions.issue_document(case, K.FILE_INDEX, officer)
    assert list(actions.case_documents(case)) == [first, second]
    assert second.number.startswith("渌市监目〔")
    with pytest.raises(RuleViolation) as refused:
        actions.issue_document(case, K.CASE_SOURCE, make_user(other_agency))
    assert refused.value.code == "not_your_agency"


def test_documents_can_be_switched_off_for_actions(case, officer, settings):
    settings.ZHIFA_DOCUMENTS_ON_ACTIONS = False
    assert actions.issue_for_action(case, officer, "open") == []


def test_end_investigation_issues_the_report_in_the_same_transaction(case, officer):
    """Through the procedure: the action's own event and the report's, nothing else."""
    from zhifa.cases.procedure_actions import perform

    before = set(Event.objects.values_list("pk", flat=True))
    perform(case, officer, "end_investigation", kinds=["fine"], fine="3000", **DRAFT)
    events = list(Event.objects.exclude(pk__in=before).order_by("seq"))
    assert sorted(e.event_type for e in events) == ["case.end_investigation", "document.issued"]
    [report] = actions.case_documents(case)
    assert report.kind == K.INVESTIGATION and report.draft_version == 1 and report.action == "end_investigation"


def test_review_opinion_files_the_written_opinion_seed_review_documents(case, officer, settings):
    """Seed §二(三)4: the reviewer's written opinion (法制审核意见书) is filed in the case."""
    from zhifa.law.review_rules import REVIEW_POINTS
    from zhifa.people.models import LegalQualification, Role
    from zhifa.review.actions import give_opinion
    from zhifa.review.models import Review

    draft = make_draft(case, officer)
    reviewer = make_user(case.agency, role=Role.REVIEWER)
    LegalQualification.objects.create(holder=reviewer, number="A-REV-1", obtained_on=dt.date(2019, 1, 1))
    review = Review.objects.create(case=case, draft=draft, digest=draft.digest, rule="测试", submitted_by=officer,
                                   submitted_at=timezone.now())
    give_opinion(review, reviewer, opinion="agree", reasons="同意",
                 findings={key: {"result": "符合", "comment": ""} for key, _ in REVIEW_POINTS})
    document = Document.objects.get(case=case, kind=K.LEGAL_REVIEW)
    assert document.number.startswith(case.agency.short_name) and document.issued_by == reviewer
