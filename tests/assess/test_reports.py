"""`yunong assess …` commands and the period's report as PDF (read back with pdftotext and
pdftoppm) and as xlsx (frozen headers, units)."""

import subprocess

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.assess.factories import CITY, FULING, WANZHOU, approved
from tests.factories import make_place
from yunong.cli import app
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.db
runner = CliRunner()


@pytest.fixture
def scored(configured):
    with transaction(make_sessionmaker(make_engine(configured))) as session:
        make_place(session)
        approved(session, CITY, 2024, agricultural_technology_contribution=63.8)
        approved(session, WANZHOU, 2024, rural_income_growth=7.5, grain_output=6.2)
        approved(session, FULING, 2024, rural_income_growth=3.0)
    result = runner.invoke(app, ["assess", "score", "--period", "2024"])
    assert result.exit_code == 0, result.output
    return configured


def test_the_pdf_report_is_chinese_text_with_names_and_figures(scored, tmp_path):
    pdf = tmp_path / "2024.pdf"
    result = runner.invoke(
        app, ["assess", "report", str(pdf), "--period", "2024", "--format", "pdf"]
    )
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    for words in ("2024 年乡村振兴考核报告", "农业科技进步贡献率", "63.8", "万州区", "赛马比拼"):
        assert words in text
    assert "农村常住居民人均可支配收入增速" in text and "7.5" in text


def test_the_pdf_report_renders_to_images(scored, tmp_path):
    pdf = tmp_path / "2024.pdf"
    runner.invoke(app, ["assess", "report", str(pdf), "--period", "2024"])
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2 and all(page.stat().st_size > 1000 for page in pages)


def test_the_xlsx_report_has_frozen_headers_and_units(scored, tmp_path):
    path = tmp_path / "2024.xlsx"
    result = runner.invoke(
        app, ["assess", "report", str(path), "--period", "2024", "--format", "xlsx"]
    )
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["全市指标", "赛马比拼", "区县指标"]
    city = workbook["全市指标"]
    assert city.freeze_panes == "A2" and city["C1"].value == "单位"
    rows = {row[1]: row for row in city.iter_rows(min_row=2, values_only=True)}
    assert rows["农业科技进步贡献率"][2:5] == ("%", 63.8, 63.5)
    ranking = workbook["赛马比拼"]
    assert [cell.value for cell in ranking[1]][:4] == ["名次", "区县代码", "区县", "得分(分)"]
    assert ranking["C2"].value == "万州区"


def test_the_xlsx_report_shows_indicators_without_a_weight_as_monitored_only(scored, tmp_path):
    path = tmp_path / "2024.xlsx"
    runner.invoke(app, ["assess", "report", str(path), "--period", "2024", "--format", "xlsx"])
    city = openpyxl.load_workbook(path)["全市指标"]
    assert city["I1"].value == "权重"
    weights = {row[1]: row[8] for row in city.iter_rows(min_row=2, values_only=True)}
    assert weights["农业科技进步贡献率"] == "仅监测"
    assert weights["粮食产量"] == 10


def test_a_report_before_scoring_says_what_to_run(configured, tmp_path):
    result = runner.invoke(app, ["assess", "report", str(tmp_path / "x.pdf"), "--period", "2030"])
    assert result.exit_code == 1
    assert "yunong assess score --period 2030" in result.output


def test_the_workflow_from_the_command_line(configured, tmp_path):
    with transaction(make_sessionmaker(make_engine(configured))) as session:
        make_place(session)
    template = tmp_path / "万州.xlsx"
    base = ["--period", "2024", "--region", "500101"]
    assert runner.invoke(app, ["assess", "template", str(template), *base]).exit_code == 0
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        row[9].value = 0 if row[3].value == "grain_output" else 1
    sheet["J2"].value = 99999
    workbook.save(template)
    refused = runner.invoke(app, ["assess", "upload", str(template), *base])
    assert refused.exit_code == 3
    assert "第 2 行【粮食播种面积】：99999 不在有效范围 0—5000（万亩）内" in refused.output
    sheet["J2"].value = 95
    workbook.save(template)
    assert runner.invoke(app, ["assess", "upload", str(template), *base]).exit_code == 0
    assert runner.invoke(app, ["assess", "submit", *base]).exit_code == 0
    returned = runner.invoke(app, ["assess", "return", *base, "--comment", "请核实"])
    assert returned.exit_code == 0
    status = runner.invoke(app, ["assess", "status", "--period", "2024"])
    assert "已退回" in status.output and "请核实" in status.output


def test_the_xlsx_ranking_lists_the_districts_that_did_not_report_as_not_reported(scored, tmp_path):
    path = tmp_path / "2024.xlsx"
    runner.invoke(app, ["assess", "report", str(path), "--period", "2024", "--format", "xlsx"])
    ranking = list(openpyxl.load_workbook(path)["赛马比拼"].iter_rows(values_only=True))
    by_name = {row[2]: row for row in ranking[1:]}
    assert by_name["万州区"][0] in (1, 2) and by_name["涪陵区"][0] in (1, 2)
    assert by_name["黔江区"][0] is None and by_name["黔江区"][3] == "未报送"
    assert len(by_name) == 38


def test_the_pdf_ranking_says_how_many_districts_did_not_report(scored, tmp_path):
    pdf = tmp_path / "2024.pdf"
    runner.invoke(app, ["assess", "report", str(pdf), "--period", "2024", "--format", "pdf"])
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert "36 个区县未报送" in text
