"""`yunong import households`, `yunong monitor screen` and `yunong monitor ledger`."""

import json

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.factories import make_place
from tests.monitor.test_import import household, write_csv
from yunong.cli import app
from yunong.store.db import make_engine, make_sessionmaker, transaction

runner = CliRunner()


@pytest.fixture
def ready(configured):
    with transaction(make_sessionmaker(make_engine(configured))) as session:
        make_place(session)
    return configured


def test_json_output_counts_households_persons_and_errors(ready, tmp_path):
    rows = household("0001") + household("0002", income="-1")
    result = runner.invoke(
        app, ["import", "households", str(write_csv(tmp_path, rows)), "--year", "2024", "--json"]
    )
    body = json.loads(result.stdout)
    assert result.exit_code == 3
    assert body["households"] == {"imported": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert body["persons"]["imported"] == 3 and body["persons"]["rejected"] == 3
    assert body["errors"][0] == {
        "row": 5,
        "field": "家庭年纯收入（元）",
        "reason": "金额“-1”不能为负数",
    }


def test_a_clean_file_exits_zero_and_writes_an_empty_report(ready, tmp_path):
    report = tmp_path / "errors.xlsx"
    result = runner.invoke(
        app,
        [
            "import",
            "households",
            str(write_csv(tmp_path, household("1"))),
            "--year",
            "2024",
            "--report",
            str(report),
        ],
    )
    assert result.exit_code == 0
    assert openpyxl.load_workbook(report).active.max_row == 1


def test_the_template_has_every_column_and_a_notes_sheet(tmp_path):
    path = tmp_path / "template.xlsx"
    assert runner.invoke(app, ["import", "households", "--template", str(path)]).exit_code == 0
    workbook = openpyxl.load_workbook(path)
    headers = [cell.value for cell in workbook.worksheets[0][1]]
    assert headers[:5] == ["行政区划代码", "户编号", "姓名", "证件号码", "与户主关系"]
    assert workbook["说明"].max_row == len(headers) + 1


def test_screening_and_the_ledger_from_the_command_line(ready, tmp_path):
    poor = household("0001", income="15000")  # 5,000 per head, under the 6,300 ledger line
    runner.invoke(
        app,
        ["import", "households", str(write_csv(tmp_path, poor + household("2"))), "--year", "2024"],
    )
    screened = json.loads(
        runner.invoke(app, ["monitor", "screen", "--year", "2024", "--json"]).stdout
    )
    assert screened["households"] == 2 and screened["by_risk"]["其他"] == 1
    out = tmp_path / "ledger.xlsx"
    result = runner.invoke(app, ["monitor", "ledger", str(out), "--year", "2024"])
    assert result.exit_code == 0
    rows = list(openpyxl.load_workbook(out).active.values)
    assert len(rows) == 2 and rows[1][3] == "0001"
    assert "*" in rows[1][6] and rows[1][11].startswith("其他")
