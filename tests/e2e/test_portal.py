"""The public portal on a phone (375 px): home → officers → search → a credential; a credential's QR code
scanned (its signed URL opened) and a forged one; progress query and a complaint, as a citizen would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

pytestmark = pytest.mark.e2e

# Runs inside the server's data directory: the demo portal data (idempotent), then what the test needs,
# signed with the server's own credential key.
SETUP = """
import json
from zhifa.publicity.demo import load_demo_publicity
from zhifa.publicity import signing
from zhifa.people.models import Credential
from django.conf import settings
from django.utils import timezone
load_demo_publicity(settings.DATA_DIR)
today = timezone.localdate()
by_status = {}
for c in Credential.objects.select_related("holder", "agency").order_by("number"):
    by_status.setdefault(str(c.status_on(today)), c)
valid = by_status["valid"]
codes = json.loads((settings.DATA_DIR / "demo-query-codes.json").read_text(encoding="utf-8"))
print("PORTAL-JSON " + json.dumps({
    "valid": {"number": valid.number, "name": valid.holder.get_full_name(), "agency": valid.agency.name,
              "qr": signing.qr_path(valid)},
    "bad": {k: {"number": c.number, "name": c.holder.get_full_name()} for k, c in by_status.items() if k != "valid"},
    "code": codes[0],
}, ensure_ascii=False))
"""

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def portal(demo_server: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ZHIFA_"))}
    env.update(ZHIFA_DATA_DIR=str(demo_server["data_dir"]), ZHIFA_HTTPS="0", DJANGO_SETTINGS_MODULE="zhifa.settings")
    result = subprocess.run([sys.executable, "-m", "zhifa.cli", "manage", "shell", "-c", SETUP], env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("PORTAL-JSON "))
    return json.loads(line.removeprefix("PORTAL-JSON "))


@pytest.fixture
def phone(browser) -> Iterator:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    yield page
    context.close()


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url  # no sideways scrolling


def test_walk_the_portal_on_a_phone(demo_server, portal, phone):
    base = demo_server["base"]
    page = phone
    page.goto(base + "/public/")
    assert page.locator("h1").inner_text() == "行政执法公示"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    _fits_the_phone(page)
    page.get_by_role("navigation", name="公示栏目").get_by_role("link", name="执法人员").click()
    page.wait_for_url("**/public/officers/")
    assert page.locator("h1").inner_text() == "执法人员"
    assert page.locator("#officers > li").count() == 20
    _fits_the_phone(page)
    page.get_by_label("姓名、执法证号或单位").fill(portal["valid"]["name"])
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/public/officers/?q=*")
    card = page.locator("#officers > li").filter(has_text=portal["valid"]["number"])
    assert card.count() == 1
    card.get_by_role("link", name=portal["valid"]["name"]).click()
    page.wait_for_url(f"**/public/officers/{portal['valid']['number']}/")
    assert page.locator("h1").inner_text() == "执法证查验"
    status = page.locator("#credential-status").inner_text()
    assert "有效" in status and "不得从事执法活动" not in status
    assert portal["valid"]["agency"] in page.locator("main").inner_text()
    assert page.locator("img.credential-photo").evaluate("img => img.complete && img.naturalWidth > 0")
    _fits_the_phone(page)


def test_bad_statuses_are_unmistakable_on_a_phone(demo_server, portal, phone):
    labels = {"expired": "过期", "suspended": "暂扣", "revoked": "注销"}
    assert set(portal["bad"]) == set(labels), "the demo has credentials in every status"
    for status, credential in portal["bad"].items():
        phone.goto(f"{demo_server['base']}/public/officers/{credential['number']}/")
        banner = phone.locator("#credential-status")
        assert labels[status] in banner.inner_text() and "不得从事执法活动" in banner.inner_text()
        colour = banner.evaluate("el => getComputedStyle(el).backgroundColor")
        assert colour == "rgb(164, 22, 26)", colour  # the red banner, CSS served under the CSP
        _fits_the_phone(phone)


def test_scanned_qr_code_verifies_and_a_forged_one_is_flagged(demo_server, portal, phone):
    url = demo_server["base"] + portal["valid"]["qr"]
    phone.goto(url)
    assert "二维码验证通过" in phone.locator("#qr-result").inner_text()
    assert "有效" in phone.locator("#credential-status").inner_text()
    _fits_the_phone(phone)

    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["v"] = "2099-12-31"  # a forger prints a longer validity on the card
    phone.goto(f"{parts.scheme}://{parts.netloc}{parts.path}?{urlencode(query)}")
    warning = phone.locator("#qr-result").inner_text()
    assert "二维码签名无效，疑似伪造证件" in warning
    assert portal["valid"]["name"] in phone.locator(".credential-card").inner_text()  # the true registry data
    _fits_the_phone(phone)


def test_unknown_credential_number_on_a_phone(demo_server, phone):
    response = phone.goto(demo_server["base"] + "/public/officers/43021299999999/")
    assert response.status == 404
    assert "未找到该执法证" in phone.locator("main").inner_text()
    phone.get_by_label("输入执法证号查验").fill("43021299999998")
    phone.get_by_role("button", name="查验").click()
    assert "43021299999998" in phone.locator("main").inner_text()


def test_progress_query_and_complaint_on_a_phone(demo_server, portal, phone):
    base = demo_server["base"]
    phone.goto(base + "/public/progress/")
    phone.get_by_label("案件编号").fill(portal["code"]["case"])
    phone.get_by_label("查询码").fill(portal["code"]["code"].lower())
    phone.get_by_role("button", name="查询").click()
    result = phone.locator("#progress-result").inner_text()
    assert portal["code"]["case"] in result and portal["code"]["agency"] in result and "当前阶段" in result
    _fits_the_phone(phone)

    phone.goto(base + "/public/complaints/")
    phone.get_by_label("投诉举报对象所属机关").select_option(label="株洲市渌口区城市管理和综合执法局")
    phone.get_by_label("事由").fill("夜间施工噪音")
    phone.get_by_label("具体内容").fill("工地夜间十一点后仍施工。")
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_url("**/public/complaints/received/")
    number = phone.locator("#receipt-number").inner_text()
    secret = phone.locator("#receipt-secret").inner_text()
    assert number.startswith("TS") and len(secret) == 6
    _fits_the_phone(phone)
    phone.get_by_role("link", name="查询办理情况").click()
    phone.get_by_label("受理编号").fill(number)
    phone.get_by_label("查询密码").fill(secret)
    phone.get_by_role("button", name="查询").click()
    assert "已受理" in phone.locator("#complaint-result").inner_text()
