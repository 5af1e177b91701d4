from django.urls import path

from zhifa.reports import converters, views  # noqa: F401  (converters registers report_format)

urlpatterns = [
    path("", views.report_list, name="reports-list"),
    path("remedies/", views.remedies, name="remedy-list"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/report.<report_format:fmt>", views.report_download, name="report-download"),
    path("<int:pk>/<str:what>/", views.report_act, name="report-act"),
]
