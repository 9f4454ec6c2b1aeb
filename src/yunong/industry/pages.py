"""What the chain pages and the city's 菜篮子 page show, read inside the caller's scope: each
series of a chain over time, its output by district, its products from the one code, and the
菜篮子 floors against the year's pace."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.errors import Forbidden, NotFound
from yunong.core.regions import codes, geography
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.industry import READERS, service
from yunong.industry.catalogue import Catalogue
from yunong.industry.models import Observation, Warning
from yunong.industry.rules import GREEN, Series
from yunong.industry.warnings import load_series
from yunong.policy.schema import Industry, IndustrySeries
from yunong.trace import batches as trace
from yunong.trace import brands

RECENT_PERIODS = 52
"""Periods a chart shows: a year of weeks."""
ADDED = ("volume", "stock", "area")
"""Series whose districts add up to the region; prices average."""


@dataclass(frozen=True)
class SeriesChart:
    key: str
    name: str
    unit: str
    frequency: str
    points: list[tuple[str, float]]

    @property
    def latest(self) -> tuple[str, float] | None:
        return self.points[-1] if self.points else None


@dataclass(frozen=True)
class DistrictFigure:
    code: str
    name: str
    value: float


@dataclass(frozen=True)
class ChainPage:
    key: str
    title: str
    region_name: str
    series: list[SeriesChart]
    output: SeriesChart | None
    """The chain's first volume (or area) series, whose districts are compared."""
    output_year: int | None
    districts: list[DistrictFigure]
    products: list[tuple[str, str]]
    """(product, brand) of the chain's category in the one code (一码通)."""
    warnings: list[Warning]
    open_warnings: int


def check_reader(scope: Scope) -> None:
    """Only the roles of the application's menu open its pages."""
    if scope.role is not None and scope.role not in READERS:
        raise Forbidden("您的角色不能查看产业大脑")


def region_points(spec: IndustrySeries, by_region: dict[str, Series], scope: Scope) -> Series:
    """The series for the caller's own region: its own rows, else its districts' (or towns')
    rows added up or averaged."""
    own = scope.region_code
    if own in by_region:
        return by_region[own]
    below = codes.Level(min(codes.level_of(own) + 1, codes.Level.VILLAGE))
    parts = [s for region, s in by_region.items() if codes.level_of(region) is below]
    totals: dict[date, list[float]] = defaultdict(list)
    for part in parts:
        for period, value in part.items():
            totals[period].append(value)
    if spec.kind in ADDED:
        return {period: sum(values) for period, values in totals.items()}
    return {period: sum(values) / len(values) for period, values in totals.items()}


def chart(key: str, spec: IndustrySeries, points: Series) -> SeriesChart:
    recent = sorted(points.items())[-RECENT_PERIODS:]
    shown = [(period.isoformat(), round(value, 4)) for period, value in recent]
    return SeriesChart(key, spec.name, spec.unit, spec.frequency, shown)


def get_chain(session: Session, *, scope: Scope, industry: Industry, chain: str) -> ChainPage:
    if chain not in industry.chains:
        raise NotFound("产业链“{chain}”不存在", chain=chain)
    title = industry.chains[chain]
    own = {key: spec for key, spec in industry.series.items() if spec.chain == chain}
    data = load_series(session, scope=scope, keys=set(own))
    charts = [
        chart(key, spec, region_points(spec, data.get(key, {}), scope))
        for key, spec in sorted(own.items(), key=lambda item: not item[1].main)
    ]
    output_key = next((key for key, spec in own.items() if spec.kind in ("volume", "area")), None)
    year: int | None = None
    districts: list[DistrictFigure] = []
    if output_key:
        year, districts = district_output(session, scope, data.get(output_key, {}))
    output = next((c for c in charts if c.key == output_key), None)
    recent = service.warnings_query(scope, known=Catalogue(industry), chain=chain).order_by(
        Warning.period.desc(), Warning.id
    )
    open_count = session.scalar(
        select(func.count()).select_from(
            service.warnings_query(scope, known=Catalogue(industry), chain=chain)
            .where(Warning.handled_at.is_(None), Warning.level != GREEN)
            .subquery()
        )
    )
    products = [
        (
            product.name,
            brands.get(session, brand_id=product.brand_id).name if product.brand_id else "",
        )
        for product in trace.get_all_products(session, scope=scope)
        if product.category == title
    ]
    return ChainPage(
        key=chain,
        title=title,
        region_name=regions.get(session, code=scope.region_code).name,
        series=charts,
        output=output,
        output_year=year,
        districts=districts,
        products=products[:50],
        warnings=list(session.scalars(recent.limit(10))),
        open_warnings=open_count or 0,
    )


def district_output(
    session: Session, scope: Scope, by_region: dict[str, Series]
) -> tuple[int | None, list[DistrictFigure]]:
    """Each district's total in the latest year with data."""
    years = [period.year for series in by_region.values() for period in series]
    if not years:
        return None, []
    year = max(years)
    totals: dict[str, float] = defaultdict(float)
    for region, series in by_region.items():
        if codes.level_of(region) is codes.Level.DISTRICT:
            totals[region] += sum(v for period, v in series.items() if period.year == year)
    names = {code: regions.get(session, code=code).name for code in totals}
    figures = [DistrictFigure(code, names[code], round(value, 4)) for code, value in totals.items()]
    return year, sorted(figures, key=lambda figure: -figure.value)


@dataclass(frozen=True)
class FloorRow:
    key: str
    name: str
    unit: str
    floor: float | None
    months: int
    so_far: float
    projected: float | None

    @property
    def share(self) -> float | None:
        """The projected year as a percentage of the floor."""
        if self.floor is None or self.projected is None:
            return None
        return round(self.projected / self.floor * 100, 1)


@dataclass(frozen=True)
class ChainSummary:
    key: str
    title: str
    main: SeriesChart | None
    open_warnings: int


@dataclass(frozen=True)
class BasketPage:
    year: int
    region_name: str
    city: bool
    """Whether the floors (the city's) are compared: only for a city-wide view."""
    floors: list[FloorRow]
    chains: list[ChainSummary]
    ratio: list[tuple[str, float]]
    """The pig-grain ratio week by week."""
    prices: list[SeriesChart]
    """The 菜篮子's own prices (outside the seven chains): vegetables."""


def get_basket(session: Session, *, scope: Scope, industry: Industry, year: int) -> BasketPage:
    floor_keys = set(industry.floors.floors)
    mains = {spec.chain: key for key, spec in industry.series.items() if spec.main and spec.chain}
    grain = industry.pig_grain
    basket_prices = [
        key for key, spec in industry.series.items() if spec.chain is None and spec.kind == "price"
    ]
    keys = floor_keys | set(mains.values()) | {grain.pig, grain.corn} | set(basket_prices)
    data = load_series(session, scope=scope, keys=keys)
    named = industry.series
    city = codes.level_of(scope.region_code) is codes.Level.CITY
    floors = []
    for key in sorted(floor_keys, key=list(named).index):
        points = region_points(named[key], data.get(key, {}), scope)
        months = {p: v for p, v in points.items() if p.year == year}
        so_far = round(sum(months.values()), 4)
        projected = round(so_far / len(months) * 12, 4) if months else None
        floor = industry.floors.floors[key].get(year) if city else None
        floors.append(FloorRow(key, named[key].name, named[key].unit, floor, len(months),
                               so_far, projected))  # fmt: skip
    counts: dict[str | None, int] = {
        chain: count
        for chain, count in session.execute(
            scope.filter(
                select(Warning.chain, func.count())
                .where(Warning.handled_at.is_(None), Warning.level != GREEN)
                .group_by(Warning.chain),
                Warning.region_code,
            )
        )
    }
    chains = []
    for chain, title in industry.chains.items():
        main_key = mains.get(chain)
        main = (
            chart(
                main_key,
                named[main_key],
                region_points(named[main_key], data.get(main_key, {}), scope),
            )
            if main_key
            else None
        )
        chains.append(ChainSummary(chain, title, main, counts.get(chain, 0)))
    pig = region_points(named[grain.pig], data.get(grain.pig, {}), scope)
    corn = region_points(named[grain.corn], data.get(grain.corn, {}), scope)
    ratio = [
        (week.isoformat(), round(pig[week] / corn[week], 2))
        for week in sorted(set(pig) & set(corn))[-RECENT_PERIODS:]
        if corn[week] > 0
    ]
    return BasketPage(
        year=year,
        region_name=regions.get(session, code=scope.region_code).name,
        city=city,
        floors=floors,
        chains=chains,
        ratio=ratio,
        prices=[
            chart(key, named[key], region_points(named[key], data.get(key, {}), scope))
            for key in basket_prices
        ],
    )


def latest_year(session: Session, *, scope: Scope) -> int:
    """The latest year with observations in scope, else this year."""
    found = session.scalar(
        scope.filter(select(func.max(Observation.period)), Observation.region_code)
    )
    return found.year if found else date.today().year


def basket_charts(page: BasketPage, industry: Industry) -> dict[str, Any]:
    """The figures the 菜篮子 page's charts draw."""
    return {
        "floors": [
            {"name": row.name, "share": row.share} for row in page.floors if row.share is not None
        ],
        "ratio": page.ratio,
        "level3_below": industry.pig_grain.level3_below,
        "level1_below": industry.pig_grain.level1_below,
        "chains": [chain.main.points if chain.main else [] for chain in page.chains],
        "series": [{"name": s.name, "unit": s.unit, "points": s.points} for s in page.prices],
    }


MAP_DETAIL = 0.001
"""Degrees (about a hundred metres) below which a boundary's bends are dropped on the map."""


def district_map(session: Session, *, scope: Scope, page: ChainPage) -> dict[str, Any]:
    """The districts of the chain's output as a GeoJSON FeatureCollection (their imported
    boundaries, else their schematic cells), named for the map's series."""
    names = {figure.code: figure.name for figure in page.districts}
    outlines = geography.get_district_outlines(session, scope=scope)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": names[code]},
                "geometry": shapely.geometry.mapping(
                    shapely.set_precision(
                        shapely.simplify(shape, MAP_DETAIL, preserve_topology=True),
                        MAP_DETAIL / 10,
                    )
                ),
            }
            for code, shape in outlines.items()
            if code in names
        ],
    }


def chain_charts(session: Session, *, scope: Scope, page: ChainPage) -> dict[str, Any]:
    """The figures a chain page's charts draw, and the map of its districts."""
    return {
        "series": [{"name": s.name, "unit": s.unit, "points": s.points} for s in page.series],
        "districts": [{"name": d.name, "value": d.value} for d in page.districts],
        "map": district_map(session, scope=scope, page=page) if page.districts else None,
    }
