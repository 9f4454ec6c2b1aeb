"""Warnings raised by the import itself and listed by `yunong industry alerts --json`: one
per week (or month) and rule while the condition holds, in the shape the issue gives."""

import json

import pytest
from typer.testing import CliRunner

from tests.factories import make_place
from tests.industry.factories import CITY, ratio_rows, week, write_csv
from yunong.industry.cli import industry_app
from yunong.store.db import make_engine, make_sessionmaker, transaction

runner = CliRunner()


@pytest.fixture
def ready(configured):
    with transaction(make_sessionmaker(make_engine(configured))) as session:
        make_place(session)
    return configured


def alerts(*options: str) -> list[dict]:
    result = runner.invoke(industry_app, ["alerts", *options, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def imported(path) -> dict:
    result = runner.invoke(industry_app, ["import", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_weekly_series_gives_the_pig_grain_levels_week_by_week(ready, tmp_path):
    ratios = [6.5, 6.0, 5.9, 5.0, 5.5, 4.8, 5.2, 5.3, 5.4, 6.1]
    path = write_csv(tmp_path / "ratio.csv", ratio_rows(ratios))
    assert imported(path)["alerts"] == 7
    expected = [(3, 3), (4, 3), (5, 2), (6, 1), (7, 3), (8, 3), (9, 2)]
    assert alerts() == [
        {"date": week(n).isoformat(), "indicator": "猪粮比价", "region": CITY, "level": level,
         "rule": "pig_grain"}
        for n, level in expected
    ]  # fmt: skip
    assert alerts("--since", week(7).isoformat(), "--chain", "生猪") == alerts()[4:]
    assert alerts("--chain", "柑橘") == []
    # Re-importing changes no warning; a corrected week clears its own.
    assert imported(path)["alerts"] == 7
    fix = write_csv(
        tmp_path / "fix.csv", [[week(6).isoformat(), "生猪价格", "重庆市", "16", "", "测试"]]
    )
    assert imported(fix)["updated"] == 1
    assert [(row["date"], row["level"]) for row in alerts()][3:6] == [
        (week(7).isoformat(), 3), (week(8).isoformat(), 3), (week(9).isoformat(), 2)
    ]  # fmt: skip


def test_a_sow_stock_series_gives_its_colour_each_month(ready, tmp_path):
    stocks = {"2024-01": 100, "2024-02": 92, "2024-03": 90, "2024-04": 84, "2024-05": 106,
              "2024-06": 111}  # fmt: skip
    rows = [[month, "能繁母猪存栏", "重庆市", value, "万头", ""] for month, value in stocks.items()]
    imported(write_csv(tmp_path / "sows.csv", rows))
    assert [(row["date"], row["level"], row["rule"]) for row in alerts()] == [
        ("2024-01-01", "绿", "sow_stock"), ("2024-02-01", "绿", "sow_stock"),
        ("2024-03-01", "黄", "sow_stock"), ("2024-04-01", "红", "sow_stock"),
        ("2024-05-01", "黄", "sow_stock"), ("2024-06-01", "红", "sow_stock"),
    ]  # fmt: skip


def test_basket_floors_warn_when_the_pace_falls_short(ready, tmp_path):
    rows = [["2024-01", "生猪出栏量", "万州区", 1_000_000, "头", ""],
            ["2024-01", "生猪出栏量", "涪陵区", 400_000, "头", ""]]  # fmt: skip
    imported(write_csv(tmp_path / "pigs.csv", rows))
    assert alerts("--chain", "生猪") == [
        {"date": "2024-01-01", "indicator": "生猪出栏量", "region": CITY, "level": 2,
         "rule": "floors"}
    ]  # fmt: skip


def test_an_unknown_chain_is_refused_in_chinese(ready):
    result = runner.invoke(industry_app, ["alerts", "--chain", "牛羊", "--json"])
    assert result.exit_code == 1
    assert "产业链“牛羊”不存在" in result.output


def test_a_ratio_reported_directly_is_judged_the_same(ready, tmp_path):
    ratios = [5.9, 5.8, 5.7, 6.0, 4.95]
    rows = [[week(n).isoformat(), "猪粮比价", "万州区", r, "", ""] for n, r in enumerate(ratios, 1)]
    imported(write_csv(tmp_path / "ratio.csv", rows))
    assert [(row["date"], row["level"], row["region"]) for row in alerts()] == [
        (week(1).isoformat(), 3, "500101000000"), (week(2).isoformat(), 3, "500101000000"),
        (week(3).isoformat(), 2, "500101000000"), (week(5).isoformat(), 1, "500101000000"),
    ]  # fmt: skip


def test_sow_stock_in_percent_of_the_normal_holding_gives_a_district_its_colours(ready, tmp_path):
    rows = [["2024-01", "能繁母猪存栏", "万州区", "104.9", "%", ""],
            ["2024-02", "能繁母猪存栏占正常保有量", "万州区", "84.9", "", ""],
            ["2024-03", "能繁母猪存栏率", "万州区", "110", "%", ""]]  # fmt: skip
    imported(write_csv(tmp_path / "share.csv", rows))
    assert [(row["date"], row["level"], row["indicator"]) for row in alerts()] == [
        ("2024-01-01", "绿", "能繁母猪存栏"), ("2024-02-01", "红", "能繁母猪存栏"),
        ("2024-03-01", "黄", "能繁母猪存栏"),
    ]  # fmt: skip
