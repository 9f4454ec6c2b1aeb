"""The quarterly price index of a district follows the quality-adjusted price: on deals whose
true price rises 10% a quarter while the parcels grow larger, the index reads 110, 121 …
where the raw average falls; a quarter with too few deals carries the previous value."""

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.exchange.factories import COUNTS, constructed_deals
from tests.factories import make_place
from yunong.core.scope import OutOfScope, Scope
from yunong.exchange import index, rules
from yunong.exchange.cli import exchange_app
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db

WANZHOU = "500101000000"


@pytest.fixture
def indexed(session):
    make_place(session)
    constructed_deals(session)
    return index.quarterly(
        session, scope=Scope.system("t"), district="500101", kind=None, rules=rules.section()
    )


def test_the_index_follows_the_quality_adjusted_price_as_the_mix_of_deals_changes(indexed):
    fitted = {point.quarter: point.index for point in indexed if not point.stale}
    expected = {"2023Q1": 100, "2023Q2": 110, "2023Q4": 133.1, "2024Q1": 146.41}
    assert fitted == pytest.approx(expected, rel=0.02)


def test_the_raw_average_price_falls_although_the_adjusted_price_rises(session):
    make_place(session)
    constructed_deals(session)
    found = index.sales(session, scope=Scope.system("t"), district=WANZHOU, kind="land_management")
    first = [sale.price_per_mu_year for sale in found if sale.quarter == "2023Q1"]
    last = [sale.price_per_mu_year for sale in found if sale.quarter == "2024Q1"]
    raw_change = (sum(last) / len(last)) / (sum(first) / len(first))
    assert raw_change < 1


def test_a_quarter_with_too_few_deals_carries_the_previous_value_and_is_flagged(indexed):
    third = next(point for point in indexed if point.quarter == "2023Q3")
    second = next(point for point in indexed if point.quarter == "2023Q2")
    assert third.stale and third.deals == 3 and third.index == second.index
    assert [point.quarter for point in indexed if point.stale] == ["2023Q3"]


def test_a_district_officer_cannot_read_the_index_of_another_district(session):
    make_place(session)
    fuling = Scope(actor="fl", region_code="500102000000", role="district_officer")
    with pytest.raises(OutOfScope):
        index.quarterly(session, scope=fuling, district=WANZHOU, kind=None, rules=rules.section())


def test_the_index_command_prints_the_quarters_as_json(configured):
    with transaction(make_sessionmaker(make_engine(configured))) as session:
        make_place(session)
        constructed_deals(session)
    result = CliRunner().invoke(exchange_app, ["index", "--district", "500101", "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert [row["quarter"] for row in printed] == list(COUNTS)
    assert printed[0] == {"quarter": "2023Q1", "index": 100.0, "deals": 12, "stale": False}
    assert printed[2]["stale"] is True and printed[2]["index"] == printed[1]["index"]


def test_the_public_index_page_shows_the_chart_table_and_stale_note_without_login(
    configured, tmp_path
):
    with transaction(make_sessionmaker(make_engine(configured))) as session:
        make_place(session)
        constructed_deals(session)
    with TestClient(create_app(Settings(db_url=configured, var_dir=tmp_path))) as client:
        page = client.get("/exchange/index?district=500101000000")
        unknown = client.get("/exchange/index?district=500199000000")
    assert page.status_code == 200
    assert 'id="index-chart"' in page.text and "/static/vendor/echarts.min.js" in page.text
    assert "2023Q3" in page.text and "成交不足，沿用上期" in page.text
    assert "万州区" in page.text
    assert unknown.status_code == 404
