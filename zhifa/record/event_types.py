"""Names of the record's event types for people (the type itself is a stable code in the log)."""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "people.login": _("登录"),
    "people.account_locked": _("账户锁定"),
    "people.credential_issued": _("核发执法证"),
    "people.credential_status_changed": _("变更执法证状态"),
    "case.opened": _("立案"),
    "case.activity_recorded": _("记录执法活动"),
    "evidence.added": _("提取证据"),
    "evidence.device_registered": _("登记音像记录设备"),
    "record.viewed": _("调阅"),
    "record.downloaded": _("下载"),
    "record.exported": _("导出归档"),
}


def event_label(event_type: str) -> str:
    return str(EVENT_LABELS.get(event_type, event_type))
