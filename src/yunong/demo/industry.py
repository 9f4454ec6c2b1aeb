"""Demo data of 产业大脑: a year (2024) of the city's weekly prices and monthly figures, with a
dip of the pig-grain ratio below 6:1 (three weeks in a row between 5:1 and 6:1, one week
below 5:1, then recovery), two yellow months of breeding-sow stock, a jump of vegetable prices,
and districts' slaughter and aquatic output on a pace short of the 菜篮子 floors; the rules
then raise their warnings as an import would. The same at every scale: the series are the
city's and the districts', not the villages'."""

import math
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from yunong.core.regions import codes
from yunong.core.regions.models import Region
from yunong.industry import warnings
from yunong.industry.models import Observation
from yunong.policy.schema import Pack
from yunong.store.base import table_of
from yunong.store.db import make_sessionmaker, transaction

if TYPE_CHECKING:
    from yunong.demo.steps import Context

YEAR = 2024
SOURCE = "演示"
DEMO_DISTRICT = "500101000000"
CITY = codes.CITY_CODE
RATIO = {14: 5.8, 15: 5.6, 16: 5.5, 17: 5.4, 18: 4.9, 19: 5.7, 20: 6.1}
"""The pig-grain ratio of the weeks of the dip; 6.6 to 6.9 the rest of the year."""
SOW_STOCK = [97, 96, 95, 93, 91, 90.5, 92.5, 94, 96, 97, 98, 99]
"""万头 a month against the city's normal holding of 100: May and June yellow."""
WEEKLY_PRICES = {
    "piglet_price": 30.0,
    "pork_retail_price": 26.0,
    "rapeseed_price": 6.2,
    "zhacai_price": 1.2,
    "citrus_price": 6.0,
    "lemon_price": 5.5,
    "crisp_plum_price": 8.0,
    "herb_price": 20.0,
}
CHAIN_OUTPUT = {
    # (series, 万 a year in the city, districts that grow it)
    "citrus_output": (350.0, ["500236000000", "500233000000", "500235000000", DEMO_DISTRICT]),
    "lemon_output": (60.0, ["500152000000", DEMO_DISTRICT]),
    "crisp_plum_output": (40.0, ["500237000000", "500229000000", DEMO_DISTRICT]),
    "zhacai_processing": (150.0, ["500102000000", "500230000000", DEMO_DISTRICT]),
    "herb_area": (300.0, ["500240000000", "500119000000", "500242000000"]),
}
BASKET_PACE = {"pig_slaughter": 0.96, "vegetable_output": 1.02, "aquatic_output": 0.93}
"""Each floor series' year as a share of its floor: slaughter and aquatic output fall short."""


def mondays() -> list[date]:
    first = date(YEAR, 1, 1)
    first -= timedelta(days=first.weekday())
    return [first + timedelta(weeks=n) for n in range(52)]


def wave(n: int, size: float) -> float:
    """A deterministic ripple of ``size`` (a share) around 1."""
    return 1 + size * math.sin(n * 0.7)


def rows_of(pack: Pack, districts: list[str]) -> list[dict[str, object]]:
    industry = pack.industry
    assert industry is not None
    rows: list[dict[str, object]] = []

    def add(series: str, region: str, period: date, value: float) -> None:
        rows.append({"series": series, "region_code": region, "period": period,
                     "source": SOURCE, "value": round(value, 4)})  # fmt: skip

    for n, week in enumerate(mondays(), start=1):
        corn = 2.45 * wave(n, 0.02)
        ratio = RATIO.get(n, 6.6 + 0.3 * (n % 2))
        add("corn_price", CITY, week, corn)
        add("pig_price", CITY, week, ratio * corn)
        add("pig_price", DEMO_DISTRICT, week, ratio * corn * 1.01)
        vegetable = 4.2 * wave(n, 0.02) * (1.24 if n == 30 else 1)
        add("vegetable_price", CITY, week, vegetable)
        for series, price in WEEKLY_PRICES.items():
            add(series, CITY, week, price * wave(n, 0.015))
    months = [date(YEAR, month, 1) for month in range(1, 13)]
    for month, stock in zip(months, SOW_STOCK, strict=True):
        add("sow_stock", CITY, month, stock)
    floors = industry.floors.floors
    for series, pace in BASKET_PACE.items():
        share = floors[series][YEAR] * pace / 12 / len(districts)
        for index, district in enumerate(districts):
            weight = 0.6 + 0.8 * ((index * 7) % len(districts)) / len(districts)
            for n, month in enumerate(months):
                add(series, district, month, share * weight * wave(n, 0.05))
    for series, (total, growers) in CHAIN_OUTPUT.items():
        for index, district in enumerate(d for d in growers if d in districts):
            for n, month in enumerate(months):
                add(
                    series,
                    district,
                    month,
                    total / 12 / len(growers) * (1.3 - 0.2 * index) * wave(n, 0.1),
                )
    return rows


def create_industry(session: Session, *, pack: Pack) -> int:
    """Write the year's series and raise the warnings; returns the warnings standing."""
    districts = list(
        session.scalars(
            select(Region.code)
            .where(Region.level == int(codes.Level.DISTRICT))
            .order_by(Region.code)
        )
    )
    session.execute(insert(table_of(Observation)), rows_of(pack, districts))
    return warnings.evaluate(session, scope=warnings.EVALUATOR, pack=pack).standing


def step(context: "Context") -> None:
    """The demo step: before the assessment, which reads the 菜篮子 figures."""
    with transaction(make_sessionmaker(context.engine)) as session:
        create_industry(session, pack=context.pack)
    context.progress("产业大脑", 1, 1)
