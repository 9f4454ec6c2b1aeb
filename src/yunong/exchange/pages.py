"""What the prices page shows: the year's prices by district and kind, named, and the chart."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from yunong.core.errors import Forbidden
from yunong.core.regions.outlines import region_names
from yunong.core.scope import Scope
from yunong.exchange import READERS, prices
from yunong.exchange.prices import Price
from yunong.policy.schema import Exchange


@dataclass(frozen=True)
class Row:
    district: str
    kind: str
    price: Price


@dataclass(frozen=True)
class PricesPage:
    year: int | None
    years: list[int]
    rows: list[Row]


def check_reader(scope: Scope) -> None:
    """Only the roles of the application's menu open its pages."""
    if scope.role is not None and scope.role not in READERS:
        raise Forbidden("您的角色不能查看产权交易")


def get_prices(session: Session, *, scope: Scope, rules: Exchange, year: int | None) -> PricesPage:
    """The year asked for, or the latest year with deals in the caller's scope."""
    check_reader(scope)
    years = prices.years(session, scope=scope)
    shown = year or (years[0] if years else None)
    found = prices.of_year(session, scope=scope, year=shown) if shown else []
    names = region_names(session, scope, {price.region for price in found})
    rows = [
        Row(
            district=names.get(price.region, price.region),
            kind=rules.kinds[price.kind].name,
            price=price,
        )
        for price in found
    ]
    return PricesPage(year=shown, years=years, rows=rows)


def chart(page: PricesPage) -> dict[str, Any]:
    """Price per 亩 by district, one series per kind, for the page's bar chart."""
    districts = sorted({row.district for row in page.rows})
    kinds = sorted({row.kind for row in page.rows})
    by_key = {(row.district, row.kind): float(row.price.price_per_mu) for row in page.rows}
    return {
        "districts": districts,
        "series": [
            {"name": kind, "data": [by_key.get((district, kind)) for district in districts]}
            for kind in kinds
        ],
    }
