from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "zhifa.reports"
    label = "reports"
    verbose_name = _("行政执法年度报告")

    def ready(self) -> None:
        from zhifa.record.event_types import EVENT_LABELS

        EVENT_LABELS.update({
            "report.drafted": _("起草年度报告"),
            "report.approved": _("签发年度报告"),
            "report.published": _("公开年度报告"),
            "report.submitted": _("报送年度报告"),
            "remedy.outcome_recorded": _("登记复议诉讼结果"),
            "report.history_imported": _("导入历史执法数据"),
        })
