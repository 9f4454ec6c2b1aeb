"""Machines and orders from service centres' tables: refused row by row with line, column and
reason, the rest imported, the same file twice changes nothing."""

import pytest

from tests.factories import make_place
from tests.services.factories import (
    MACHINE_HEADER,
    ORDER_HEADER,
    SERVICES,
    two_parcels,
    write_csv,
)
from yunong.core.scope import Scope
from yunong.services import importers
from yunong.services.models import Machine, Order, OrderParcel

pytestmark = pytest.mark.db
SYSTEM = Scope.system()


def test_machines_are_registered_and_bad_rows_refused_with_their_reason(session, tmp_path):
    place = make_place(session)
    rows = [
        ["J001", "联合收割机", 60, 108.38, 30.81, "龙沙农机合作社", place.village],
        ["J002", "植保无人机", 300, 108.39, 30.80, "龙沙农机合作社", place.village],
        ["J003", "挖掘机", 60, 108.38, 30.81, "龙沙农机合作社", place.village],
        ["J004", "拖拉机", "很多", 108.38, 30.81, "龙沙农机合作社", place.village],
        ["J005", "拖拉机", 40, 120.0, 30.81, "龙沙农机合作社", place.village],
        ["J006", "拖拉机", 40, 108.38, 30.81, "龙沙农机合作社", "500101999999"],
        ["J007", "拖拉机", 40, 108.38, 30.81, "龙沙农机合作社", "500101"],
    ]
    path = write_csv(tmp_path / "machines.csv", MACHINE_HEADER, rows, encoding="gbk")
    tally = importers.import_machines(session, scope=SYSTEM, path=path, rules=SERVICES)
    kinds = "、".join(SERVICES.machine_types)
    assert tally.as_json("machines") == {
        "machines": {"imported": 3, "unchanged": 0, "rejected": 4},
        "errors": [
            {"row": 4, "reason": f"类型：“挖掘机”不是策略包中的机具类型（{kinds}）"},
            {"row": 5, "reason": "作业能力(亩/天)：“很多”应为数字"},
            {"row": 6, "reason": "经度：120.0 不在重庆范围内（105.0–110.5）"},
            {"row": 7, "reason": "区划代码：区划代码“500101999999”不存在或不在您的管辖范围内"},
        ],
    }
    again = importers.import_machines(session, scope=SYSTEM, path=path, rules=SERVICES)
    assert (again.imported, again.unchanged, again.rejected) == (0, 3, 4)
    # A district's 6-digit code is read as its 12-digit form.
    assert session.query(Machine).filter_by(code="J007").one().region_code == "500101000000"


def test_orders_from_parcels_take_their_area_and_position(session, tmp_path):
    place = make_place(session)
    first, second = two_parcels(session, place, tmp_path)
    rows = [
        ["D001", "收获", "", "2026-09-10", "2026-09-20", "", "", f"{first.code}、{second.code}",
         place.village],
        ["D002", "耕整地", 12.5, "2026-09-10", "2026-09-20", 108.38, 30.81, "", place.village],
        ["D003", "收获", 5, "2026-09-20", "2026-09-10", 108.38, 30.81, "", place.village],
        ["D004", "收获", 5, "2026/9/10", "2026-09-20", 108.38, 30.81, "", place.village],
        ["D005", "割草", 5, "2026-09-10", "2026-09-20", 108.38, 30.81, "", place.village],
        ["D006", "收获", 5, "2026-09-10", "2026-09-20", "", "", "", place.village],
    ]  # fmt: skip
    path = write_csv(tmp_path / "orders.csv", ORDER_HEADER, rows)
    tally = importers.import_orders(session, scope=SYSTEM, path=path, rules=SERVICES)
    operations = "、".join(SERVICES.operations)
    assert tally.as_json("orders") == {
        "orders": {"imported": 2, "unchanged": 0, "rejected": 4},
        "errors": [
            {"row": 4, "reason": "最晚日期：2026-09-10 早于最早日期 2026-09-20"},
            {"row": 5, "reason": "最早日期：“2026/9/10”应为 YYYY-MM-DD"},
            {"row": 6, "reason": f"作业类型：“割草”不是策略包中的作业类型（{operations}）"},
            {"row": 7, "reason": "地块编码：应填地块编码，或填经度和纬度"},
        ],
    }
    order = session.query(Order).filter_by(code="D001").one()
    assert order.area_mu == pytest.approx(18)  # two parcels of 6,000 m², 9 亩 each
    assert 108 < order.longitude < 109 and 30 < order.latitude < 32
    assert session.query(OrderParcel).filter_by(order_id=order.id).count() == 2
    again = importers.import_orders(session, scope=SYSTEM, path=path, rules=SERVICES)
    assert (again.imported, again.unchanged, again.rejected) == (0, 2, 4)
