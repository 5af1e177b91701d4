"""`zhifa report annual --agency CODE --year Y --out DIR`: exit 0 ok, 1 failure, 2 bad usage."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from zhifa.cli import main
from zhifa.reports import actions
from zhifa.reports.render import read_xlsx_figures

pytestmark = pytest.mark.django_db


def test_report_annual_writes_pdf_xlsx_and_json(team, tmp_path, capsys) -> None:
    agency = team.head.agency
    assert main(["report", "annual", "--agency", agency.code, "--year", "2025", "--out", str(tmp_path)]) == 0
    stem = tmp_path / f"{agency.code}-2025-annual-report"
    figures = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    assert figures["agency"]["code"] == agency.code and figures["year"] == 2025
    assert stem.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert read_xlsx_figures(stem.with_suffix(".xlsx").read_bytes()) == figures
    assert str(stem.with_suffix(".pdf")) in capsys.readouterr().out


def test_report_annual_writes_the_published_files_as_published(team, drafted, tmp_path) -> None:
    report = actions.publish_report(actions.approve_report(drafted, team.head), team.head, seal=False)
    assert main(["report", "annual", "--agency", report.agency.code, "--year", "2025", "--out", str(tmp_path)]) == 0
    assert (tmp_path / f"{report.agency.code}-2025-annual-report.pdf").read_bytes() == bytes(report.pdf)


def test_report_annual_unknown_agency_exits_2(team, tmp_path, capsys) -> None:
    assert main(["report", "annual", "--agency", "no-such", "--year", "2025", "--out", str(tmp_path)]) == 2
    assert "unknown agency code 'no-such'" in capsys.readouterr().err


def test_report_annual_unfinished_year_exits_2(team, tmp_path, capsys) -> None:
    year = str(dt.date.today().year)
    assert main(["report", "annual", "--agency", team.head.agency.code, "--year", year, "--out", str(tmp_path)]) == 2
    assert "finished year" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["report"], ["report", "annual"], ["report", "annual", "--agency", "x"],
                                  ["report", "annual", "--agency", "x", "--year", "MMXXV", "--out", "d"]])
def test_report_bad_usage_exits_2(argv, capsys) -> None:
    assert main(argv) == 2


def test_report_annual_unwritable_out_exits_1(team, tmp_path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["report", "annual", "--agency", team.head.agency.code, "--year", "2025", "--out", str(blocker)]) == 1
    assert "cannot write" in capsys.readouterr().err
