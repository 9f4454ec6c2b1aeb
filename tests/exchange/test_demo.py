"""The demo's deals: every district has deals in both years, and the prices page reads them."""

import pytest
from sqlalchemy import func, select

from yunong.core.regions import codes
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.exchange import prices
from yunong.exchange.models import Certificate, Deal, Listing, Registration
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.db


def test_every_demo_district_has_deals_in_2023_and_2024_with_prices(tiny_demo_url):
    engine = make_engine(tiny_demo_url)
    with transaction(make_sessionmaker(engine)) as session:
        districts = set(
            session.scalars(select(Region.code).where(Region.level == int(codes.Level.DISTRICT)))
        )
        with_deals = set(session.scalars(select(Deal.region_code).distinct()))
        deal_count = session.scalar(select(func.count()).select_from(Deal))
        priced = prices.of_year(session, scope=Scope.system("test"), year=2024)
    engine.dispose()
    assert with_deals == districts and len(districts) == 38
    assert deal_count == 38 * 2 * 12
    assert {price.region for price in priced} == districts
    assert all(price.price_per_mu > 0 for price in priced)


def test_the_demo_producer_won_last_weeks_auction_and_may_bid_in_this_weeks(tiny_demo_url):
    engine = make_engine(tiny_demo_url)
    with transaction(make_sessionmaker(engine)) as session:
        listings = {
            item.code: item for item in session.scalars(select(Listing).order_by(Listing.code))
        }
        certified = session.scalars(select(Certificate.listing_id)).all()
        qualified = session.scalars(
            select(Registration.qualified).where(
                Registration.listing_id == listings["WZ-TD-DEMO-0002"].id
            )
        ).all()
    engine.dispose()
    sold, live = listings["WZ-TD-DEMO-0001"], listings["WZ-TD-DEMO-0002"]
    assert (sold.status, sold.price_yuan) == ("sold", 108000) and certified == [sold.id]
    assert live.status == "open" and qualified == [True]
