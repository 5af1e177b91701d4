"""Excel import/export in the agencies' list layout: row-by-row Chinese errors, all or nothing, round trip."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from tests.catalog.conftest import version_data
from zhifa.catalog import actions, xlsx
from zhifa.catalog.models import EnforcementItem, ItemVersion
from zhifa.core.errors import RuleViolation
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db

HEADER = ["序号", "事项名称", "事项编码", "事项类型", "设定依据", "实施主体", "行使层级", "执法类别", "生效日期"]


def workbook(rows: list[list], title: bool = True) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["株洲市渌口区甲局行政执法事项清单"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(number=1, name="对销售过期食品的行政处罚", code="LK-CF-X-001", kind="行政处罚",
        basis="《中华人民共和国食品安全法》第一百二十四条：生产经营超过保质期的食品的……（摘要）",
        agency="株洲市渌口区甲局",
        level="县级", field="食品安全", valid_from=None) -> list:
    return [number, name, code, kind, basis, agency, level, field, valid_from]


def test_import_creates_items_in_one_go_with_one_event_each(world):
    data = workbook([row(), row(2, "对无照经营的行政处罚", "LK-CF-X-002", "处罚",
                            "《中华人民共和国市场主体登记管理条例》第四十三条", "甲局", "县", "市场监管",
                            "2022-03-01")])
    before = Event.objects.count()
    report = xlsx.import_items(world["head_a"], data, "清单.xlsx", today=dt.date(2025, 6, 1))
    assert report.created == ["LK-CF-X-001", "LK-CF-X-002"]
    assert Event.objects.count() == before + 3  # two items and the import itself
    imported = Event.objects.order_by("-seq").first()
    assert imported.event_type == "catalog.imported" and imported.payload["created"] == 2
    assert len(imported.payload["sha256"]) == 64
    first = ItemVersion.objects.get(item__code="LK-CF-X-001")
    assert (first.basis_law, first.basis_article, first.valid_from) == (
        "中华人民共和国食品安全法", "第一百二十四条", dt.date(2025, 6, 1))
    assert first.basis_text.startswith("生产经营超过保质期")
    second = ItemVersion.objects.get(item__code="LK-CF-X-002")
    assert second.valid_from == dt.date(2022, 3, 1) and second.basis_text == ""
    assert list(second.item.agencies.all()) == [world["a"]]


def test_import_reports_every_bad_row_in_chinese_and_imports_nothing(world):
    data = workbook([
        row(),
        row(2, code="LK-CF-X-002", kind="行政罚没"),
        row(3, code="LK-CF-X-003", basis="食品安全法第一百二十四条"),
        row(4, code="LK-CF-X-004", agency="不存在的局"),
        row(5, code="LK-CF-X-001"),
        row(6, code="LK-CF-X-006", basis="《中华人民共和国食品安全法》", level="乡级", valid_from="明年"),
        row(7, code="LK-CF-X-007", agency="株洲市渌口区乙局"),
    ])
    before = (EnforcementItem.objects.count(), Event.objects.count())
    with pytest.raises(xlsx.ImportFailed) as caught:
        xlsx.import_items(world["head_a"], data, "清单.xlsx")
    messages = [str(e) for e in caught.value.errors]
    assert "第4行 D列（事项类型）：“行政罚没”不是规定的事项类型" in messages[0]
    assert any(m.startswith("第5行 E列（设定依据）：设定依据须以《法律法规名称》开头") for m in messages)
    assert "第6行 F列（实施主体）：“不存在的局”不是本平台登记的执法主体" in messages
    assert "第7行 C列（事项编码）：与第3行重复" in messages
    assert "第8行 E列（设定依据）：设定依据未注明条款（如“第一百二十四条”）" in messages
    assert any(m.startswith("第8行 G列（行使层级）") for m in messages)
    assert any(m.startswith("第8行 I列（生效日期）：日期“明年”无法识别") for m in messages)
    assert "第9行 F列（实施主体）：您无权导入其他执法主体的事项" in messages
    assert (EnforcementItem.objects.count(), Event.objects.count()) == before


def test_a_rule_violation_while_applying_rolls_back_the_rows_already_written(world, monkeypatch):
    original = actions.create_item

    def refuse_second(actor, **kwargs):
        if kwargs["code"] == "LK-CF-X-002":
            raise RuleViolation("refused", "测试", "模拟的拒绝")
        return original(actor, **kwargs)

    monkeypatch.setattr(actions, "create_item", refuse_second)
    before = (EnforcementItem.objects.count(), Event.objects.count())
    with pytest.raises(xlsx.ImportFailed) as caught:
        xlsx.import_items(world["head_a"], workbook([row(), row(2, code="LK-CF-X-002")]), "清单.xlsx")
    assert [str(e) for e in caught.value.errors] == ["第4行：模拟的拒绝"]
    assert (EnforcementItem.objects.count(), Event.objects.count()) == before


def test_a_date_the_action_would_refuse_is_caught_before_anything_is_written(world, make_item):
    make_item(code="LK-CF-X-001", valid_from=dt.date(2020, 1, 1))
    data = workbook([row(1, code="LK-CF-X-009"), row(2, name="改名", code="LK-CF-X-001", valid_from="2020-01-01")])
    before = (EnforcementItem.objects.count(), ItemVersion.objects.count(), Event.objects.count())
    with pytest.raises(xlsx.ImportFailed) as caught:
        xlsx.import_items(world["head_a"], data, "清单.xlsx")
    assert [str(e) for e in caught.value.errors] == [
        "第4行 I列（生效日期）：内容有变更，新版本生效日期须晚于现行版本的 2020-01-01"]
    assert (EnforcementItem.objects.count(), ItemVersion.objects.count(), Event.objects.count()) == before


def test_import_changes_publish_new_versions_and_keep_identity(world, make_item):
    item = make_item(code="LK-CF-X-001", valid_from=dt.date(2020, 1, 1))
    data = workbook([row(name="对经营超过保质期的食品的行政处罚", valid_from=dt.datetime(2021, 4, 29))])
    report = xlsx.import_items(world["head_a"], data, "清单.xlsx")
    assert report.changed == ["LK-CF-X-001"]
    v1, v2 = item.versions.order_by("number")
    assert v1.valid_to == dt.date(2021, 4, 28) and v2.valid_from == dt.date(2021, 4, 29)
    assert v2.name == "对经营超过保质期的食品的行政处罚" and v2.steps == v1.steps
    assert v2.discretion.count() == v1.discretion.count() == 3


def test_import_refuses_changing_the_type_of_an_existing_code(world, make_item):
    make_item(code="LK-CF-X-001")
    with pytest.raises(xlsx.ImportFailed) as caught:
        xlsx.import_items(world["head_a"], workbook([row(kind="行政许可")]), "清单.xlsx")
    assert "四级四同" in str(caught.value.errors[0]) and caught.value.errors[0].row == 3


def test_export_then_import_round_trips(world, make_item):
    make_item(code="LK-CF-X-001")
    make_item(code="LK-CF-X-002", name="对无照经营的行政处罚", article="第四十三条")
    repealed = make_item(code="LK-CF-X-003", name="已废止的事项")
    actions.repeal_item(world["head_a"], repealed, dt.date(2023, 1, 1), "废止", "废止决定", "第一条")
    actions.set_item_agencies(world["admin"], EnforcementItem.objects.get(code="LK-CF-X-002"),
                              [world["a"], world["b"]])
    first = xlsx.export_items(EnforcementItem.objects.all(), "测试清单")
    sheet = load_workbook(io.BytesIO(first)).active
    notes = list(load_workbook(io.BytesIO(first))["填写说明"].iter_rows(values_only=True))
    assert notes[0] == ("列", "说明") and notes[1][0] == "事项类型" and "执法主体全称" in notes[4][1]
    assert [c.value for c in sheet[2]] == xlsx.COLUMNS
    assert sheet["C3"].value == "LK-CF-X-001" and sheet["D3"].value == "行政处罚"
    assert sheet["E3"].value.startswith("《中华人民共和国食品安全法》第一百二十四条：")
    assert sheet["F4"].value == "株洲市渌口区甲局、株洲市渌口区乙局"
    assert sheet["K5"].value == "已废止"
    versions, events = ItemVersion.objects.count(), Event.objects.count()
    report = xlsx.import_items(world["admin"], first, "导出.xlsx")
    assert report.unchanged == ["LK-CF-X-001", "LK-CF-X-002", "LK-CF-X-003"] and not report.created
    assert ItemVersion.objects.count() == versions and Event.objects.count() == events + 1
    second = xlsx.export_items(EnforcementItem.objects.all(), "测试清单")
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(first)).active.iter_rows(min_row=2)]
    assert rows == [[c.value for c in r] for r in load_workbook(io.BytesIO(second)).active.iter_rows(min_row=2)]


def test_numeric_code_cells_and_header_without_title_row(world):
    report = xlsx.import_items(world["head_a"], workbook([row(code=430212001000)], title=False), "x.xlsx",
                               today=dt.date(2025, 1, 1))
    assert report.created == ["430212001000"]


@pytest.mark.parametrize("content, message", [
    (b"not a workbook", "文件不是有效的 Excel（.xlsx）工作簿"),
    (None, "找不到表头行"),
])
def test_unreadable_files_are_refused(world, content, message):
    if content is None:
        book = Workbook()
        book.active.append(["名称", "编码"])
        out = io.BytesIO()
        book.save(out)
        content = out.getvalue()
    with pytest.raises(xlsx.ImportFailed) as caught:
        xlsx.import_items(world["head_a"], content, "x.xlsx")
    assert message in str(caught.value.errors[0])


def test_version_data_helper_matches_import(world):
    """The cell format is the inverse of the parser (《法》条：文)."""
    from zhifa.catalog import rules

    data = version_data()
    cell = rules.format_basis(data.basis_law, data.basis_article, data.basis_text)
    assert rules.parse_basis(cell) == (data.basis_law, data.basis_article, data.basis_text)
    assert rules.parse_basis("《国务院对确需保留的行政审批项目设定行政许可的决定》附件第101项") == (
        "国务院对确需保留的行政审批项目设定行政许可的决定", "附件第101项", "")
