"""Public catalog URLs under /public/catalog/ (no login). Stable: printed lists and other portals link here."""

from django.urls import path

from zhifa.catalog import public_views

urlpatterns = [
    path("", public_views.index, name="catalog-public-index"),
    path("items/<str:code>/", public_views.item_detail, name="catalog-public-item"),
    path("items/<str:code>/v<int:number>/", public_views.version_detail, name="catalog-public-version"),
    path("items/<str:code>/v<int:number>/flowchart.svg", public_views.flowchart_svg,
         name="catalog-public-flowchart"),
    path("inspections/", public_views.inspections, name="catalog-public-inspections"),
    path("inspections/<int:pk>/", public_views.inspection_detail, name="catalog-public-inspection"),
    path("av/<slug:code>/", public_views.av_items, name="catalog-public-av"),
]
