"""Flowcharts: well-formed SVG from the declared steps, Chinese labels wrapped, accessible title/desc, no styles."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.catalog import flowchart

SVG = "{http://www.w3.org/2000/svg}"
STEPS = [{"title": "受理", "exit": "材料不全的，一次告知需要补正的全部内容"},
         {"title": "审查", "note": "需要现场核查的，指派两名以上工作人员进行核查，并制作现场核查记录"},
         {"title": "决定"}]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_svg_is_well_formed_with_accessible_title_and_description():
    root = parse(flowchart.render_svg("食品经营许可", STEPS, "fc1"))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("aria-labelledby") == "fc1-title fc1-desc"
    assert root.find(f"{SVG}title").text == "食品经营许可 流程图"
    desc = root.find(f"{SVG}desc").text
    assert "第1步 受理；分支：材料不全的" in desc and "第3步 决定" in desc


def test_boxes_arrows_and_branches():
    root = parse(flowchart.render_svg("事项", STEPS))
    rects = root.findall(f"{SVG}rect")
    assert len(rects) == 2 + 3 + 1  # start, end, three steps, one branch
    lines = root.findall(f"{SVG}line")
    assert len(lines) == 4 + 1  # arrows between start, steps and end, plus the branch
    assert sum(1 for line in lines if line.get("stroke-dasharray")) == 1
    assert all(line.get("marker-end", "").startswith("url(#") for line in lines)


def test_long_chinese_labels_wrap_inside_the_box():
    title = "对在城市建筑物、设施以及树木上涂写、刻画或者未经批准张挂、张贴宣传品的处理决定"
    lines = flowchart.wrap(title, flowchart.MAIN_W - 2 * flowchart.PAD, flowchart.TITLE_SIZE)
    assert len(lines) >= 2 and "".join(lines) == title
    assert all(sum(flowchart.char_width(c, 15) for c in line) <= flowchart.MAIN_W for line in lines)
    assert not any(line[0] in flowchart.NO_BREAK_BEFORE for line in lines[1:])
    root = parse(flowchart.render_svg("事项", [{"title": title}]))
    assert len(root.findall(f".//{SVG}tspan")) >= 4


def test_text_is_escaped_and_no_style_is_used():
    svg = flowchart.render_svg("<script>alert(1)</script>", [{"title": "a & b <c>", "note": '"引号"'}])
    root = parse(svg)
    assert "<script>" not in svg and root.find(f"{SVG}title").text.startswith("<script>")
    assert "style" not in svg


def test_no_steps_still_draws_start_and_end():
    root = parse(flowchart.render_svg("事项", []))
    assert "未声明办理流程" in root.find(f"{SVG}desc").text
    assert len(root.findall(f"{SVG}rect")) == 2


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries(
    {"title": st.text(min_size=1, max_size=40)},
    optional={"note": st.text(max_size=120), "exit": st.text(max_size=80)}), max_size=12))
def test_any_steps_give_well_formed_svg(steps):
    root = parse(flowchart.render_svg("名称\x00\x1f", [{k: v or "步骤" for k, v in s.items()} for s in steps]))
    assert root.find(f"{SVG}desc") is not None
    height = float(root.get("height"))
    for rect in root.iter(f"{SVG}rect"):
        assert float(rect.get("y")) + float(rect.get("height")) <= height
