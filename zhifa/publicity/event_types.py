"""Names of this app's record event types, added to the record's table of labels at start-up."""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "publicity.query_code_issued": _("发放案件查询码"),
    "publicity.complaint_received": _("受理投诉举报"),
    "publicity.complaint_answered": _("答复投诉举报"),
    "publicity.complaint_case_linked": _("投诉举报转为案件"),
    "publicity.duty_post_saved": _("更新岗位职责公示牌"),
}


def register() -> None:
    from zhifa.record import event_types

    for key, label in EVENT_LABELS.items():
        event_types.EVENT_LABELS.setdefault(key, label)
