"""The indicators 长江治渔 computes for the cockpit, all rates (numerator and denominator roll
up from district to city):

* ``fishery.patrol_coverage`` — of the months of the year so far (from the ban's start) and
  the ban zones, the share of zone-months with at least one patrol through the zone (%);
* ``fishery.tips_in_time`` — tips of the year answered within the pack's days (%);
* ``fishery.cases_closed`` — cases found in the year that are closed (%);
* ``fishery.fishers_insured`` — retired fishers enrolled in social insurance (%);
* ``fishery.fishers_employed`` — retired fishers settled in work after retirement (%).

Importing this module also adds the retired fishers' signal to 防返贫 screening.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core import indicators
from yunong.core.indicators import Measure
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.fishery import screening as screening
from yunong.fishery.fishers import EMPLOYED
from yunong.fishery.models import BanZone, Case, Patrol, PatrolZone, RetiredFisher, Tip
from yunong.fishery.tips import CHINA, aware
from yunong.policy import loader
from yunong.policy.schema import Fishery


def fishery_rules() -> Fishery:
    rules = loader.get().fishery
    if rules is None:
        raise KeyError("政策包没有长江治渔（fishery）一节")
    return rules


def cockpit_scope(under: str) -> Scope:
    return Scope.system("cockpit").narrowed_to(under)


def region_of(code: str, level: Level) -> str:
    return code[: codes.PREFIX_LENGTHS[level]].ljust(12, "0")


def rates(pairs: Iterable[tuple[str, bool]], level: Level) -> dict[str, Measure]:
    """Share (%) of True per region of ``level`` from (region code, counted) pairs."""
    hits: dict[str, int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for code, counted in pairs:
        region = region_of(code, level)
        totals[region] += 1
        hits[region] += int(counted)
    return {
        region: Measure(100.0 * hits[region] / total, hits[region], total)
        for region, total in totals.items()
    }


def months_of(year: int, starts_on: date, today: date) -> list[tuple[int, int]]:
    last = 12 if year < today.year else today.month if year == today.year else 0
    return [
        (year, month)
        for month in range(1, last + 1)
        if (year, month) >= (starts_on.year, starts_on.month)
    ]


@indicators.register("fishery.patrol_coverage")
def patrol_coverage(
    session: Session, *, period: int, level: Level, under: str, today: date | None = None
) -> dict[str, Measure]:
    return coverage_rates(session, scope=cockpit_scope(under), period=period, level=level,
                          today=today or date.today())  # fmt: skip


def coverage_rates(
    session: Session, *, scope: Scope, period: int, level: Level, today: date
) -> dict[str, Measure]:
    zones = session.execute(
        scope.filter(
            select(BanZone.id, BanZone.region_code, BanZone.starts_on), BanZone.region_code
        )
    ).tuples()
    patrols = scope.filter(
        select(PatrolZone.zone_id, Patrol.patrolled_on)
        .join(Patrol, Patrol.id == PatrolZone.patrol_id)
        .where(Patrol.patrolled_on >= date(period, 1, 1))
        .where(Patrol.patrolled_on < date(period + 1, 1, 1)),
        Patrol.region_code,
    )
    patrolled = {(zone, day.year, day.month) for zone, day in session.execute(patrols).tuples()}
    pairs = [
        (region, (zone_id, year, month) in patrolled)
        for zone_id, region, starts in zones
        for year, month in months_of(period, starts, today)
    ]
    return rates(pairs, level)


@indicators.register("fishery.tips_in_time")
def tips_in_time(session: Session, *, period: int, level: Level, under: str) -> dict[str, Measure]:
    return tip_rates(session, scope=cockpit_scope(under), period=period, level=level)


def tip_rates(session: Session, *, scope: Scope, period: int, level: Level) -> dict[str, Measure]:
    limit = fishery_rules().tip_answer_days
    query = scope.filter(select(Tip.region_code, Tip.received_at, Tip.answered_at), Tip.region_code)
    pairs = [
        (region, done is not None and aware(done) - aware(got) <= timedelta(days=limit))
        for region, got, done in session.execute(query).tuples()
        if aware(got).astimezone(CHINA).year == period
    ]
    return rates(pairs, level)


@indicators.register("fishery.cases_closed")
def cases_closed(session: Session, *, period: int, level: Level, under: str) -> dict[str, Measure]:
    return case_rates(session, scope=cockpit_scope(under), period=period, level=level)


def case_rates(session: Session, *, scope: Scope, period: int, level: Level) -> dict[str, Measure]:
    query = scope.filter(
        select(Case.region_code, Case.step).where(
            Case.found_on >= date(period, 1, 1), Case.found_on < date(period + 1, 1, 1)
        ),
        Case.region_code,
    )
    return rates(((region, step == "closed") for region, step in session.execute(query)), level)


def fisher_pairs(session: Session, *, scope: Scope) -> list[tuple[str, str, str]]:
    query = scope.filter(
        select(RetiredFisher.village_code, RetiredFisher.insurance, RetiredFisher.employment),
        RetiredFisher.village_code,
    )
    return list(session.execute(query).tuples())


@indicators.register("fishery.fishers_insured")
def fishers_insured(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    rows = fisher_pairs(session, scope=cockpit_scope(under))
    return rates(((village, insurance != "none") for village, insurance, _ in rows), level)


@indicators.register("fishery.fishers_employed")
def fishers_employed(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    rows = fisher_pairs(session, scope=cockpit_scope(under))
    return rates(((village, work in EMPLOYED) for village, _, work in rows), level)
