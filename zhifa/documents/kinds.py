"""The standard set of enforcement documents (文书, DOMAIN.md "Standard documents"): codes, Chinese titles, the
default abbreviation (代字) each kind's number uses, and which kinds render a version of the proposed decision."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    CASE_SOURCE = "case_source", _("案件来源登记表")
    FILING = "filing", _("立案审批表")
    ONSITE_RECORD = "onsite_record", _("现场检查（勘验）笔录")
    INQUIRY_RECORD = "inquiry_record", _("询问笔录")
    PRESERVATION = "preservation", _("先行登记保存通知书")
    SEIZURE = "seizure", _("查封扣押决定书及清单")
    RECTIFICATION = "rectification", _("责令改正通知书")
    INVESTIGATION = "investigation", _("调查终结报告")
    LEGAL_REVIEW = "legal_review", _("法制审核意见书")
    DISCUSSION = "discussion", _("集体讨论记录")
    PRIOR_NOTICE = "prior_notice", _("行政处罚事先告知书")
    HEARING_RIGHTS = "hearing_rights", _("听证告知书")
    HEARING_NOTICE = "hearing_notice", _("听证通知书")
    HEARING_RECORD = "hearing_record", _("听证笔录")
    STATEMENT = "statement", _("陈述申辩笔录")
    DECISION = "decision", _("行政处罚决定书")
    ONSPOT_DECISION = "onspot_decision", _("当场行政处罚决定书")
    SERVICE = "service", _("送达回证")
    DEFERRAL = "deferral", _("延期（分期）缴纳审批表")
    CLOSING = "closing", _("结案审批表")
    FILE_INDEX = "file_index", _("卷内目录")


K = DocumentKind

# 代字 in the number pattern {short}{abbr}〔{year}〕{n}号: 渌市监罚〔2026〕12号. An agency may override them.
DEFAULT_ABBR: dict[str, str] = {
    K.CASE_SOURCE: "源", K.FILING: "立", K.ONSITE_RECORD: "检", K.INQUIRY_RECORD: "询", K.PRESERVATION: "先保",
    K.SEIZURE: "强制", K.RECTIFICATION: "责改", K.INVESTIGATION: "终", K.LEGAL_REVIEW: "审", K.DISCUSSION: "议",
    K.PRIOR_NOTICE: "告", K.HEARING_RIGHTS: "听告", K.HEARING_NOTICE: "听通", K.HEARING_RECORD: "听录",
    K.STATEMENT: "陈", K.DECISION: "罚", K.ONSPOT_DECISION: "当罚", K.SERVICE: "送", K.DEFERRAL: "缓",
    K.CLOSING: "结", K.FILE_INDEX: "目",
}
DEFAULT_PATTERN = "{short}{abbr}〔{year}〕{n}号"
# The 立案审批表 bears the case number (渌市监立〔2026〕N号, allocated gap-free when the case is opened).
DEFAULT_PATTERNS: dict[str, str] = {K.FILING: "{case}"}

# Which draft (处理意见) version a kind renders: the notified one, the decided one, or the current one.
NOTIFIED_DRAFT = frozenset({K.PRIOR_NOTICE, K.HEARING_RIGHTS, K.HEARING_NOTICE, K.STATEMENT, K.HEARING_RECORD})
DECIDED_DRAFT = frozenset({K.DECISION, K.ONSPOT_DECISION, K.SERVICE, K.CLOSING, K.DEFERRAL})
CURRENT_DRAFT = frozenset({K.INVESTIGATION, K.LEGAL_REVIEW, K.DISCUSSION, K.RECTIFICATION})
# Kinds that cannot be made without a draft (湖南省行政程序规定 Art. 78: they state the reasons).
NEEDS_DRAFT = frozenset({K.INVESTIGATION, K.PRIOR_NOTICE, K.HEARING_RIGHTS, K.DECISION, K.ONSPOT_DECISION})

# Records (笔录) and receipts that the party signs or refuses to sign, with a witness (民事诉讼法 Art. 89).
PARTY_SIGNS = frozenset({K.ONSITE_RECORD, K.INQUIRY_RECORD, K.HEARING_RECORD, K.STATEMENT, K.SERVICE,
                         K.PRESERVATION, K.SEIZURE, K.ONSPOT_DECISION})


def template_for(kind: str) -> str:
    return f"documents/pdf/{kind}.html"
