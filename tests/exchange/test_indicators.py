"""The exchange's cockpit figures for a year equal a hand count of the deals, 地票 and
payments below (万州区 and 涪陵区, 2024, with rows of 2023 and 2025 that must not count)."""

from datetime import UTC, date, datetime

import pytest

from tests.exchange.factories import closed_listing, stored_deal, ticket_case
from tests.factories import make_place
from yunong.core import indicators
from yunong.core.regions.codes import CITY_CODE, Level
from yunong.exchange import indicators as registered  # noqa: F401  (registers the figures)

pytestmark = pytest.mark.db

WANZHOU, FULING = "500101000000", "500102000000"
TOWN, VILLAGE, FULING_VILLAGE = "500101108000", "500101108201", "500102101201"


@pytest.fixture
def exchange_year(session):
    """万州区 in 2024: deals of 10 and 20.5 亩 recorded (one under a town); listings sold of 5
    亩 and of 3 亩 (closed at 01:00 on 1 January 2024, China time); one unsold; 地票 of 400 m²
    (0.6 亩) issued and sold, 68,850 元 to the farmer, and of 300 m² (0.45 亩) issued in 2023,
    sold in 2024, paid in 2025. 涪陵区: a deal of 7 亩 and a 地票 of 150 m² issued, unsold."""
    make_place(session)
    stored_deal(session, "W1", region=WANZHOU, area=10, day=date(2024, 3, 1))
    stored_deal(session, "W2", region=TOWN, area=20.5, day=date(2024, 12, 31))
    stored_deal(session, "W0", region=WANZHOU, area=99, day=date(2023, 12, 31))
    stored_deal(session, "F1", region=FULING, area=7, day=date(2024, 6, 1))
    closed_listing(
        session, "L1", region=VILLAGE, area=5, closed_at=datetime(2024, 5, 1, 2, tzinfo=UTC)
    )
    closed_listing(
        session, "L3", region=VILLAGE, area=3, closed_at=datetime(2023, 12, 31, 17, tzinfo=UTC)
    )
    closed_listing(
        session,
        "L2",
        region=VILLAGE,
        area=50,
        status="unsold",
        closed_at=datetime(2024, 5, 1, 2, tzinfo=UTC),
    )
    sold_ticket = closed_listing(
        session,
        "LT1",
        region=VILLAGE,
        area=0.6,
        kind="land_ticket",
        closed_at=datetime(2024, 8, 1, 2, tzinfo=UTC),
    )
    ticket_case(
        session,
        "H1",
        region=VILLAGE,
        holder="HH1",
        step="paid",
        accepted_m2=400,
        issued_on=date(2024, 7, 1),
        listing=sold_ticket,
        paid=[("farmer", 68850, date(2024, 8, 10)), ("collective", 39150, date(2024, 8, 10))],
    )
    late_ticket = closed_listing(
        session,
        "LT2",
        region=VILLAGE,
        area=0.45,
        kind="land_ticket",
        closed_at=datetime(2024, 1, 10, 2, tzinfo=UTC),
    )
    ticket_case(
        session,
        "H2",
        region=VILLAGE,
        holder="HH2",
        step="paid",
        accepted_m2=300,
        issued_on=date(2023, 11, 1),
        listing=late_ticket,
        paid=[("farmer", 50000, date(2025, 1, 5))],
    )
    ticket_case(
        session,
        "H3",
        region=FULING_VILLAGE,
        holder="HH3",
        step="issued",
        accepted_m2=150,
        issued_on=date(2024, 3, 1),
    )
    return session


def figures(session, name, level=Level.DISTRICT):
    compute = indicators.get(name)
    assert compute is not None
    found = compute(session, period=2024, level=level, under=CITY_CODE)
    return {code: round(measure.value, 4) for code, measure in found.items()}


def test_deals_of_the_year_count_recorded_deals_and_listings_sold_on_the_platform(exchange_year):
    assert figures(exchange_year, "exchange.deals") == {WANZHOU: 6, FULING: 1}


def test_the_deal_area_sums_the_area_of_those_deals_in_mu(exchange_year):
    assert figures(exchange_year, "exchange.deal_area") == {WANZHOU: 39.55, FULING: 7}
    assert figures(exchange_year, "exchange.deal_area", Level.CITY) == {CITY_CODE: 46.55}


def test_land_tickets_issued_count_the_accepted_area_of_tickets_issued_in_the_year(exchange_year):
    assert figures(exchange_year, "exchange.land_tickets_issued") == {WANZHOU: 0.6, FULING: 0.225}


def test_land_tickets_traded_count_the_tickets_sold_in_the_year(exchange_year):
    assert figures(exchange_year, "exchange.land_tickets_traded") == {WANZHOU: 1.05}


def test_proceeds_to_farmers_sum_the_farmers_payments_of_the_year_in_wan_yuan(exchange_year):
    assert figures(exchange_year, "exchange.proceeds_to_farmers") == {WANZHOU: 6.885}
