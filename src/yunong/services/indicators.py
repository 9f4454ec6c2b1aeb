"""The figures the services registries compute for the cockpit.

* ``services.area_served`` — 亩 of work done in the period (work records on parcels), all
  operations together; :func:`area_served_by_operation` gives them by operation;
* ``services.trusteeship_area`` — 亩 under trusteeship contracts of the period;
* ``services.machinery_coverage`` — share (%) of the period's orders served (work done);
* ``services.drying_capacity`` — tonnes a day of the registered drying centres.
"""

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core import indicators
from yunong.core.indicators import Measure
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.services.models import DryingCentre, Order, Trusteeship, WorkRecord


def within(under: str) -> Scope:
    return Scope.system("cockpit").narrowed_to(under)


def region_key(code: str, level: Level) -> str:
    return code[: codes.PREFIX_LENGTHS[level]].ljust(12, "0")


def sums(rows: list[tuple[str, object]], level: Level) -> dict[str, Measure]:
    totals: dict[str, float] = defaultdict(float)
    for code, value in rows:
        totals[region_key(code, level)] += float(str(value or 0))
    return {code: Measure(round(total, 2)) for code, total in totals.items()}


def area_served_by_operation(
    session: Session, *, scope: Scope, period: int
) -> dict[tuple[str, str], float]:
    """(district, operation) → 亩 of work done in the period."""
    query = scope.filter(
        select(WorkRecord.region_code, WorkRecord.operation, WorkRecord.area_mu).where(
            WorkRecord.done_on.between(date(period, 1, 1), date(period, 12, 31))
        ),
        WorkRecord.region_code,
    )
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for region, operation, area in session.execute(query):
        totals[(region[:6], operation)] += float(area)
    return dict(totals)


@indicators.register("services.area_served")
def area_served(session: Session, *, period: int, level: Level, under: str) -> dict[str, Measure]:
    return sums(work_done(session, scope=within(under), period=period), level)


def work_done(session: Session, *, scope: Scope, period: int) -> list[tuple[str, object]]:
    query = scope.filter(
        select(WorkRecord.region_code, WorkRecord.area_mu).where(
            WorkRecord.done_on.between(date(period, 1, 1), date(period, 12, 31))
        ),
        WorkRecord.region_code,
    )
    return [(r, a) for r, a in session.execute(query)]


@indicators.register("services.trusteeship_area")
def trusteeship_area(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    return sums(contracts(session, scope=within(under), period=period), level)


def contracts(session: Session, *, scope: Scope, period: int) -> list[tuple[str, object]]:
    query = scope.filter(
        select(Trusteeship.region_code, Trusteeship.area_mu).where(Trusteeship.year == period),
        Trusteeship.region_code,
    )
    return [(r, a) for r, a in session.execute(query)]


@indicators.register("services.machinery_coverage")
def machinery_coverage(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for region, status, count in order_counts(session, scope=within(under), period=period):
        counts = tally[region_key(region, level)]
        counts[0] += count if status == "done" else 0
        counts[1] += count
    return {
        code: Measure(100.0 * done / total, numerator=done, denominator=total)
        for code, (done, total) in tally.items()
        if total
    }


def order_counts(session: Session, *, scope: Scope, period: int) -> list[tuple[str, str, int]]:
    """(village, status, orders) of the orders whose window opens in the period."""
    query = scope.filter(
        select(Order.region_code, Order.status, func.count())
        .where(Order.earliest.between(date(period, 1, 1), date(period, 12, 31)))
        .group_by(Order.region_code, Order.status),
        Order.region_code,
    )
    return [(r, s, int(n)) for r, s, n in session.execute(query)]


@indicators.register("services.drying_capacity")
def drying_capacity(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    return sums(centres(session, scope=within(under)), level)


def centres(session: Session, *, scope: Scope) -> list[tuple[str, object]]:
    query = scope.filter(
        select(DryingCentre.region_code, DryingCentre.tonnes_per_day), DryingCentre.region_code
    )
    return [(r, t) for r, t in session.execute(query)]
