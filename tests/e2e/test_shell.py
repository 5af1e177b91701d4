"""The demo as a person meets it: Chinese login page, every demo account logs in, phone and office widths."""

import urllib.request

import pytest

pytestmark = pytest.mark.e2e


def test_demo_serves_chinese_login_page(demo_server: dict) -> None:
    with urllib.request.urlopen(demo_server["base"] + "/accounts/login/") as response:
        html = response.read().decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html and "用户名" in html


def test_every_demo_account_logs_in(demo_server: dict, browser) -> None:
    accounts = demo_server["accounts"]
    assert len(accounts) >= 45
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    for account in accounts:
        page.goto(demo_server["base"] + "/accounts/login/")
        page.fill("#id_username", account["username"])
        page.fill("#id_password", account["password"])
        page.click("button[type=submit]")
        page.wait_for_url(demo_server["base"] + "/")
        assert page.locator("h1").inner_text() == "我的待办", account["username"]
        assert account["name"] in page.locator("nav").inner_text()
        page.click("nav form button[type=submit]")  # 退出
        page.wait_for_url("**/accounts/login/")
    context.close()


def test_phone_width_navigation_is_usable(demo_server: dict, browser) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(demo_server["base"] + "/accounts/login/")
    page.fill("#id_username", "scjg.officer01")
    page.fill("#id_password", demo_server["accounts"][0]["password"])
    page.click("button[type=submit]")
    page.wait_for_url(demo_server["base"] + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    page.click("button.navbar-toggler")
    page.get_by_role("link", name="案件").click()
    page.wait_for_url("**/cases/")
    assert page.locator("h1").inner_text() == "案件"
    context.close()
