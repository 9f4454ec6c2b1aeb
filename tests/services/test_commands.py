"""`yunong services …` from the command line: imports in the issue's JSON with exit code 3,
a day's dispatch in the issue's JSON, confirmed, done, and the work on both parcels."""

import json

import pytest
from typer.testing import CliRunner

from tests.factories import make_place
from tests.services.factories import MACHINE_HEADER, ORDER_HEADER, two_parcels, write_csv
from yunong.cli import app
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.services import dispatch, indicators
from yunong.services.solver import CAPACITY_EXHAUSTED, NO_MACHINE, OUTSIDE_WINDOW
from yunong.store.db import make_engine, make_sessionmaker, transaction

runner = CliRunner()


@pytest.fixture
def ready(configured, tmp_path):
    engine = make_engine(configured)
    with transaction(make_sessionmaker(engine)) as session:
        place = make_place(session)
        parcels = [p.code for p in two_parcels(session, place, tmp_path)]
    yield engine, place, parcels
    engine.dispose()


def test_a_day_is_dispatched_confirmed_and_done_on_both_parcels(ready, tmp_path):
    engine, place, parcels = ready
    v = place.village
    machines = write_csv(
        tmp_path / "m.csv",
        MACHINE_HEADER,
        [
            ["J1", "联合收割机", 40, 108.40, 30.80, "龙沙农机合作社", v],
            ["J2", "联合收割机", 30, 108.50, 30.80, "龙沙农机合作社", v],
            ["J9", "挖掘机", 30, 108.50, 30.80, "龙沙农机合作社", v],
        ],
    )
    imported = runner.invoke(app, ["services", "import", "machines", str(machines), "--json"])
    assert imported.exit_code == 3, imported.output
    assert json.loads(imported.stdout)["machines"] == {"imported": 2, "unchanged": 0, "rejected": 1}
    orders = write_csv(
        tmp_path / "o.csv",
        ORDER_HEADER,
        [
            ["D1", "收获", "", "2026-09-14", "2026-09-16", "", "", "、".join(parcels), v],
            ["D2", "收获", 20, "2026-09-15", "2026-09-15", 108.41, 30.80, "", v],
            ["D3", "收获", 25, "2026-09-15", "2026-09-15", 108.49, 30.80, "", v],
            ["D4", "插秧", 5, "2026-09-15", "2026-09-15", 108.49, 30.80, "", v],
            ["D5", "收获", 5, "2026-09-16", "2026-09-18", 108.49, 30.80, "", v],
            ["D6", "收获", 10, "2026-09-15", "2026-09-15", 108.45, 30.80, "", v],
        ],
    )
    assert runner.invoke(app, ["services", "import", "orders", str(orders)]).exit_code == 0
    again = runner.invoke(app, ["services", "import", "orders", str(orders), "--json"])
    assert json.loads(again.stdout) == {
        "orders": {"imported": 0, "unchanged": 6, "rejected": 0},
        "errors": [],
    }

    elsewhere = ["services", "dispatch", "--date", "2026-09-15", "--region", "500102", "--json"]
    assert json.loads(runner.invoke(app, elsewhere).stdout) == {"assignments": [], "unassigned": []}
    result = runner.invoke(app, ["services", "dispatch", "--date", "2026-09-15", "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert set(plan) == {"assignments", "unassigned"}
    given = {a["order"]: a["machine"] for a in plan["assignments"]}
    # 73 亩 of 收获 (D1 18 on the two parcels, D2 20, D3 25, D6 10) for 40 + 30 亩 of
    # capacity: the most area is 63 (D1 and D2 on J1, D3 on J2), and D6 finds no room.
    assert given == {"D1": "J1", "D2": "J1", "D3": "J2"}
    assert all(isinstance(a["distance_km"], float) for a in plan["assignments"])
    assert plan["unassigned"] == [
        {"order": "D4", "reason": NO_MACHINE},
        {"order": "D5", "reason": OUTSIDE_WINDOW},
        {"order": "D6", "reason": CAPACITY_EXHAUSTED},
    ]
    assert runner.invoke(app, ["services", "confirm", "--date", "2026-09-15"]).exit_code == 0
    done = runner.invoke(app, ["services", "done", "D1", "--date", "2026-09-15"])
    assert done.exit_code == 0, done.output
    with transaction(make_sessionmaker(engine)) as session:
        for code in parcels:
            events = dispatch.parcel_events(session, scope=Scope.system(), parcel_code=code)
            assert [(e.operation, str(e.done_on), e.machine_code) for e in events] == [
                ("收获", "2026-09-15", "J1")
            ]
        # The cockpit's figures: 18 亩 harvested in the district, 1 of its 6 orders done.
        district = place.district
        served = indicators.area_served(session, period=2026, level=Level.DISTRICT, under=district)
        assert served[district].value == pytest.approx(18)
        coverage = indicators.machinery_coverage(
            session, period=2026, level=Level.DISTRICT, under=district
        )
        assert (coverage[district].numerator, coverage[district].denominator) == (1, 6)


def test_a_bad_date_is_one_chinese_line_without_a_traceback(ready):
    result = runner.invoke(app, ["services", "dispatch", "--date", "2026/09/15"])
    assert result.exit_code == 1
    assert "应为 YYYY-MM-DD" in result.output and "Traceback" not in result.output
