"""The project's URLs for the evidence tests; while another app's URLs are half-written (it happens in a shared
tree), the pages these tests need, so that the evidence tests do not depend on unrelated work in progress."""

from django.contrib import admin
from django.urls import include, path

try:
    from zhifa.urls import urlpatterns as project_urlpatterns
except ImportError:
    project_urlpatterns = [
        path("admin/", admin.site.urls),
        path("i18n/", include("django.conf.urls.i18n")),
        path("transparency/", include("zhifa.record.transparency_urls")),
        path("evidence/", include("zhifa.evidence.urls")),
        path("", include("zhifa.web.urls")),
    ]

urlpatterns = list(project_urlpatterns)
