"""Navigation by role: each entry is (label, url name, roles that see it; empty = everyone logged in).

The admin site also needs `is_staff`: no one is shown a link that only leads back to the login page."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    (_("我的待办"), "home", ()),
    (_("案件"), "case-list", ()),
    (_("法制审核"), "review-queue", ("reviewer", "agency_head", "supervisor")),
    (_("决定公开"), "disclosure-queue", ("unit_head", "agency_head", "reviewer", "supervisor")),
    (_("证据"), "evidence:index", ()),
    (_("音像记录覆盖"), "av-coverage", ("supervisor", "agency_head", "admin")),
    (_("年度报告"), "reports-list", ("unit_head", "agency_head", "reviewer", "supervisor")),
    (_("执法对象"), "target-records", ()),
    (_("事项清单"), "catalog-list", ()),
    (_("公示管理"), "publicity-staff", ()),
    (_("执法主体"), "agencies", ()),
    (_("执法人员"), "officers", ()),
    (_("全过程记录"), "record-events", ()),
    (_("系统管理"), "admin:index", ("admin",)),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    role = "admin" if user.is_superuser else user.role
    entries = [
        {"label": label, "url": reverse(name), "active": request.path == reverse(name)}
        for label, name, roles in NAVIGATION
        if (not roles or role in roles) and (user.is_staff or not name.startswith("admin:"))
    ]
    return {"navigation": entries}
