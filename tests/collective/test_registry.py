"""三资 registry and 清产核资: funds and assets get a 财 code, a land resource keeps its parcel's
地 code, and a stock-take sets each category's registered book values against the balance of
the account the pack names for it, listing the differences."""

import json
from datetime import date
from decimal import Decimal

import pytest

from tests.collective.factories import RULES, SYSTEM, make_org, write_book
from tests.factories import make_place
from yunong.collective import disclosure, importer, registry
from yunong.core.errors import Conflict, InvalidValue
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind

pytestmark = pytest.mark.db


def add(session, org, category, name, value="0", **fields):
    return registry.add(
        session,
        scope=SYSTEM,
        org=org,
        item_in=registry.ItemIn(category=category, name=name, book_value=Decimal(value), **fields),
        rules=RULES,
    )


def test_funds_and_assets_get_a_fund_code_and_a_parcel_keeps_its_land_code(session):
    place = make_place(session)
    org = make_org(session, place.village)
    account = add(session, org, "银行存款", "农商行基本户", "1000")
    parcel = identity.create(
        session,
        scope=SYSTEM,
        kind=Kind.LAND,
        region_code=place.village,
        entity_type="parcel",
        entity_id="parcel-1",
    )
    land = add(session, org, "土地", "村集体鱼塘", area_m2=6667, parcel_code=parcel)
    assert account.code.startswith("F" + place.village)
    assert (land.code, land.parcel_code) == (parcel, parcel)
    with pytest.raises(Conflict):
        add(session, org, "土地", "村集体鱼塘（重复）", parcel_code=parcel)


def test_only_resources_link_to_parcels_and_depreciating_assets_need_a_life(session):
    place = make_place(session)
    org = make_org(session, place.village)
    with pytest.raises(InvalidValue) as refused:
        add(session, org, "固定资产", "办公楼", "300000", depreciation_method="straight_line")
    assert refused.value.message == "计提折旧的资产应填写使用年限（年，大于 0）"
    with pytest.raises(InvalidValue) as refused:
        add(session, org, "三资", "不知所云")
    assert "三资类别“三资”不在策略包中" in refused.value.message


def test_the_stock_take_lists_the_categories_whose_books_differ(session, tmp_path):
    place = make_place(session)
    org = make_org(session, place.village)
    importer.import_vouchers(
        session, scope=SYSTEM, org=org, path=write_book(tmp_path / "凭证.xlsx"), rules=RULES
    )
    # The books at 2024-12-31: 库存现金 1,200.00, 银行存款 424,145.00, 固定资产 800,000.00.
    add(session, org, "库存现金", "出纳保管", "1200")
    add(session, org, "银行存款", "农商行基本户", "424145")
    add(
        session,
        org,
        "固定资产",
        "村办公楼",
        "750000",
        acquired_on=date(2015, 5, 1),
        depreciation_method="straight_line",
        useful_life_years=30,
    )
    # acquired after the stock-take's day: not counted in it
    add(session, org, "固定资产", "新建冷库", "90000", acquired_on=date(2025, 3, 1))
    taken = registry.take_stock(session, scope=SYSTEM, org=org, on=date(2024, 12, 31), rules=RULES)
    rows = {row["account"]: row for row in json.loads(taken.content)}
    assert rows["101"]["difference"] == 0.0
    assert rows["102"]["difference"] == 0.0
    assert (rows["151"]["registry"], rows["151"]["books"], rows["151"]["difference"]) == (
        750000.0,
        800000.0,
        -50000.0,
    )
    assert taken.differences == 1
    with pytest.raises(Conflict):
        registry.take_stock(session, scope=SYSTEM, org=org, on=date(2024, 12, 31), rules=RULES)


def test_the_disclosure_lists_the_registered_resources(session, tmp_path):
    place = make_place(session)
    org = make_org(session, place.village)
    importer.import_vouchers(
        session, scope=SYSTEM, org=org, path=write_book(tmp_path / "凭证.xlsx"), rules=RULES
    )
    add(session, org, "林地", "后山集体林", "0", area_m2=200000)
    made = disclosure.generate(session, scope=SYSTEM, org=org, period="2024Q4", rules=RULES)
    [resources] = [c for c in json.loads(made.content)["categories"] if c["name"] == "资源"]
    assert resources["items"] == [{"label": "后山集体林（林地，300.00 亩）", "amount": 0.0}]
