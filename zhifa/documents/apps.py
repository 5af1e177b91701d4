from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "zhifa.documents"
    label = "documents"
    verbose_name = _("执法文书")

    def ready(self) -> None:
        from zhifa.record.event_types import EVENT_LABELS

        EVENT_LABELS.update({
            "document.issued": _("制作文书"),
            "document.signed": _("文书签名"),
            "document.signature_refused": _("拒绝签名"),
        })
