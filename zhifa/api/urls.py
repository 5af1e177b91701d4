from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from zhifa.api import case_views, disclosure_views

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("evidence/", include("zhifa.evidence.api_urls")),
    path("payments/import/", case_views.import_payments, name="api-payments-import"),
    path("decisions/import/", disclosure_views.import_decisions, name="api-decisions-import"),
    path("cases/", case_views.case_list, name="api-case-list"),
    path("cases/<int:pk>/", case_views.case_detail, name="api-case-detail"),
    path("cases/<int:pk>/actions/", case_views.case_actions, name="api-case-actions"),
    path("cases/<int:pk>/actions/<str:name>/", case_views.perform_action, name="api-case-perform"),
]
