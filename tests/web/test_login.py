"""Login: Chinese page, lockout after repeated failures, session idle timeout, TOTP second factor, argon2."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from zhifa.people.models import Role, User
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
OTP = "/accounts/login/otp/"
LOCKED = "登录失败次数过多，账户已锁定"


@pytest.fixture
def officer(make_agency, make_user):
    return make_user(make_agency("scjg"), Role.OFFICER, username="zhang.san")


def _login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def _logged_in(client) -> bool:
    return client.get("/").status_code == 200


def _token(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, drift=drift):06d}"


def test_login_page_in_chinese(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "登录" in html and "用户名" in html and "密码" in html
    assert 'lang="zh-hans"' in html


def test_pages_require_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_good_login_redirects_home_and_records_login_event(client, officer):
    response = _login(client, "zhang.san", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert _logged_in(client)
    event = Event.objects.filter(event_type="people.login").get()
    assert event.actor == officer and event.agency == officer.agency
    assert event.payload == {"second_factor": False}


def test_login_follows_safe_next_only(client, officer):
    assert _login(client, "zhang.san", PASSWORD, next="/officers/")["Location"] == "/officers/"
    client.logout()
    assert _login(client, "zhang.san", PASSWORD, next="https://evil.example/")["Location"] == "/"


def test_bad_password_refused_with_chinese_message(client, officer):
    response = _login(client, "zhang.san", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert not _logged_in(client)
    assert not Event.objects.filter(event_type="people.login").exists()


def test_unknown_user_gets_the_same_message(client):
    assert "用户名或密码错误" in _login(client, "nobody", "x").content.decode()


def test_inactive_user_cannot_log_in(client, officer):
    officer.is_active = False
    officer.save()
    assert "用户名或密码错误" in _login(client, "zhang.san", PASSWORD).content.decode()
    assert not _logged_in(client)


def test_account_locked_after_max_failures(client, officer):
    limit = settings.ZHIFA_LOGIN_MAX_FAILURES
    for _ in range(limit - 1):
        assert "用户名或密码错误" in _login(client, "zhang.san", "wrong").content.decode()
    officer.refresh_from_db()
    assert officer.failed_logins == limit - 1 and not officer.is_locked()
    assert LOCKED in _login(client, "zhang.san", "wrong").content.decode()
    officer.refresh_from_db()
    assert officer.is_locked()
    assert officer.locked_until - timezone.now() > dt.timedelta(minutes=settings.ZHIFA_LOGIN_LOCK_MINUTES - 1)
    event = Event.objects.get(event_type="people.account_locked")
    assert event.payload["username"] == "zhang.san" and event.agency == officer.agency


def test_locked_account_refuses_even_the_right_password(client, officer):
    for _ in range(settings.ZHIFA_LOGIN_MAX_FAILURES):
        _login(client, "zhang.san", "wrong")
    response = _login(client, "zhang.san", PASSWORD)
    html = response.content.decode()
    assert LOCKED in html and "后再试" in html
    until = timezone.localtime(User.objects.get(pk=officer.pk).locked_until).strftime("%H:%M")
    assert until in html
    assert not _logged_in(client)
    assert not Event.objects.filter(event_type="people.login").exists()


def test_login_works_again_after_lock_time_passes(client, officer):
    for _ in range(settings.ZHIFA_LOGIN_MAX_FAILURES):
        _login(client, "zhang.san", "wrong")
    User.objects.filter(pk=officer.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert _login(client, "zhang.san", PASSWORD).status_code == 302
    assert _logged_in(client)
    officer.refresh_from_db()
    assert officer.failed_logins == 0 and officer.locked_until is None


def test_successful_login_resets_failure_count(client, officer):
    for _ in range(settings.ZHIFA_LOGIN_MAX_FAILURES - 1):
        _login(client, "zhang.san", "wrong")
    _login(client, "zhang.san", PASSWORD)
    client.logout()
    officer.refresh_from_db()
    assert officer.failed_logins == 0
    assert "用户名或密码错误" in _login(client, "zhang.san", "wrong").content.decode()  # not locked by one more


def test_session_ends_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # the 30 minutes restart at every request: an idle timeout


def test_passwords_hashed_with_argon2_first():
    import zhifa.settings

    assert zhifa.settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_real_settings_hash_new_passwords_with_argon2(settings, officer):
    from django.contrib.auth.hashers import check_password, make_password

    import zhifa.settings

    settings.PASSWORD_HASHERS = zhifa.settings.PASSWORD_HASHERS
    hashed = make_password("secret-password")
    assert hashed.startswith("argon2$")
    assert check_password("secret-password", hashed)
    assert not check_password("wrong-password", hashed)


# --- TOTP second factor ---------------------------------------------------------------------------------


@pytest.fixture
def device(officer):
    return TOTPDevice.objects.create(user=officer, name="手机", confirmed=True)


def test_user_with_totp_device_is_asked_for_a_code(client, device):
    response = _login(client, "zhang.san", PASSWORD)
    assert response.status_code == 302 and response["Location"] == OTP
    assert client.get("/").status_code == 302, "the password alone does not log in"
    page = client.get(OTP)
    assert page.status_code == 200 and "动态验证码" in page.content.decode()


def test_right_totp_code_logs_in(client, device):
    _login(client, "zhang.san", PASSWORD, next="/officers/")
    response = client.post(OTP, {"token": _token(device)})
    assert response.status_code == 302 and response["Location"] == "/officers/"
    assert _logged_in(client)
    assert Event.objects.get(event_type="people.login").payload == {"second_factor": True}


def test_wrong_totp_code_refused(client, device):
    _login(client, "zhang.san", PASSWORD)
    wrong = f"{(int(_token(device)) + 1) % 1_000_000:06d}"
    response = client.post(OTP, {"token": wrong})
    assert response.status_code == 200
    assert "验证码错误或已过期" in response.content.decode()
    assert client.get("/").status_code == 302
    assert not Event.objects.filter(event_type="people.login").exists()


def test_malformed_totp_code_refused(client, device):
    _login(client, "zhang.san", PASSWORD)
    assert "请输入6位数字验证码" in client.post(OTP, {"token": "12ab"}).content.decode()


def test_otp_step_without_password_step_goes_back_to_login(client, device):
    response = client.post(OTP, {"token": _token(device)})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_unconfirmed_device_does_not_ask_for_a_code(client, officer):
    TOTPDevice.objects.create(user=officer, name="未确认", confirmed=False)
    assert _login(client, "zhang.san", PASSWORD)["Location"] == "/"


def test_wrong_totp_codes_count_towards_lockout(client, device, officer):
    _login(client, "zhang.san", PASSWORD)
    User.objects.filter(pk=officer.pk).update(failed_logins=settings.ZHIFA_LOGIN_MAX_FAILURES - 1)
    response = client.post(OTP, {"token": "000000" if _token(device) != "000000" else "111111"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    officer.refresh_from_db()
    assert officer.is_locked()
    assert client.get(OTP).status_code == 302, "the pending second step is dropped"


def test_otp_step_refused_while_account_locked(client, device, officer):
    """An account locked after the password step (e.g. by failures in another session) takes no code."""
    _login(client, "zhang.san", PASSWORD)
    User.objects.filter(pk=officer.pk).update(locked_until=timezone.now() + dt.timedelta(minutes=10))
    response = client.post(OTP, {"token": _token(device)})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302
    assert not Event.objects.filter(event_type="people.login").exists()


def test_otp_setup_page_shows_svg_qr_code(client, officer):
    client.force_login(officer)
    response = client.get("/accounts/otp/setup/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "绑定身份验证器" in html
    assert TOTPDevice.objects.filter(user=officer, confirmed=False).count() == 1
    client.get("/accounts/otp/setup/")
    assert TOTPDevice.objects.filter(user=officer, confirmed=False).count() == 1, "reloading reuses the device"


def test_otp_setup_confirms_device_with_right_code(client, officer):
    client.force_login(officer)
    client.get("/accounts/otp/setup/")
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    response = client.post("/accounts/otp/setup/", {"token": _token(device)})
    assert "已绑定" in response.content.decode()
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).count() == 1
    client.logout()
    assert _login(client, "zhang.san", PASSWORD)["Location"] == OTP


def test_otp_setup_refuses_wrong_code(client, officer):
    client.force_login(officer)
    client.get("/accounts/otp/setup/")
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    wrong = f"{(int(_token(device)) + 1) % 1_000_000:06d}"
    assert "验证码错误" in client.post("/accounts/otp/setup/", {"token": wrong}).content.decode()
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()


def test_otp_setup_requires_login(client):
    assert client.get("/accounts/otp/setup/")["Location"].startswith(LOGIN)
