"""Demo data of 产权交易: two years (2023, 2024) of deals in every district, at prices around
what Chongqing's exchanges report (land management rights a few hundred 元 per 亩 a year over
the term; 地票 about 20 万元 per 亩), the same at every scale; and in the demo village an
auction sold last week, with its certificate, and a live one the demo producer is registered
and qualified to bid in for the coming week."""

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from yunong.core.auth.models import User
from yunong.core.auth.roles import Role
from yunong.core.regions import codes
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.demo.users import demo_regions
from yunong.exchange import auction
from yunong.exchange.models import Deal
from yunong.policy.schema import Pack
from yunong.store.base import utcnow
from yunong.store.db import make_sessionmaker, transaction

if TYPE_CHECKING:
    from yunong.demo.steps import Context

YEARS = (2023, 2024)
DEALS_PER_YEAR = 12
"""Deals of one district in one year."""
KINDS = {
    # kind: (area range in 亩, term range in years, price range in 元 per 亩 per year or, with
    # no term, per 亩)
    "land_management": ((5, 600), (5, 15), (300, 1200)),
    "forest": ((20, 2000), (10, 30), (30, 150)),
    "wasteland": ((10, 500), (10, 30), (20, 100)),
    "facilities": ((1, 20), (3, 10), (1000, 5000)),
    "land_ticket": ((1, 30), None, (180_000, 220_000)),
}
DEMO_BUYER_CODE = "91500101MA0000001Y"
"""A well-formed 统一社会信用代码 of the demo producer's company."""
BUYERS = ("重庆渝丰农业开发有限公司", "山城柑橘专业合作社", "三峡生态林业有限公司", "巴渝家庭农场")


def step(context: "Context") -> None:
    with transaction(make_sessionmaker(context.engine)) as session:
        districts = list(
            session.scalars(
                select(Region.code)
                .where(Region.level == int(codes.Level.DISTRICT))
                .order_by(Region.code)
            )
        )
        rows = deal_rows(districts, seed=context.seed)
        session.execute(insert(Deal), rows)
        create_auctions(session, village=demo_regions(session)["village"], pack=context.pack)
    context.progress("产权交易", 1, 1)


def create_auctions(session: Session, *, village: str, pack: Pack) -> None:
    """One auction the demo producer won last week, and one open for the coming week."""
    assert pack.exchange is not None
    rules, now = pack.exchange, utcnow()
    system = Scope.system("demo")
    user = session.scalars(select(User).where(User.role == Role.PRODUCER.value)).first()
    if user is None:
        return
    buyer = Scope(actor=user.name, region_code=user.region_code, role=user.role, user_id=user.id)
    for code, title, start, end in (
        (
            "WZ-TD-DEMO-0001",
            "耕地经营权 10 年（已成交）",
            now - timedelta(days=9),
            now - timedelta(days=8),
        ),
        ("WZ-TD-DEMO-0002", "耕地经营权 10 年", now - timedelta(hours=1), now + timedelta(days=7)),
    ):
        listing = auction.create_listing(
            session,
            scope=system,
            listing_in=auction.ListingIn(
                code=code,
                kind="land_management",
                title=title,
                region_code=village,
                seller="村股份经济合作联合社",
                area_mu=Decimal("86.5"),
                reserve_yuan=Decimal("100000"),
                increment_yuan=Decimal("1000"),
                deposit_yuan=Decimal("5000"),
                starts_at=start,
                ends_at=end,
                term_years=10,
                rights_start=(end + timedelta(days=30)).date(),
            ),
            rules=rules,
        )
        registration = auction.register(
            session,
            scope=buyer,
            listing_id=listing.id,
            bidder_name="重庆渝丰农业开发有限公司",
            bidder_id_code=DEMO_BUYER_CODE,
            rules=rules,
            now=start,
        )
        auction.confirm_deposit(
            session, scope=system, registration_id=registration.id, rules=rules, now=start
        )
        if end < now:
            auction.place_bid(
                session,
                scope=buyer,
                listing_id=listing.id,
                amount=Decimal("108000"),
                rules=rules,
                now=start + timedelta(minutes=30),
            )
    auction.close_due(session, rules=rules, now=now)


def deal_rows(districts: list[str], *, seed: int) -> list[dict[str, object]]:
    chance = random.Random(seed)
    recorded = utcnow()
    rows: list[dict[str, object]] = []
    for district in districts:
        for year in YEARS:
            for number in range(DEALS_PER_YEAR):
                kind = chance.choice(list(KINDS))
                (low_area, high_area), terms, (low_price, high_price) = KINDS[kind]
                area = Decimal(str(round(chance.uniform(low_area, high_area), 2)))
                term = chance.randint(*terms) if terms else None
                per_mu = chance.uniform(low_price, high_price) * (term or 1)
                rows.append(
                    {
                        "project_code": f"{district[:6]}-{year}-{number + 1:04d}",
                        "kind": kind,
                        "region_code": district,
                        "town": "",
                        "location": "",
                        "area_mu": area,
                        "term_years": term,
                        "price_yuan": (area * Decimal(str(round(per_mu, 2)))).quantize(
                            Decimal("0.01")
                        ),
                        "deal_date": date(year, chance.randint(1, 12), chance.randint(1, 28)),
                        "buyer": chance.choice(BUYERS),
                        "source": "demo",
                        "recorded_at": recorded,
                    }
                )
    return rows
