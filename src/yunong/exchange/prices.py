"""The price per 亩 that the deals give, by district and kind.

The price of a district and kind in a year is the area-weighted mean of its deals dated in
that year: their total price over their total area, so a large deal weighs as much as its
area and not more. It is the price per 亩 for the whole term, as the deals were struck."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.regions import codes
from yunong.core.scope import Scope
from yunong.exchange.models import Deal
from yunong.policy.schema import Exchange

CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Price:
    region: str
    """The district's 12-digit code."""
    kind: str
    """The pack's key of the kind."""
    deals: int
    area_mu: Decimal
    price_yuan: Decimal

    @property
    def price_per_mu(self) -> Decimal:
        return (self.price_yuan / self.area_mu).quantize(CENTS)

    def as_json(self, rules: Exchange) -> dict[str, object]:
        return {
            "region": self.region,
            "kind": rules.kinds[self.kind].name,
            "deals": self.deals,
            "area_mu": float(self.area_mu),
            "price_per_mu": float(self.price_per_mu),
        }


def of_year(session: Session, *, scope: Scope, year: int) -> list[Price]:
    """Each district and kind with deals in ``year`` inside the caller's scope."""
    query = scope.filter(
        select(Deal.region_code, Deal.kind, Deal.area_mu, Deal.price_yuan), Deal.region_code
    ).where(Deal.deal_date.between(date(year, 1, 1), date(year, 12, 31)))
    deals: dict[tuple[str, str], int] = defaultdict(int)
    areas: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    prices: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for region_code, kind, area, price in session.execute(query):
        key = (district_of(region_code), kind)
        deals[key] += 1
        areas[key] += Decimal(area)
        prices[key] += Decimal(price)
    return [
        Price(
            region=region, kind=kind, deals=deals[key], area_mu=areas[key], price_yuan=prices[key]
        )
        for key in sorted(deals)
        for region, kind in [key]
    ]


def district_of(region_code: str) -> str:
    return codes.normalise(region_code[:6])


def years(session: Session, *, scope: Scope) -> list[int]:
    """The years that have deals in the caller's scope, latest first."""
    dates = session.scalars(scope.filter(select(Deal.deal_date).distinct(), Deal.region_code)).all()
    return sorted({day.year for day in dates}, reverse=True)
