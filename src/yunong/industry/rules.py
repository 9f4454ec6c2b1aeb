"""The warning rules of the pack, as plain functions of a series: no database, so each rule
can be stated with hand-checkable figures (``tests/industry/test_rules.py``).

A series is ``{period: value}``: weekly periods are Mondays, monthly ones first days. Each
rule returns one :class:`Finding` per period in which its condition holds.

The pig-grain ratio (falling side), as this module reads the national plan:

* ratio below 5 (``level1_below``): level 1;
* 5 ≤ ratio < 6: level 3, and level 2 from the third consecutive week in that band on
  (weeks are consecutive when their Mondays are 7 days apart; a missing week, a week at or
  above 6 and a week below 5 all break the run);
* ratio of 6 or more: no warning. Exactly 6.0 is not below 6; exactly 5.0 is in the band.

Ratios are rounded to 4 decimals before they are compared, so 16.8 ÷ 2.8 is exactly 6.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from yunong.policy.schema import Band, FloorRule, PigGrainRule, SowStockRule

WEEK = timedelta(days=7)
YEAR_OF_WEEKS = timedelta(weeks=52)
GREEN, YELLOW, RED = "绿", "黄", "红"

Series = dict[date, float]


@dataclass(frozen=True)
class Finding:
    period: date
    level: str
    value: float
    """What was judged: the ratio, the change or share in %, or the projected year."""
    evidence: tuple[tuple[date, float], ...]

    def evidence_json(self) -> str:
        return json.dumps([[day.isoformat(), round(value, 4)] for day, value in self.evidence])


def band_level(bands: Sequence[Band], percent: float) -> int | None:
    """The level of the highest band ``percent`` reaches, or None below the first."""
    level = None
    for band in bands:
        if band.holds(percent):
            level = band.level
    return level


def pig_grain(
    pig: Series, corn: Series, rule: PigGrainRule, given: Series | None = None
) -> list[Finding]:
    """The weekly levels of the pig-grain ratio: computed from the prices, or as ``given``
    (a ratio a file reports directly) in the weeks without both prices."""
    ratios: dict[date, tuple[float, tuple[tuple[date, float], ...]]] = {
        week: (value, ((week, value),)) for week, value in (given or {}).items()
    }
    for week in set(pig) & set(corn):
        if corn[week] > 0:
            ratios[week] = (pig[week] / corn[week], ((week, pig[week]), (week, corn[week])))
    found = []
    run = 0
    previous: date | None = None
    for week in sorted(ratios):
        value, evidence = ratios[week]
        ratio = round(value, 4)
        in_band = rule.level1_below <= ratio < rule.level3_below
        run = run + 1 if in_band and previous == week - WEEK and run else (1 if in_band else 0)
        previous = week
        if ratio < rule.level1_below:
            level = 1
        elif in_band:
            level = 2 if run >= rule.level2_weeks else 3
        else:
            continue
        found.append(Finding(week, str(level), ratio, evidence))
    return found


def year_on_year(series: Series, bands: Sequence[Band]) -> list[Finding]:
    """The rise against the same week 52 weeks earlier, in %."""
    found = []
    for week in sorted(series):
        before = series.get(week - YEAR_OF_WEEKS)
        if not before:
            continue
        rise = round((series[week] / before - 1) * 100, 2)
        level = band_level(bands, rise)
        if level is not None:
            evidence = ((week - YEAR_OF_WEEKS, before), (week, series[week]))
            found.append(Finding(week, str(level), rise, evidence))
    return found


def weekly_moves(series: Series, bands: Sequence[Band]) -> list[Finding]:
    """The move against the week before (up or down), in %; no move across a missing week."""
    found = []
    for week in sorted(series):
        before = series.get(week - WEEK)
        if not before:
            continue
        move = round((series[week] / before - 1) * 100, 2)
        level = band_level(bands, abs(move))
        if level is not None:
            evidence = ((week - WEEK, before), (week, series[week]))
            found.append(Finding(week, str(level), move, evidence))
    return found


def sow_zone(percent: float, rule: SowStockRule) -> str:
    """绿 inside the green range (ends included), 黄 inside the yellow one, else 红."""
    if rule.green[0] <= percent <= rule.green[1]:
        return GREEN
    if rule.yellow[0] <= percent <= rule.yellow[1]:
        return YELLOW
    return RED


def sow_stock(
    series: Series, normal: float | None, rule: SowStockRule, given: Series | None = None
) -> list[Finding]:
    """Every month's zone, green included: the zone is the month's reading. The share of the
    normal holding is computed from the stock where the region has a normal holding, else
    taken as ``given`` (a percentage a file reports directly)."""
    shares: dict[date, tuple[float, tuple[tuple[date, float], ...]]] = {
        month: (value, ((month, value),)) for month, value in (given or {}).items()
    }
    if normal:
        for month, stock in series.items():
            shares[month] = (stock / normal * 100, ((month, stock),))
    found = []
    for month in sorted(shares):
        value, evidence = shares[month]
        percent = round(value, 2)
        found.append(Finding(month, sow_zone(percent, rule), percent, evidence))
    return found


def floor_pace(series: Series, floors: dict[int, float], rule: FloorRule) -> list[Finding]:
    """Each month of a year with a floor: the year projected from the months reported so far
    (their total ÷ their number × 12), warned when it falls short of the floor."""
    found = []
    for year, floor in floors.items():
        months = sorted(month for month in series if month.year == year)
        for count, month in enumerate(months, start=1):
            so_far = months[:count]
            projected = round(sum(series[m] for m in so_far) / count * 12, 4)
            shortfall = round((floor - projected) / floor * 100, 2)
            if projected >= floor:
                continue
            level = band_level(rule.bands, shortfall)
            if level is not None:
                evidence = tuple((m, series[m]) for m in so_far)
                found.append(Finding(month, str(level), projected, evidence))
    return found
