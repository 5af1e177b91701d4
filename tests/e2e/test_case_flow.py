"""A general-procedure case from filing to archive through the UI, with a review returned and resubmitted, and
a simplified (on-the-spot) case on a phone-sized viewport."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from PIL import Image

from zhifa.law import identifiers

pytestmark = pytest.mark.e2e

PASSWORD = "lukou-demo-2026"


def _credit_code(seed: str) -> str:
    first17 = f"91430212MA4{seed}"
    return first17 + identifiers.credit_code_check_char(first17)


def login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def act(page, action: str, fields: dict[str, str] | None = None, checks: list[str] = ()) -> str:
    """Open an action on the case page, fill it, submit; return the flash message."""
    item = page.locator(f"#action-{action}")
    item.locator("summary").click()
    for name, value in (fields or {}).items():
        locator = item.locator(f"[name='{action}-{name}']")
        if locator.first.evaluate("e => e.tagName") == "SELECT":
            locator.select_option(value)
        else:
            locator.fill(value)
    for value in checks:
        item.locator(f"[name='{action}-kinds'][value='{value}']").check()
    with page.expect_navigation():  # each step renders and seals its documents: allow for a slow machine
        item.locator("button[type=submit]").click()
    return page.locator("main .alert").first.inner_text()


def test_general_procedure_from_filing_to_archive_through_the_ui(demo_server: dict, browser) -> None:
    base = demo_server["base"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(120_000)
    page = context.new_page()
    login(page, base, "scjg.officer01")
    page.goto(base + "/cases/new/")
    page.fill("#id_title", "涉嫌销售未标明生产日期的预包装食品案")
    page.select_option("#id_party_kind", "organisation")
    page.fill("#id_party_name", "株洲渌口测试食品商行有限公司")
    page.fill("#id_credit_code", _credit_code("L0E2E1"))
    page.fill("#id_address", "株洲市渌口区渌湘大道66号")
    boxes = page.locator("[name=officers]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    case_url = page.url
    case_id = re.search(r"/cases/(\d+)/", case_url).group(1)
    case_number = page.locator("h1").inner_text().split()[0]

    now = dt.datetime.now()
    message = act(page, "record_activity", {"code": "inquiry", "started_at": (now - dt.timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M"), "ended_at": now.strftime("%Y-%m-%dT%H:%M"), "notes": "询问当事人"})
    assert "已完成" in message, message

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buffer, "JPEG")
    page.goto(f"{base}/evidence/upload/?case={case_id}")
    page.set_input_files("input[type=file]", files=[{"name": "进货单.jpg", "mimeType": "image/jpeg",
                                                     "buffer": buffer.getvalue()}])
    page.select_option("#id_kind", "documentary")
    page.fill("#id_title", "进货单据")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "进货单据" in page.content()
    page.goto(case_url)

    draft = {"fine": "6000", "facts": "当事人销售未标明生产日期的预包装食品。",
             "evidence_reason": "询问笔录与进货单据相互印证。", "basis": "《中华人民共和国食品安全法》第一百二十五条",
             "basis_reason": "行为符合该条规定情形。",
             "discretion_reason": "初次违法，一般情节。"}
    assert "已完成" in act(page, "end_investigation", draft, checks=["fine"])
    assert "已完成" in act(page, "submit_review")

    login(page, base, "scjg.reviewer1")
    page.goto(base + "/review/")
    page.get_by_role("link", name=case_number, exact=True).first.click()
    for select in page.locator("select[name$='_result']").all():
        select.select_option("符合")
    page.select_option("#id_opinion", "supplement")
    page.fill("#id_reasons", "请补充产品标签照片。")
    page.click("main form button[type=submit]")
    page.wait_for_url(base + "/review/")

    login(page, base, "scjg.officer01")
    page.goto(case_url)
    assert "退回" in page.content()
    revised = {**draft, "facts": "当事人销售未标明生产日期的预包装食品（标签照片附卷）。"}
    assert "已完成" in act(page, "revise_draft", revised, checks=["fine"])
    assert "已完成" in act(page, "submit_review", {"response": "已补充产品标签照片，事实部分相应修改。"})

    login(page, base, "scjg.reviewer1")
    page.goto(base + "/review/")
    page.get_by_role("link", name=case_number, exact=True).first.click()
    assert "标签照片附卷" in page.content() and "已补充产品标签照片" in page.content()
    for select in page.locator("select[name$='_result']").all():
        select.select_option("符合")
    page.select_option("#id_opinion", "agree")
    page.fill("#id_reasons", "事实清楚，证据确凿，适用依据正确。")
    page.click("main form button[type=submit]")
    page.wait_for_url(base + "/review/")

    login(page, base, "scjg.officer01")
    page.goto(case_url)
    assert "已完成" in act(page, "notify")
    assert "陈述申辩期限" in page.content()  # decide is listed with its blocking rule
    page.locator("#action-record_statement summary").click()
    page.locator("[name='record_statement-waived']").check()
    with page.expect_navigation():
        page.locator("#action-record_statement button[type=submit]").click()

    login(page, base, "scjg.head")
    page.goto(case_url)
    assert "已完成" in act(page, "decide")

    login(page, base, "scjg.officer01")
    page.goto(case_url)
    today = dt.date.today().isoformat()
    assert "已完成" in act(page, "serve", {"method": "direct", "served_on": today})
    assert "已完成" in act(page, "record_payment", {"amount": "6000", "paid_on": today, "channel": "bank",
                                                     "reference": "ICBC-E2E-1"})
    assert "已完成" in act(page, "close")
    assert "已完成" in act(page, "archive")
    assert "已归档" in page.content()
    assert "行政处罚决定书" in page.content()  # the sealed decision is listed
    context.close()


def test_simplified_case_on_a_phone(demo_server: dict, browser) -> None:
    base = demo_server["base"]
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    context.set_default_timeout(120_000)
    page = context.new_page()
    login(page, base, "cgzf.officer01")
    page.goto(base + "/cases/new/")
    page.fill("#id_title", "占用人行道摆摊经营")
    page.select_option("#id_procedure", "simplified")
    page.select_option("#id_party_kind", "organisation")
    page.fill("#id_party_name", "渌口区鲜果便利店有限公司")
    page.fill("#id_credit_code", _credit_code("L0E2E2"))
    page.fill("#id_address", "株洲市渌口区建设路8号")
    boxes = page.locator("[name=officers]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    on_spot = {"fine": "100", "facts": "在人行道摆摊经营。", "evidence_reason": "现场照片。",
               "basis": "《城市市容和环境卫生管理条例》第三十六条", "basis_reason": "符合该条情形。",
               "discretion_reason": "当场改正，从轻。"}
    message = act(page, "decide_on_spot", on_spot, checks=["fine"])
    assert "已完成" in message, message
    today = dt.date.today().isoformat()
    assert "已完成" in act(page, "record_payment", {"amount": "100", "paid_on": today, "channel": "on_spot",
                                                     "reference": "湘财No.0099"})
    assert "已完成" in act(page, "close")
    assert "已结案" in page.content()
    context.close()
