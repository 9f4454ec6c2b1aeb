"""Importing the deals recorded before the platform: every bad row refused with its line,
column and reason, the good rows kept, and the same file twice changing nothing."""

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.exchange.factories import deal, deals_workbook
from tests.factories import make_place
from yunong.core.scope import Scope
from yunong.exchange import deals, rules
from yunong.exchange.cli import exchange_app
from yunong.exchange.models import Deal
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.db

CITY = Scope.system("test")


def run(session, path, scope=CITY):
    return deals.import_file(session, scope=scope, path=path, rules=rules.section())


def test_a_good_row_is_stored_with_its_district_town_and_amounts(session, tmp_path):
    place = make_place(session)
    path = deals_workbook(
        tmp_path / "deals.xlsx",
        [deal("CQ-2023-0001", area="1,250.5亩", term="15年", price="1.2万", day="2023年5月6日")],
    )
    result = run(session, path)
    stored = session.scalars(select(Deal)).one()
    assert (result.imported, result.rejected) == (1, 0)
    assert (stored.kind, stored.region_code, stored.town) == (
        "land_management",
        place.town,
        "龙沙镇",
    )
    assert (stored.area_mu, stored.term_years, stored.price_yuan) == (
        Decimal("1250.5"),
        15,
        Decimal("12000"),
    )
    assert stored.deal_date == date(2023, 5, 6)


def test_each_kind_of_mistake_is_refused_with_its_line_column_and_reason(session, tmp_path):
    make_place(session)
    path = deals_workbook(
        tmp_path / "deals.xlsx",
        [
            deal("CQ-1"),
            deal("CQ-2", kind="宅基地"),
            deal("CQ-3", district="万洲区"),
            deal("CQ-4", area="-3"),
            deal("CQ-5", term="5年6个月"),
            deal("CQ-6", price="面议"),
            deal("CQ-7", day="2023-02-30"),
            deal("CQ-1", area=200),
            deal("", price=1),
            deal("CQ-8", term=99),
        ],
    )
    result = run(session, path)
    assert json.loads(json.dumps(result.as_json()))["errors"] == [
        {"row": 4, "reason": "标的类型：标的类型“宅基地”不在策略包的类型中"
         "（土地经营权、集体经营性资产、集体经营性建设用地使用权、林权、四荒使用权、农业设施、地票）"},
        {"row": 5, "reason": "区县：区县“万洲区”不存在，请填区县名称或代码"},
        {"row": 6, "reason": "面积(亩)：面积应大于 0"},
        {"row": 7, "reason": "流转期限(年)：流转期限“5年6个月”不是数字"},
        {"row": 8, "reason": "成交价(元)：金额“面议”无法识别，应为数字，可带“万”“千”"},
        {"row": 9, "reason": "成交日期：日期“2023-02-30”无法识别，应如 2024-03-05"},
        {"row": 10, "reason": "项目编号：与第 3 行的项目编号相同"},
        {"row": 11, "reason": "项目编号：不能为空"},
        {"row": 12, "reason": "流转期限(年)：流转期限应在 1 至 70 年之间，而不是 99"},
    ]  # fmt: skip
    assert (result.imported, result.rejected) == (1, 9)
    assert session.scalar(select(func.count()).select_from(Deal)) == 1


def test_a_land_ticket_needs_no_term(session, tmp_path):
    make_place(session)
    path = deals_workbook(
        tmp_path / "deals.xlsx", [deal("DP-2023-01", kind="地票", term=None, price="20万")]
    )
    assert run(session, path).imported == 1
    assert session.scalars(select(Deal.term_years)).one() is None


def test_a_district_outside_the_callers_scope_is_refused(session, tmp_path):
    make_place(session)
    fuling = Scope(actor="fuling", region_code="500102000000", role="district_officer")
    path = deals_workbook(tmp_path / "deals.xlsx", [deal("CQ-1", district="万州区")])
    result = run(session, path, scope=fuling)
    assert result.as_json()["errors"] == [
        {"row": 3, "reason": "区县：区县“万州区”不在您的管辖范围内"}
    ]


def test_a_deal_imported_again_with_other_content_is_refused_not_overwritten(session, tmp_path):
    make_place(session)
    run(session, deals_workbook(tmp_path / "a.xlsx", [deal("CQ-1", price=80000)]))
    result = run(session, deals_workbook(tmp_path / "b.xlsx", [deal("CQ-1", price=90000)]))
    assert result.as_json()["errors"] == [
        {"row": 3, "reason": "项目编号：项目编号“CQ-1”已导入，以下内容与已有记录不同：成交价(元)"}
    ]
    assert session.scalars(select(Deal.price_yuan)).one() == Decimal("80000")


def test_the_command_imports_once_and_a_second_run_changes_nothing(configured, tmp_path):
    with transaction(make_sessionmaker(make_engine(configured))) as session:
        make_place(session)
    path = deals_workbook(tmp_path / "deals.xlsx", [deal("CQ-1"), deal("CQ-2", area=0)])
    runner = CliRunner()
    first = runner.invoke(exchange_app, ["import", "deals", str(path), "--json"])
    second = runner.invoke(exchange_app, ["import", "deals", str(path), "--json"])
    assert first.exit_code == second.exit_code == 3
    assert json.loads(first.stdout)["deals"] == {"imported": 1, "unchanged": 0, "rejected": 1}
    assert json.loads(second.stdout) == {
        "deals": {"imported": 0, "unchanged": 1, "rejected": 1},
        "errors": [{"row": 4, "reason": "面积(亩)：面积应大于 0"}],
    }


def test_the_land_class_column_is_optional_and_kept_for_the_price_index(session, tmp_path):
    import openpyxl

    make_place(session)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["项目编号", "标的类型", "区县", "面积(亩)", "流转期限(年)", "成交价(元)",
                  "成交日期", "地类"])  # fmt: skip
    sheet.append(["CQ-DL-1", "土地经营权", "万州区", 10, 5, 40000, "2023-05-06", "水田"])
    sheet.append(["CQ-DL-2", "土地经营权", "万州区", 10, 5, 30000, "2023-05-06", ""])
    book.save(tmp_path / "classes.xlsx")
    first = run(session, tmp_path / "classes.xlsx")
    again = run(session, tmp_path / "classes.xlsx")
    stored = dict(session.execute(select(Deal.project_code, Deal.land_class)).tuples().all())
    assert stored == {"CQ-DL-1": "水田", "CQ-DL-2": None}
    assert (first.imported, again.unchanged, again.rejected) == (2, 2, 0)
