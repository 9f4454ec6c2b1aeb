"""The quarterly price index of a district: quality-adjusted, chained quarter to quarter.

A raw average of prices moves when the mix of deals moves (a quarter of large parcels looks
cheaper per 亩 than a quarter of small ones), so the index compares like with like by a
time-dummy hedonic regression, fitted on each pair of adjacent quarters::

    log(price per 亩 per year) = a + δ·[later quarter] + b·log(area) + c·term + land-class dummies

``exp(δ)`` is the change of the quality-adjusted price between the two quarters and the
index chains it: I₀ = 100, Iₜ = Iₜ₋₁ × exp(δₜ). A quarter with fewer deals than the pack's
``index_min_deals`` is not fitted: it carries the previous value forward, flagged stale, and
the next quarter with enough deals is compared with the last quarter that had them.
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy
import statsmodels.api as sm
from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.errors import InvalidValue, NotFound
from yunong.core.regions import codes
from yunong.core.regions import service as regions
from yunong.core.regions.outlines import region_names
from yunong.core.scope import Scope
from yunong.exchange.models import Deal
from yunong.policy.schema import Exchange

BASE = 100.0
UNNAMED_CLASS = "未注明"


@dataclass(frozen=True)
class Sale:
    """One deal as the regression reads it."""

    quarter: str
    price_per_mu_year: float
    area_mu: float
    term_years: int | None
    land_class: str


@dataclass(frozen=True)
class Point:
    quarter: str
    """``2024Q1``."""
    index: float
    deals: int
    stale: bool

    def as_json(self) -> dict[str, object]:
        return {
            "quarter": self.quarter,
            "index": round(self.index, 2),
            "deals": self.deals,
            "stale": self.stale,
        }


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarters_between(first: str, last: str) -> list[str]:
    """Every quarter from ``first`` to ``last``, both included, so empty quarters show."""
    year, number = int(first[:4]), int(first[-1])
    found = []
    while (label := f"{year}Q{number}") <= last:
        found.append(label)
        year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    return found


def kind_key(text: str | None, rules: Exchange) -> str:
    """The pack's key of a kind named by its key or its name; 土地经营权 when none is named."""
    if not text:
        return "land_management"
    for key, kind in rules.kinds.items():
        if text.strip() in (key, kind.name, *kind.aliases):
            return key
    raise InvalidValue("标的类型“{kind}”不在策略包的类型中", kind=text.strip())


def sales(session: Session, *, scope: Scope, district: str, kind: str) -> list[Sale]:
    """The deals of ``kind`` in the district (and its towns) inside the caller's scope."""
    prefix = codes.prefix_of(district)
    query = scope.filter(
        select(Deal.deal_date, Deal.price_yuan, Deal.area_mu, Deal.term_years, Deal.land_class),
        Deal.region_code,
    ).where(
        Deal.region_code.between(prefix.ljust(12, "0"), prefix.ljust(12, "9")),
        Deal.kind == kind,
    )
    found = []
    for day, price, area, term, land_class in session.execute(query):
        per_mu = float(price) / float(area)
        found.append(
            Sale(
                quarter=quarter_of(day),
                price_per_mu_year=per_mu / term if term else per_mu,
                area_mu=float(area),
                term_years=term,
                land_class=land_class or UNNAMED_CLASS,
            )
        )
    return found


def quarterly(
    session: Session, *, scope: Scope, district: str, kind: str | None, rules: Exchange
) -> list[Point]:
    """The district's index by quarter, from its first quarter with enough deals."""
    code = codes.normalise(district)
    scope.check_read(code, f"区县“{district}”")
    return chain(
        sales(session, scope=scope, district=code, kind=kind_key(kind, rules)),
        min_deals=rules.index_min_deals,
    )


def chain(found: list[Sale], *, min_deals: int) -> list[Point]:
    """Chain the adjacent-quarter hedonic changes into an index, 100 at the first quarter
    that has at least ``min_deals`` deals."""
    by_quarter: dict[str, list[Sale]] = defaultdict(list)
    for sale in found:
        by_quarter[sale.quarter].append(sale)
    enough = sorted(quarter for quarter, items in by_quarter.items() if len(items) >= min_deals)
    if not enough:
        return []
    points = [Point(enough[0], BASE, len(by_quarter[enough[0]]), stale=False)]
    reference, level = enough[0], BASE
    for quarter in quarters_between(enough[0], max(by_quarter))[1:]:
        count = len(by_quarter.get(quarter, []))
        if count < min_deals:
            points.append(Point(quarter, level, count, stale=True))
            continue
        level *= math.exp(time_effect(by_quarter[reference], by_quarter[quarter]))
        points.append(Point(quarter, level, count, stale=False))
        reference = quarter
    return points


def time_effect(earlier: list[Sale], later: list[Sale]) -> float:
    """δ of the later quarter in the hedonic regression on the two quarters' deals.

    Regressors that do not vary across the pair (every term the same, one land class) are
    left out rather than fitted, so the constant absorbs them."""
    rows = earlier + later
    classes = sorted({sale.land_class for sale in rows})
    columns: list[list[float]] = [
        [1.0] * len(rows),
        [0.0] * len(earlier) + [1.0] * len(later),
        [math.log(sale.area_mu) for sale in rows],
        [float(sale.term_years or 0) for sale in rows],
        *([1.0 if sale.land_class == name else 0.0 for sale in rows] for name in classes[1:]),
    ]
    kept = columns[:2] + [column for column in columns[2:] if len(set(column)) > 1]
    design = numpy.column_stack(kept)
    response = numpy.log([sale.price_per_mu_year for sale in rows])
    return float(sm.OLS(response, design).fit().params[1])


@dataclass(frozen=True)
class IndexPage:
    """The public page: the districts that have deals of the kind, and the index of one."""

    kind: str
    kind_name: str
    districts: dict[str, str]
    """Code → name of every district with deals of the kind."""
    district: str | None
    points: list[Point]
    min_deals: int


def public_page(
    session: Session, *, district: str | None, kind: str | None, rules: Exchange
) -> IndexPage:
    """The index is published: anyone reads it, through a read-only scope of the whole city.
    Without a district the page shows the first district that has deals."""
    public = Scope(actor="public", region_code=codes.CITY_CODE, can_write=False)
    key = kind_key(kind, rules)
    with_deals = districts_with_deals(session, scope=public, kind=key)
    names = region_names(session, public, with_deals)
    shown = codes.normalise(district) if district else min(with_deals, default=None)
    if shown is not None:
        region = regions.get(session, code=shown)
        if codes.level_of(region.code) != codes.Level.DISTRICT:
            raise NotFound("区县“{code}”不存在", code=district or shown)
        names.setdefault(region.code, region.name)
    found = sales(session, scope=public, district=shown, kind=key) if shown else []
    points = chain(found, min_deals=rules.index_min_deals)
    return IndexPage(
        kind=key,
        kind_name=rules.kinds[key].name,
        districts=dict(sorted(names.items())),
        district=shown,
        points=points,
        min_deals=rules.index_min_deals,
    )


def districts_with_deals(session: Session, *, scope: Scope, kind: str) -> set[str]:
    """The 12-digit codes of the districts that have deals of ``kind`` in the scope."""
    found = session.scalars(
        scope.filter(select(Deal.region_code).distinct(), Deal.region_code).where(Deal.kind == kind)
    )
    return {codes.normalise(code[:6]) for code in found}


def chart(page: IndexPage) -> dict[str, object]:
    """The index by quarter for the page's line chart, stale quarters marked."""
    return {
        "quarters": [point.quarter for point in page.points],
        "index": [round(point.index, 2) for point in page.points],
        "stale": [point.stale for point in page.points],
    }
