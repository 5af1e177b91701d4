from django.contrib.auth import views as auth_views
from django.urls import path

from zhifa.web import auth_views as login_views
from zhifa.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", login_views.login_view, name="login"),
    path("accounts/login/otp/", login_views.login_otp_view, name="login-otp"),
    path("accounts/otp/setup/", login_views.otp_setup_view, name="otp-setup"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("agencies/", views.agencies, name="agencies"),
    path("officers/", views.officers, name="officers"),
    path("record/events/", views.record_events, name="record-events"),
]
