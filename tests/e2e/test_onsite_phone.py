"""The on-site phone wizard (现场执法) end to end on a 375 px wide phone: the party, facts, a photo and a video taken
with the file input, the on-site record, the party's signature drawn on the canvas, the on-the-spot decision
(APL Art. 51–52), the sealed PDF to print, and electronic service with the party's consent and its 送达回证."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from zhifa.law import identifiers

from ..evidence.conftest import video_bytes
from .test_case_flow import login

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
FIRST17 = "43021219850606002"


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url


def sign_on_canvas(page) -> None:
    """Draw a stroke on the signature pad, as a finger would."""
    canvas = page.locator("#signature-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y = box["x"] + 20, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(x + step * 20, y + (12 if step % 2 else -12))
    page.mouse.up()


def capture(page, name: str, mime: str, data: bytes) -> None:
    page.set_input_files("#onsite-file", files=[{"name": name, "mimeType": mime, "buffer": data}])
    with page.expect_navigation():
        page.click("#onsite-capture button[type=submit]")
    assert name in page.locator("main").inner_text()


def test_onsite_simplified_case_wizard_on_a_phone(demo_server: dict, browser) -> None:
    base = demo_server["base"]
    context = browser.new_context(**PHONE)
    context.set_default_timeout(120_000)
    page = context.new_page()
    login(page, base, "cgzf.officer01")

    # 1. party and second officer: files the case
    page.goto(base + "/cases/onsite/")
    no_sideways_scroll(page)
    page.select_option("#id_mode", "simplified")
    page.fill("#id_title", "占用人行道摆摊经营（现场）")
    page.select_option("#id_partner", index=1)
    page.select_option("#id_party_kind", "person")
    page.fill("#id_party_name", "刘小平")
    page.fill("#id_id_number", FIRST17 + identifiers.id_check_char(FIRST17))
    page.fill("#id_phone", "13907330123")
    page.fill("#id_address", "株洲市渌口区渌湘大道18号")
    page.click("#onsite-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/cases/onsite/\d+/facts/$"))
    case_id = re.search(r"/onsite/(\d+)/", page.url).group(1)

    # 2. facts and basis
    page.fill("#id_facts", "当事人在渌湘大道人行道上摆摊销售水果，占用人行道约三平方米。")
    page.fill("#id_basis", "《城市市容和环境卫生管理条例》第三十六条")
    page.fill("#id_evidence_reason", "现场照片及执法记录仪视频清楚记录摆摊情形。")
    page.fill("#id_basis_reason", "行为符合该条规定的情形。")
    page.fill("#id_discretion_reason", "初次违法，当场改正，从轻处罚。")
    page.click("#onsite-form button[type=submit]")
    page.wait_for_url(f"{base}/cases/onsite/{case_id}/evidence/")
    no_sideways_scroll(page)

    # 3. a photo and a body-camera clip through the phone's file input (capture="environment")
    assert page.get_attribute("#onsite-file", "capture") == "environment"
    photo = io.BytesIO()
    Image.new("RGB", (160, 120), "orange").save(photo, "JPEG")
    capture(page, "摊位照片.jpg", "image/jpeg", photo.getvalue())
    capture(page, "执法记录仪.mp4", "video/mp4", video_bytes())
    page.click("text=下一步：现场笔录")
    page.wait_for_url(f"{base}/cases/onsite/{case_id}/record/")

    # 4. the on-site record with the clip attached (the AV rule)
    page.fill("#id_location", "渌湘大道人行道")
    page.locator("[name=recordings]").first.check()
    page.click("#onsite-form button[type=submit]")
    page.wait_for_url(f"{base}/cases/onsite/{case_id}/sign/")
    no_sideways_scroll(page)

    # 5. the party signs the on-site record on the canvas
    assert "现场检查（勘验）笔录" in page.locator("main").inner_text()
    sign_on_canvas(page)
    page.click("#onsite-form button[type=submit]")
    page.wait_for_url(f"{base}/cases/onsite/{case_id}/decide/")

    # 6. the on-the-spot decision: 100 yuan
    page.fill("#id_fine", "100")
    page.click("#onsite-form button[type=submit]")
    page.wait_for_url(f"{base}/cases/onsite/{case_id}/finish/")
    no_sideways_scroll(page)

    # 7. print: the sealed PDF downloads
    href = page.get_attribute("#onsite-print", "href")
    pdf = page.request.get(base + href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"

    # 8. send: electronic service refused without consent, then recorded with consent and its 送达回证
    page.check("input[name=method][value=electronic]")
    page.click("#onsite-service button[type=submit]")
    assert "electronic_service_needs_consent" in page.locator("main").inner_text()
    page.check("input[name=method][value=electronic]")
    page.check("#id_consent_to_electronic")
    assert page.input_value("#id_electronic_address") == "13907330123"
    page.click("#onsite-service button[type=submit]")
    served = page.locator("#onsite-served").inner_text()
    assert "电子送达" in served and "13907330123" in served
    no_sideways_scroll(page)
    receipt = page.request.get(base + page.get_attribute("#onsite-receipt", "href"))
    assert receipt.status == 200 and receipt.body()[:5] == b"%PDF-"

    # 9. the party signs the 送达回证 on the canvas
    page.click("#onsite-receipt-sign")
    page.wait_for_url(re.compile(r".*/sign/\?doc=service$"))
    assert "送达回证" in page.locator("main").inner_text()
    sign_on_canvas(page)
    page.click("#onsite-form button[type=submit]")
    page.wait_for_url(f"{base}/cases/onsite/{case_id}/finish/")

    page.goto(f"{base}/cases/{case_id}/")
    text = page.locator("main").inner_text()
    assert "已送达" in text and "当场行政处罚决定书" in text and "送达回证" in text
    context.close()
