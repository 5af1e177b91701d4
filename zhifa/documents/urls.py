from django.urls import path

from zhifa.documents import views

app_name = "documents"

urlpatterns = [
    path("case/<int:case_id>/", views.case_list, name="case"),
    path("<int:pk>/download", views.download, name="download"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("seal-ca.pem", views.ca_certificate, name="ca"),
]
