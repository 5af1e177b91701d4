"""Staff catalog URLs under /catalog/ (login required)."""

from django.urls import path

from zhifa.catalog import views

urlpatterns = [
    path("", views.item_list, name="catalog-list"),
    path("import/", views.import_items, name="catalog-import"),
    path("export.xlsx", views.export_items, name="catalog-export"),
    path("alerts/", views.alert_list, name="catalog-alerts"),
    path("av/", views.av_list, name="catalog-av"),
    path("items/<str:code>/", views.item_detail, name="catalog-item"),
    path("items/<str:code>/versions/new/", views.new_version, name="catalog-new-version"),
    path("items/<str:code>/repeal/", views.repeal, name="catalog-repeal"),
    path("items/<str:code>/v<int:number>/", views.version_detail, name="catalog-version"),
    path("items/<str:code>/v<int:number>/flowchart.svg", views.version_flowchart, name="catalog-flowchart"),
    path("items/<str:code>/v<int:number>/portal/", views.portal_publish, name="catalog-portal-publish"),
]
