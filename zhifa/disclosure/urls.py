from django.urls import path

from zhifa.disclosure import views

urlpatterns = [
    path("", views.queue, name="disclosure-queue"),
    path("<int:pk>/", views.draft, name="disclosure-draft"),
    path("<int:pk>/<str:what>/", views.decide, name="disclosure-decide"),
]
