"""The evidence REST API. Mounted by zhifa.evidence.urls under /evidence/api/, and meant for /api/v1/evidence/:
    path("api/v1/evidence/", include("zhifa.evidence.api_urls")),
"""

from django.urls import path

from zhifa.evidence import api

app_name = "evidence-api"

urlpatterns = [
    path("", api.EvidenceListCreate.as_view(), name="list"),
    path("<int:pk>/", api.EvidenceDetail.as_view(), name="detail"),
    path("<int:pk>/content", api.EvidenceContent.as_view(), name="content"),
]
