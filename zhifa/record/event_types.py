"""Names of the record's event types for people (the type itself is a stable code in the log)."""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "people.login": _("登录"),
    "people.account_locked": _("账户锁定"),
    "people.credential_issued": _("核发执法证"),
    "people.credential_status_changed": _("变更执法证状态"),
    "case.opened": _("立案"),
    "evidence.added": _("提取证据"),
    "evidence.device_registered": _("登记音像记录设备"),
    "record.viewed": _("调阅"),
    "record.downloaded": _("下载"),
    "record.exported": _("导出归档"),
}


EVENT_LABELS.update({
    "review.submitted": _("提交法制审核"),
    "review.opinion_given": _("出具法制审核意见"),
})


def _app_labels() -> None:
    """Each app names its own event types."""
    from zhifa.catalog.event_types import EVENT_LABELS as CATALOG_LABELS

    EVENT_LABELS.update(CATALOG_LABELS)


_app_labels()


def event_label(event_type: str) -> str:
    """The label of an event type; the procedure's actions are named by the law's table."""
    if event_type in EVENT_LABELS:
        return str(EVENT_LABELS[event_type])
    from zhifa.law.procedure import TRANSITIONS_BY_ACTION

    prefix, _dot, action = event_type.partition(".")
    if prefix == "case" and action in TRANSITIONS_BY_ACTION:
        return TRANSITIONS_BY_ACTION[action].label
    return event_type
