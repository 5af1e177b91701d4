from django.urls import path

from zhifa.disclosure import feeds, views

urlpatterns = [
    path("", views.public_list, name="decisions-public"),
    path("<int:pk>/", views.public_detail, name="decision-public"),
    path("download.<str:fmt>", feeds.download, name="decisions-download"),
]
