from django.contrib import admin
from django.urls import include, path

from zhifa.disclosure.feeds import DecisionFeed

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("public/catalog/", include("zhifa.catalog.public_urls")),
    path("public/decisions/", include("zhifa.disclosure.public_urls")),
    path("public/feed.atom", DecisionFeed(), name="decisions-feed"),
    path("public/agencies/<slug:code>/feed.atom", DecisionFeed(), name="agency-decisions-feed"),
    path("public/reports/", include("zhifa.reports.public_urls")),
    path("public/", include("zhifa.publicity.urls")),
    path("transparency/", include("zhifa.record.transparency_urls")),
    path("evidence/", include("zhifa.evidence.urls")),
    path("api/v1/", include("zhifa.api.urls")),
    path("cases/", include("zhifa.cases.urls")),
    path("review/", include("zhifa.review.urls")),
    path("disclosure/", include("zhifa.disclosure.urls")),
    path("catalog/", include("zhifa.catalog.urls")),
    path("documents/", include("zhifa.documents.urls")),
    path("reports/", include("zhifa.reports.urls")),
    path("", include("zhifa.web.urls")),
]
