"""亮证执法: the credential check page, its four statuses, unknown numbers, and the signed QR code."""

from __future__ import annotations

import datetime as dt
import stat
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile

from zhifa.publicity import signing
from zhifa.publicity.photos import avatar_png

pytestmark = pytest.mark.django_db

BAD = "不得从事执法活动"


@pytest.fixture(params=["gm", "intl"])
def crypto(request, settings, tmp_path):
    """Both profiles (SM2 and Ed25519), each with a fresh credential key in its own key directory."""
    settings.ZHIFA_CRYPTO = request.param
    settings.ZHIFA_KEYS_DIR = tmp_path / "keys"
    signing._load.cache_clear()
    yield request.param
    signing._load.cache_clear()


def _page(client, number: str, **params) -> tuple[int, str]:
    response = client.get(f"/public/officers/{number}/", params)
    return response.status_code, response.content.decode()


def _qr_params(credential) -> dict:
    query = parse_qs(urlsplit(signing.qr_path(credential)).query)
    return {"v": query["v"][0], "s": query["s"][0]}


def test_valid_credential_shows_identity_and_valid_status(client, world):
    status, html = _page(client, "43021226000001")
    assert status == 200
    assert "王建国" in html and "株洲市渌口区市场监督管理局" in html and "执法大队" in html
    assert "43021226000001" in html and "市场监管、食品安全" in html and "2024-01-01 至 2099-12-31" in html
    assert "status-banner-valid" in html and "✓ 有效" in html and BAD not in html
    assert "placeholder.svg" in html and 'alt="未登记照片"' in html  # no photo yet: a neutral placeholder
    assert "二维码" not in html.split('id="credential-status"')[0]  # opened by number: no QR verdict


@pytest.mark.parametrize(("key", "label"), [("expired", "过期"), ("suspended", "暂扣"), ("revoked", "注销")])
def test_expired_suspended_revoked_shown_unmistakably(client, world, key, label):
    status, html = _page(client, world[key].number)
    assert status == 200
    banner = html.split('id="credential-status"', 1)[1].split("</div>", 1)[0]
    assert 'role="alert"' in html.split('id="credential-status"', 1)[0].rsplit("<div", 1)[1]
    assert f"✕ {label}" in banner and f"该执法证已{label}，持证人{BAD}。" in banner
    assert "status-banner-bad" in html and "status-banner-valid" not in html
    assert world[key].holder.full_name in html  # the registry's data is still shown


def test_expiry_is_derived_from_today(client, world, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2100, 1, 1))
    _status, html = _page(client, "43021226000001")
    assert "✕ 过期" in html and BAD in html


def test_unknown_number_is_a_clear_404(client, world):
    status, html = _page(client, "43021299999999")
    assert status == 404
    assert "未找到该执法证" in html and "43021299999999" in html and 'action="/public/check/"' in html
    assert '<html lang="zh-hans">' in html


def test_lookup_by_number_redirects_to_the_check_page(client, world):
    response = client.get("/public/check/", {"number": " 4302 1226 000001 "})
    assert response.status_code == 302 and response["Location"] == "/public/officers/43021226000001/"
    unknown = client.get("/public/check/", {"number": "12345"}, follow=True)
    assert unknown.status_code == 404 and "未找到该执法证" in unknown.content.decode()
    garbage = client.get("/public/check/", {"number": "<script>"})
    assert garbage.status_code == 404 and "<script>" not in garbage.content.decode()
    assert client.get("/public/check/").status_code == 302


def test_signed_qr_code_verifies(client, world, crypto):
    _status, html = _page(client, "43021226000001", **_qr_params(world["valid"]))
    assert "二维码验证通过" in html and "疑似伪造" not in html


@pytest.mark.parametrize("tamper", ["signature", "valid_to", "other_number", "garbage", "missing_signature"])
def test_forged_qr_code_is_flagged_and_registry_data_shown(client, world, crypto, tamper):
    params = _qr_params(world["valid"])
    number = "43021226000001"
    if tamper == "signature":
        raw = bytearray(signing._unb64(params["s"]))
        raw[-3] ^= 0x01
        params["s"] = signing._b64(bytes(raw))
    elif tamper == "valid_to":  # a forger extends the validity printed on the card
        params["v"] = "2199-12-31"
    elif tamper == "other_number":  # a genuine code copied onto another number's card
        number = "43021226000005"
    elif tamper == "garbage":
        params["s"] = "!!not-base64!!"
    else:
        params["s"] = ""
    _status, html = _page(client, number, **params)
    assert "二维码签名无效，疑似伪造证件" in html and "二维码验证通过" not in html
    assert "qr-forged" in html and 'role="alert"' in html


def test_code_signed_by_another_platform_key_is_forged(client, world, crypto, settings, tmp_path):
    genuine = _qr_params(world["valid"])
    settings.ZHIFA_KEYS_DIR = tmp_path / "other-keys"
    signing._load.cache_clear()
    _status, html = _page(client, "43021226000001", **genuine)
    assert "二维码签名无效，疑似伪造证件" in html


def test_code_made_with_the_other_profile_is_forged(client, world, settings, tmp_path):
    settings.ZHIFA_KEYS_DIR = tmp_path / "keys"
    settings.ZHIFA_CRYPTO = "intl"
    signing._load.cache_clear()
    ed25519 = _qr_params(world["valid"])
    settings.ZHIFA_CRYPTO = "gm"
    signing._load.cache_clear()
    try:
        _status, html = _page(client, "43021226000001", **ed25519)
    finally:
        signing._load.cache_clear()
    assert "二维码签名无效，疑似伪造证件" in html


def test_genuine_code_with_outdated_validity_is_told_apart(client, world, crypto):
    """A card printed before the credential was renewed: genuine, but its data is no longer the registry's."""
    from zhifa.people.models import Credential

    old = _qr_params(world["valid"])
    Credential.objects.filter(pk=world["valid"].pk).update(valid_to=dt.date(2030, 6, 30))
    _status, html = _page(client, "43021226000001", **old)
    assert "二维码信息已过时" in html and "2099-12-31" in html and "二维码验证通过" not in html
    assert "疑似伪造" not in html and "2024-01-01 至 2030-06-30" in html


def test_genuine_code_of_an_expired_credential_still_shows_the_red_banner(client, world, crypto):
    _status, html = _page(client, world["expired"].number, **_qr_params(world["expired"]))
    assert "二维码验证通过" in html and "✕ 过期" in html and BAD in html


def test_genuine_code_of_a_revoked_credential_still_shows_the_red_banner(client, world, crypto):
    _status, html = _page(client, world["revoked"].number, **_qr_params(world["revoked"]))
    assert "二维码验证通过" in html and "✕ 注销" in html and BAD in html


def test_renamed_holder_invalidates_the_code(client, world, crypto):
    code = _qr_params(world["valid"])
    holder = world["valid"].holder
    holder.full_name = "王某某"
    holder.save(update_fields=["full_name"])
    _status, html = _page(client, "43021226000001", **code)
    assert "二维码签名无效，疑似伪造证件" in html


def test_credential_key_is_its_own_private_file(world, crypto, settings):
    signing.qr_path(world["valid"])
    path = settings.ZHIFA_KEYS_DIR / f"credential-signing-{crypto}.pem"
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert signing.key_path() == path
    assert not (settings.ZHIFA_KEYS_DIR / f"log-signing-{crypto}.pem").exists()


def test_signature_covers_number_name_and_validity(world, crypto):
    key = signing.signing_key().verifier()
    raw = signing._unb64(_qr_params(world["valid"])["s"])
    assert key.verify(raw, signing.message("43021226000001", "王建国", dt.date(2099, 12, 31)))
    assert not key.verify(raw, signing.message("43021226000001", "王建国", dt.date(2099, 12, 30)))
    assert not key.verify(raw, signing.message("43021226000002", "王建国", dt.date(2099, 12, 31)))
    assert not key.verify(raw, signing.message("43021226000001", "王建", dt.date(2099, 12, 31)))


def test_qr_url_is_absolute_and_fits_a_qr_code(world, crypto):
    url = signing.qr_url(world["valid"], "https://zhifa.lukou.example/")
    assert url.startswith("https://zhifa.lukou.example/public/officers/43021226000001/?v=2099-12-31&s=")
    assert len(url) < 300
    assert signing.qr_png(url)[:8] == b"\x89PNG\r\n\x1a\n"


def test_photo_is_served_when_there_is_one(client, world):
    credential = world["valid"]
    credential.photo.save("photo.png", ContentFile(avatar_png("王建国")), save=True)
    _status, html = _page(client, credential.number)
    assert 'src="/public/officers/43021226000001/photo/"' in html and 'alt="王建国的证件照片"' in html
    response = client.get("/public/officers/43021226000001/photo/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get("/public/officers/43021226000002/photo/").status_code == 404


def test_credential_page_is_not_cached(client, world):
    response = client.get("/public/officers/43021226000001/")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_credential_page_queries(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        client.get("/public/officers/43021226000001/")


def test_every_process_follows_a_replaced_key_file(client, world, crypto, settings):
    from zhifa.core.keyfiles import write_private
    from zhifa.crypto.profiles import get_profile

    old = _qr_params(world["valid"])
    write_private(signing.key_path(), get_profile(crypto).generate_signing_key().private_pem())
    _status, html = _page(client, "43021226000001", **old)
    assert "二维码签名无效，疑似伪造证件" in html  # the new key is in use without a restart
    _status, html = _page(client, "43021226000001", **_qr_params(world["valid"]))
    assert "二维码验证通过" in html
