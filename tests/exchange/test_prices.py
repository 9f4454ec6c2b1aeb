"""The yearly price per 亩 of a district and kind is the total price of its deals dated in that
year over their total area: checked against pandas on a year of random deals."""

import json
import random
from datetime import date

import pandas
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.exchange.factories import deal, deals_workbook
from tests.factories import make_place, make_world
from tests.monitor.factories import headers
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.exchange import deals, prices, rules
from yunong.exchange.cli import exchange_app
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db

DISTRICTS = {"万州区": "500101000000", "涪陵区": "500102000000", "渝中区": "500103000000"}
KINDS = ["土地经营权", "林权", "四荒使用权"]


def random_deals(count: int, seed: int = 7) -> list[list]:
    chance = random.Random(seed)
    return [
        deal(
            f"CQ-{number:05d}",
            kind=chance.choice(KINDS),
            district=chance.choice(list(DISTRICTS)),
            town="",
            area=round(chance.uniform(0.5, 800), 2),
            term=chance.randint(1, 30),
            price=round(chance.uniform(500, 3_000_000), 2),
            day=date(
                chance.choice([2022, 2023, 2023]), chance.randint(1, 12), chance.randint(1, 28)
            ),
        )
        for number in range(count)
    ]


def by_pandas(rows: list[list], year: int) -> list[dict]:
    frame = pandas.DataFrame(
        rows,
        columns=[
            "code",
            "kind",
            "district",
            "town",
            "place",
            "area",
            "term",
            "price",
            "day",
            "buyer",
        ],
    )
    frame = frame[frame["day"].map(lambda day: day.year) == year]
    grouped = frame.groupby(["district", "kind"]).agg(
        deals=("code", "count"), area=("area", "sum"), price=("price", "sum")
    )
    return sorted(
        (
            {
                "region": DISTRICTS[district],
                "kind": kind,
                "deals": int(row.deals),
                "area_mu": round(float(row.area), 4),
                "price_per_mu": round(float(row.price) / float(row.area), 2),
            }
            for (district, kind), row in grouped.iterrows()
        ),
        key=lambda item: (item["region"], item["kind"]),
    )


def test_the_yearly_price_per_mu_equals_total_price_over_total_area(configured, tmp_path):
    with transaction(make_sessionmaker(make_engine(configured))) as session:
        make_place(session)
    rows = random_deals(400)
    path = deals_workbook(tmp_path / "deals.xlsx", rows)
    runner = CliRunner()
    assert runner.invoke(exchange_app, ["import", "deals", str(path), "--json"]).exit_code == 0
    printed = json.loads(runner.invoke(exchange_app, ["prices", "--year", "2023", "--json"]).stdout)
    found = sorted(printed, key=lambda item: (item["region"], item["kind"]))
    expected = by_pandas(rows, 2023)
    assert [{**item, "area_mu": round(item["area_mu"], 4)} for item in found] == expected


def test_a_district_officer_sees_only_the_prices_of_their_district(session, tmp_path):
    make_place(session)
    rows = [deal("CQ-1", district="万州区"), deal("CQ-2", district="涪陵区", town="")]
    deals.import_file(
        session,
        scope=Scope.system("test"),
        path=deals_workbook(tmp_path / "d.xlsx", rows),
        rules=rules.section(),
    )
    wanzhou = Scope(actor="wz", region_code="500101000000", role="district_officer")
    assert [price.region for price in prices.of_year(session, scope=wanzhou, year=2023)] == [
        "500101000000"
    ]


def test_the_prices_page_shows_the_latest_year_by_district_with_its_chart(configured, tmp_path):
    with transaction(make_sessionmaker(make_engine(configured))) as session:
        world = make_world(session)
        deals.import_file(
            session,
            scope=Scope.system("test"),
            path=deals_workbook(tmp_path / "d.xlsx", [deal("CQ-1", area=50, price=100000)]),
            rules=rules.section(),
        )
    with TestClient(create_app(Settings(db_url=configured, var_dir=tmp_path))) as client:
        page = client.get("/exchange/prices", headers=headers(world, Role.CITY_ADMIN))
        refused = client.get("/exchange/prices", headers=headers(world, Role.GRID_WORKER))
    assert page.status_code == 200 and refused.status_code == 403
    assert "万州区" in page.text and "土地经营权" in page.text and "2000.00" in page.text
    assert 'id="price-chart"' in page.text and "/static/exchange.js" in page.text
