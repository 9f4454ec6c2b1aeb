"""Demo data of 产权交易: two years (2023, 2024) of deals in every district, of every kind but
the 地票 at prices around what Chongqing's exchanges report (land management rights a few
hundred 元 per 亩 a year over the term; 地票 about 20 万元 per 亩), the same at every scale."""

import random
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from yunong.core.regions import codes
from yunong.core.regions.models import Region
from yunong.exchange.models import Deal
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
    context.progress("产权交易", 1, 1)


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
