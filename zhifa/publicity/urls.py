"""URLs under /public/ (stable: printed QR codes and duty boards point here). Nothing here starts with
"catalog/": /public/catalog/ belongs to the catalog app."""

from django.urls import path

from zhifa.publicity import staff_views, views

urlpatterns = [
    path("", views.home, name="public-home"),
    path("agencies/", views.agencies, name="public-agencies"),
    path("agencies/<slug:code>/", views.agency_detail, name="public-agency"),
    path("officers/", views.officers, name="public-officers"),
    path("officers/<str:number>/", views.credential, name="public-credential"),
    path("officers/<str:number>/photo/", views.credential_photo, name="public-credential-photo"),
    path("check/", views.credential_check, name="public-credential-check"),
    path("windows/", views.windows, name="public-windows"),
    path("progress/", views.progress, name="public-progress"),
    path("complaints/", views.complaints, name="public-complaints"),
    path("complaints/received/", views.complaint_received, name="public-complaint-received"),
    path("complaints/status/", views.complaint_status, name="public-complaint-status"),
    # staff (login required, scoped to the user's agency)
    path("staff/", staff_views.index, name="publicity-staff"),
    path("staff/credentials/<str:number>/qr/", staff_views.credential_qr, name="publicity-credential-qr"),
    path("staff/credentials/<str:number>/card.pdf", staff_views.credential_card, name="publicity-credential-card"),
    path("staff/windows/<int:pk>/board.pdf", staff_views.duty_board, name="publicity-duty-board"),
    path("staff/complaints/", staff_views.complaint_list, name="publicity-complaints"),
    path("staff/complaints/<str:number>/", staff_views.complaint_detail, name="publicity-complaint"),
]
