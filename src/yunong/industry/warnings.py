"""Warnings from the series: the pack's rules run over every region's series, and the
warnings stored so that the same data gives the same warnings (one per rule, indicator,
region and period) however often the rules run.

Runs after every import and from ``yunong industry evaluate`` (for a schedule). A warning
whose condition no longer holds (a corrected figure) is removed; one still holding keeps its
row, its handling and its place on 待办.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.regions import codes
from yunong.core.scope import Scope
from yunong.industry import rules
from yunong.industry.catalogue import section
from yunong.industry.models import Observation, Warning
from yunong.industry.rules import Finding, Series
from yunong.policy.schema import Industry, Pack

EVALUATOR = Scope.system("industry.rules")
"""The rules read every region's series: they judge the city's data, not a caller's view."""

Key = tuple[str, str, str, date]
"""(rule, indicator, region, period): one warning each."""


@dataclass(frozen=True)
class Raised:
    rule: str
    indicator: str
    chain: str | None
    region_code: str
    finding: Finding

    @property
    def key(self) -> Key:
        return (self.rule, self.indicator, self.region_code, self.finding.period)


@dataclass(frozen=True)
class Evaluation:
    raised: int
    changed: int
    cleared: int
    standing: int


def load_series(session: Session, *, scope: Scope, keys: set[str]) -> dict[str, dict[str, Series]]:
    """series key → region → {period: value}; several sources of one period are averaged."""
    values: dict[tuple[str, str, date], list[float]] = defaultdict(list)
    query = scope.filter(
        select(Observation.series, Observation.region_code, Observation.period, Observation.value)
        .where(Observation.series.in_(keys)),
        Observation.region_code,
    )  # fmt: skip
    for series, region, period, value in session.execute(query):
        values[(series, region, period)].append(value)
    found: dict[str, dict[str, Series]] = defaultdict(lambda: defaultdict(dict))
    for (series, region, period), numbers in values.items():
        found[series][region][period] = sum(numbers) / len(numbers)
    return found


def city_totals(by_region: dict[str, Series]) -> Series:
    """The city's monthly figures: its own rows where reported, else its districts' sum."""
    if codes.CITY_CODE in by_region:
        return dict(by_region[codes.CITY_CODE])
    totals: Series = defaultdict(float)
    for region, series in by_region.items():
        if codes.level_of(region) is codes.Level.DISTRICT:
            for period, value in series.items():
                totals[period] += value
    return dict(totals)


def findings(industry: Industry, data: dict[str, dict[str, Series]]) -> Iterator[Raised]:
    """Every rule over every region's series."""
    named = industry.series
    grain = industry.pig_grain
    corn = data.get(grain.corn, {})
    pigs = data.get(grain.pig, {})
    given_ratios = data.get(grain.ratio, {}) if grain.ratio else {}
    for region in sorted(set(pigs) | set(given_ratios)):
        own_corn = corn.get(region) or corn.get(codes.CITY_CODE) or {}
        pig = pigs.get(region, {})
        for finding in rules.pig_grain(pig, own_corn, grain, given_ratios.get(region)):
            yield Raised("pig_grain", grain.name, named[grain.pig].chain, region, finding)
    rise = industry.pork_rise
    for region, series in data.get(rise.series, {}).items():
        for finding in rules.year_on_year(series, rise.bands):
            yield Raised("pork_rise", rise.name, named[rise.series].chain, region, finding)
    sow = industry.sow_stock
    stocks = data.get(sow.series, {})
    shares = data.get(sow.share, {}) if sow.share else {}
    spec = named[sow.series]
    for region in sorted(set(stocks) | set(shares)):
        normal = sow.normal_holding.get(region)
        found = rules.sow_stock(stocks.get(region, {}), normal, sow, shares.get(region))
        for finding in found:
            yield Raised("sow_stock", spec.name, spec.chain, region, finding)
    for key, spec in named.items():
        if spec.move_bands is None:
            continue
        bands = industry.price_moves.bands[spec.move_bands]
        for region, series in data.get(key, {}).items():
            for finding in rules.weekly_moves(series, bands):
                yield Raised("price_moves", spec.name, spec.chain, region, finding)
    floors = industry.floors
    for key, by_year in floors.floors.items():
        totals = city_totals(data.get(key, {}))
        for finding in rules.floor_pace(totals, by_year, floors):
            yield Raised("floors", named[key].name, named[key].chain, codes.CITY_CODE, finding)


def watched(industry: Industry) -> set[str]:
    keys = {industry.pig_grain.pig, industry.pig_grain.corn, industry.pork_rise.series}
    keys |= {industry.sow_stock.series, *industry.floors.floors}
    keys |= {key for key, spec in industry.series.items() if spec.move_bands}
    keys |= {key for key in (industry.pig_grain.ratio, industry.sow_stock.share) if key}
    return keys


def evaluate(session: Session, *, scope: Scope, pack: Pack) -> Evaluation:
    """Run every rule over the stored series in ``scope`` and bring the stored warnings there
    in line. Imports and the schedule pass :data:`EVALUATOR`: the whole city, whoever
    imported, since a city-level rule (the floors) reads every district's figures."""
    industry = section(pack)
    data = load_series(session, scope=scope, keys=watched(industry))
    wanted = {raised.key: raised for raised in findings(industry, data)}
    stored = {
        (row.rule, row.indicator, row.region_code, row.period): row
        for row in session.scalars(scope.filter(select(Warning), Warning.region_code))
    }
    raised = changed = cleared = 0
    for key, row in stored.items():
        if key not in wanted:
            session.delete(row)
            cleared += 1
    for key, found in wanted.items():
        row = stored.get(key)
        finding = found.finding
        if row is None:
            session.add(
                Warning(
                    rule=found.rule,
                    indicator=found.indicator,
                    chain=found.chain,
                    region_code=found.region_code,
                    period=finding.period,
                    level=finding.level,
                    value=finding.value,
                    evidence=finding.evidence_json(),
                )
            )
            raised += 1
        elif (row.level, round(row.value, 4)) != (finding.level, round(finding.value, 4)):
            row.level, row.value = finding.level, finding.value
            row.evidence = finding.evidence_json()
            row.handled_at = row.handled_by = row.note = None
            changed += 1
    session.flush()
    return Evaluation(raised, changed, cleared, len(wanted))
