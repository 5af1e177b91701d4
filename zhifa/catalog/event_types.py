"""Chinese names of the catalog's record event types, for zhifa.record.event_types.EVENT_LABELS to merge
(`EVENT_LABELS.update(catalog_event_labels)`)."""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "catalog.item_created": _("新增执法事项"),
    "catalog.draft_saved": _("保存事项草稿"),
    "catalog.version_published": _("发布事项新版本"),
    "catalog.item_repealed": _("废止执法事项"),
    "catalog.portal_published": _("事项在门户公示"),
    "catalog.agencies_changed": _("调整事项实施主体"),
    "catalog.imported": _("导入事项清单"),
    "catalog.av_items_installed": _("建立音像记录事项清单"),
    "catalog.av_item_set": _("修改音像记录事项"),
    "catalog.inspection_list_created": _("制定双随机抽查清单"),
    "catalog.inspection_result_recorded": _("登记抽查结果"),
    "catalog.inspection_results_published": _("公示抽查结果"),
}
