"""Login with lockout after repeated failures and an optional TOTP second factor for staff."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhifa.people import actions
from zhifa.people.models import User

PENDING_SESSION_KEY = "zhifa_pending_otp_user"


class LoginForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)
    password = forms.CharField(label=gettext_lazy("密码"), strip=False, widget=forms.PasswordInput)


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("动态验证码"), regex=r"^\d{6}$",
        error_messages={"invalid": gettext_lazy("请输入6位数字验证码")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = User.objects.filter(username=username).first()
        if user is not None and user.is_locked():
            until = timezone.localtime(user.locked_until).strftime("%H:%M")
            form.add_error(None, _("登录失败次数过多，账户已锁定，请于 %(until)s 后再试。") % {"until": until})
        else:
            authenticated = authenticate(request, username=username, password=form.cleaned_data["password"])
            if authenticated is None:
                if user is not None and actions.login_failed(user):
                    form.add_error(None, _("登录失败次数过多，账户已锁定。"))
                else:
                    form.add_error(None, _("用户名或密码错误。"))
            elif _confirmed_device(authenticated) is not None:
                request.session[PENDING_SESSION_KEY] = authenticated.pk
                request.session["zhifa_next"] = _next_url(request)
                return redirect("login-otp")
            else:
                login(request, authenticated)
                actions.login_succeeded(authenticated, second_factor=False)
                return redirect(_next_url(request))
    return render(request, "web/login.html", {"form": form, "next": _next_url(request)})


@never_cache
def login_otp_view(request: HttpRequest) -> HttpResponse:
    user = User.objects.filter(pk=request.session.get(PENDING_SESSION_KEY), is_active=True).first()
    if user is None:
        return redirect("login")
    if user.is_locked():  # locked since the password step (say, by failures in another session)
        request.session.pop(PENDING_SESSION_KEY, None)
        return redirect("login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _confirmed_device(user)
        if device is not None and device.verify_token(form.cleaned_data["token"]):
            next_url = request.session.pop("zhifa_next", "/")
            request.session.pop(PENDING_SESSION_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            actions.login_succeeded(user, second_factor=True)
            return redirect(next_url)
        if actions.login_failed(user):
            request.session.pop(PENDING_SESSION_KEY, None)
            return redirect("login")
        form.add_error("token", _("验证码错误或已过期。"))
    return render(request, "web/login_otp.html", {"form": form})


@login_required
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    """Bind an authenticator app: show the QR code of a new device, confirm it with one code."""
    device, _created = TOTPDevice.objects.get_or_create(user=request.user, confirmed=False, defaults={"name": "TOTP"})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
            device.confirmed = True
            device.save()
            otp_login(request, device)
            return render(request, "web/otp_setup.html", {"done": True})
        form.add_error("token", _("验证码错误，请核对手机时间后重试。"))
    buffer = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return render(request, "web/otp_setup.html", {"form": form, "qr_svg": buffer.getvalue().decode()})
