from django.urls import include, path

from zhifa.evidence import views

app_name = "evidence"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("case/<int:case_id>/", views.case_list, name="case"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/content", views.content, name="content"),
    path("<int:pk>/download", views.download, name="download"),
    path("<int:pk>/thumbnail", views.thumbnail, name="thumbnail"),
    path("devices/", views.devices, name="devices"),
    path("api/", include(("zhifa.evidence.api_urls", "evidence-api"), namespace="api")),
]
