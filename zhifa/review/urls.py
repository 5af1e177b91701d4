from django.urls import path

from zhifa.review import views

urlpatterns = [
    path("", views.queue, name="review-queue"),
    path("<int:pk>/", views.review_detail, name="review-detail"),
]
