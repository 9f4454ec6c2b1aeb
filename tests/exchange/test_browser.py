"""产权交易 in headless Chromium on a phone: the public price index draws its chart with the
stale quarter noted, and the farmer reads their 地票 and its payment, neither scrolling
sideways."""

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from tests.browser import PHONE, browser_page, log_in, served
from tests.exchange.factories import closed_listing, constructed_deals, ticket_case
from tests.factories import PASSWORD, make_world
from yunong.core.auth.roles import Role
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.browser

SIDEWAYS = "document.documentElement.scrollWidth > window.innerWidth"


@pytest.fixture(scope="module")
def world(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        constructed_deals(session)
        village = built.place.village
        listing = closed_listing(
            session,
            "DP-PHONE",
            region=village,
            area=0.6,
            kind="land_ticket",
            closed_at=datetime(2024, 8, 1, 2, tzinfo=UTC),
        )
        ticket_case(
            session,
            "PHONEHOME001",
            region=village,
            holder=built.code_in_village,
            step="paid",
            accepted_m2=400,
            issued_on=date(2024, 7, 1),
            listing=listing,
            paid=[("farmer", 68850, date(2024, 8, 10))],
        )
    engine.dispose()
    return built


@pytest.fixture(scope="module")
def server(module_db_url, world, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


def test_the_public_index_draws_its_chart_on_a_phone_without_login(server, world):
    with browser_page(server, PHONE) as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto("/exchange/index?district=500101000000")
        expect(page.locator("#index-chart")).to_have_attribute("data-drawn", "true")
        expect(page.locator("tbody tr").nth(2)).to_contain_text("成交不足，沿用上期")
        assert not page.evaluate(SIDEWAYS) and errors == []


def test_the_farmer_reads_their_land_ticket_and_payment_on_a_phone(server, world):
    with browser_page(server, PHONE) as page:
        log_in(page, world.accounts[Role.FARMER].name, PASSWORD)
        page.goto("/exchange/my-tickets")
        expect(page.locator("section.card")).to_contain_text("PHONEHOME001")
        expect(page.locator("section.card")).to_contain_text("68850.00")
        assert not page.evaluate(SIDEWAYS)
