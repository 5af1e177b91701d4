from django.urls import path

from zhifa.review import views

urlpatterns = [
    path("", views.queue, name="review-queue"),
    path("<int:pk>/", views.review_detail, name="review-detail"),
    path("<int:pk>/escalate/", views.review_escalate, name="review-escalate"),
    path("<int:pk>/extend/", views.review_extend, name="review-extend"),
    path("escalations/<int:pk>/resolve/", views.escalation_resolve, name="escalation-resolve"),
    path("catalog/", views.catalog, name="review-catalog"),
    path("staffing/", views.staffing, name="review-staffing"),
]
