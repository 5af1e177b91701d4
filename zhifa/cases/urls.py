from django.urls import path

from zhifa.cases import filing, onsite, payments, supervision, views

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("new/", filing.file_case, name="case-file"),
    path("onsite/", onsite.onsite_start, name="onsite-start"),
    path("onsite/<int:pk>/<str:step>/", onsite.onsite_step, name="onsite-step"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/export/", views.case_export, name="case-export"),
    path("<int:pk>/do/<str:name>/", views.case_action, name="case-action"),
    path("targets/", views.target_records, name="target-records"),
    path("av-coverage/", supervision.av_coverage_page, name="av-coverage"),
    path("payments/import/", payments.import_page, name="payments-import"),
]
