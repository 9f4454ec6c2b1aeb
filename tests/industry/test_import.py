"""Importing series: headers as offices write them, units converted, weeks dated by their
Monday, bad rows refused one by one with the row, field and reason, and a second import of
the same file changing nothing."""

import json
from datetime import date

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.factories import make_place
from tests.industry.factories import CITY, WANZHOU, write_csv, write_xlsx
from yunong.core.scope import Scope
from yunong.industry import importers
from yunong.industry.cli import industry_app
from yunong.industry.models import Observation
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction

PACK = loader.get()
CITY_SCOPE = Scope.system("test")


def stored(session) -> list[tuple[str, str, date, float]]:
    rows = session.scalars(select(Observation).order_by(Observation.series, Observation.period))
    return [(r.series, r.region_code, r.period, round(r.value, 6)) for r in rows]


def run(session, path, scope=CITY_SCOPE):
    return importers.import_file(session, scope=scope, path=path, pack=PACK)


def test_units_are_converted_and_weeks_dated_by_their_monday(session, tmp_path):
    make_place(session)
    path = write_csv(
        tmp_path / "prices.csv",
        [
            ["2024-03-06", "生猪价格", "500101", "7.5", "元/斤", "畜牧站"],
            ["2024/3/10", "玉米价格", "重庆市", "2.6", "元/公斤", ""],
            ["2024年3月15日", "能繁母猪存栏", "万州区", "52000", "头", ""],
            ["2024-04", "蔬菜产量", "500101000000", "3000", "吨", ""],
        ],
    )
    result = run(session, path)
    assert (result.imported, result.rejected) == (4, 0)
    assert stored(session) == [
        ("corn_price", CITY, date(2024, 3, 4), 2.6),
        ("pig_price", WANZHOU, date(2024, 3, 4), 15.0),
        ("sow_stock", WANZHOU, date(2024, 3, 1), 5.2),
        ("vegetable_output", WANZHOU, date(2024, 4, 1), 0.3),
    ]


def test_bad_rows_are_refused_with_row_field_and_reason_and_good_rows_kept(session, tmp_path):
    make_place(session)
    path = write_csv(
        tmp_path / "bad.csv",
        [
            ["2024-03-04", "生猪价格", "500101", "15", "", ""],
            ["2024-13-40", "生猪价格", "500101", "15", "", ""],
            ["2024-03-04", "牛肉价格", "500101", "15", "", ""],
            ["2024-03-04", "生猪价格", "火星区", "15", "", ""],
            ["2024-03-04", "生猪价格", "500101", "十五", "", ""],
            ["2024-03-04", "生猪价格", "500101", "-1", "", ""],
            ["2024-03-04", "生猪价格", "500101", "15", "万头", ""],
            ["2024-03-05", "生猪价格", "500101", "16", "", ""],
            ["2024-03-04", "生猪价格", "999999", "15", "", ""],
        ],
    )
    result = run(session, path)
    assert (result.imported, result.rejected) == (1, 8)
    assert [(e.line, e.column, e.reason) for e in result.errors] == [
        (3, "日期", "日期“2024-13-40”无法识别，应如 2024-03-04"),
        (4, "指标", "指标“牛肉价格”不在策略包的产业大脑指标中"),
        (5, "区划", "区划“火星区”不存在，请填区划代码或区县名称"),
        (6, "数值", "数值“十五”不是数字"),
        (7, "数值", "数值“-1”不能为负数"),
        (8, "单位", "单位“万头”不能换算为该指标的单位“元/公斤”"),
        (9, "数值", "与第 2 行是同一指标、区划、周期和来源，数值不同"),
        (10, "区划", "区划代码“999999”不存在"),
    ]


def test_a_district_officer_imports_only_inside_the_district(session, tmp_path):
    make_place(session)
    officer = Scope(actor="officer", region_code=WANZHOU, role="district_officer")
    path = write_csv(
        tmp_path / "two.csv",
        [["2024-03-04", "生猪价格", "万州区", "15", "", ""],
         ["2024-03-04", "生猪价格", "涪陵区", "15", "", ""]],
    )  # fmt: skip
    result = run(session, path, officer)
    assert result.imported == 1
    assert [(e.line, e.reason) for e in result.errors] == [(3, "区划“涪陵区”不在您的管辖范围内")]


def test_xlsx_with_a_title_row_units_in_the_header_and_excel_dates(session, tmp_path):
    make_place(session)
    path = write_xlsx(
        tmp_path / "weekly.xlsx",
        [[date(2024, 3, 7), "生猪价格", "500101", 7.2, "", "x", "备注"],
         ["2024/3/14", "生猪价格", "500101", 7.4, "", "x", ""]],
        header=["日期 ", "指标名称", "区划代码", "数值（元/斤）", "单位", "数据来源", "备注"],
        title="2024 年 3 月生猪价格监测表",
    )  # fmt: skip
    result = run(session, path)
    assert (result.imported, result.rejected) == (2, 0)
    assert stored(session) == [
        ("pig_price", WANZHOU, date(2024, 3, 4), 14.4),
        ("pig_price", WANZHOU, date(2024, 3, 11), 14.8),
    ]


def test_a_gbk_csv_reads_the_same(session, tmp_path):
    make_place(session)
    path = write_csv(
        tmp_path / "gbk.csv", [["2024-03-04", "玉米价格", "万州区", "2.5", "元/千克", "站"]],
        encoding="gbk",
    )  # fmt: skip
    assert run(session, path).imported == 1


def test_a_file_without_the_value_column_is_refused_whole(session, tmp_path):
    make_place(session)
    path = write_csv(tmp_path / "no.csv", [["2024-03-04", "玉米价格", "万州区"]],
                     header=["日期", "指标", "区划"])  # fmt: skip
    with pytest.raises(Exception, match="缺少列：数值"):
        run(session, path)


runner = CliRunner()


@pytest.fixture
def ready(configured):
    with transaction(make_sessionmaker(make_engine(configured))) as session:
        make_place(session)
    return configured


def test_cli_json_counts_and_the_same_file_twice_changes_nothing(ready, tmp_path):
    path = write_csv(
        tmp_path / "prices.csv",
        [["2024-03-04", "生猪价格", "500101", "15", "", "站"],
         ["2024-03-04", "生猪价格", "500101", "abc", "", "站"]],
    )  # fmt: skip
    first = runner.invoke(industry_app, ["import", str(path), "--json"])
    assert first.exit_code == 3, first.output
    assert json.loads(first.stdout) == {
        "imported": 1, "updated": 0, "unchanged": 0, "rejected": 1,
        "errors": [{"row": 3, "field": "数值", "reason": "数值“abc”不是数字"}],
        "alerts": 0,
    }  # fmt: skip
    again = runner.invoke(industry_app, ["import", str(path), "--json"])
    assert json.loads(again.stdout) | {"errors": []} == {
        "imported": 0, "updated": 0, "unchanged": 1, "rejected": 1, "errors": [], "alerts": 0,
    }  # fmt: skip


def test_units_written_in_the_value_cell_and_other_header_names(session, tmp_path):
    make_place(session)
    path = write_csv(
        tmp_path / "cells.csv",
        [["2024-03-04", "生猪价格", "500101", "7.5元/斤", "x"],
         ["2024-03", "能繁母猪存栏", "万州区", "1,200 头", "x"],
         ["2024-03", "能繁母猪存栏", "500102", "96.5%", "x"]],
        header=["监测日期", "监测指标", "行政区划代码", "指标值", "填报单位"],
    )  # fmt: skip
    result = run(session, path)
    assert (result.imported, result.rejected) == (3, 0)
    assert stored(session) == [
        ("pig_price", WANZHOU, date(2024, 3, 4), 15.0),
        ("sow_stock", WANZHOU, date(2024, 3, 1), 0.12),
        ("sow_stock_share", "500102000000", date(2024, 3, 1), 96.5),
    ]
