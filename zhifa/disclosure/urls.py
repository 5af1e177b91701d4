from django.urls import path

from zhifa.disclosure import views

urlpatterns = [
    path("", views.queue, name="disclosure-queue"),
    path("import/", views.import_decisions, name="disclosure-import"),
    path("import/template.xlsx", views.import_template, name="disclosure-import-template"),
    path("<int:pk>/", views.draft, name="disclosure-draft"),
    path("<int:pk>/<str:what>/", views.decide, name="disclosure-decide"),
]
