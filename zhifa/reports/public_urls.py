from django.urls import path

from zhifa.reports import converters, public_views  # noqa: F401  (converters registers report_format)

urlpatterns = [
    path("", public_views.public_list, name="reports-public"),
    path("<slug:code>/<int:year>/", public_views.public_detail, name="report-public"),
    path("<slug:code>/<int:year>/report.<report_format:fmt>", public_views.public_download, name="report-public-file"),
    path("<slug:code>/<int:year>/figures.json", public_views.public_json, name="report-public-json"),
]
