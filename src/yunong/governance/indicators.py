"""The indicators 基层治理 computes for the cockpit, both rates that roll up:

* ``governance.matters_in_time`` — of the matters reported in the year that are closed or
  past their due day, the share closed on or before it (%);
* ``governance.stationed_coverage`` — administrative villages with a first secretary or a
  rural revitalization instructor stationed at the end of the year, or today for the
  current year (%);
* ``governance.points_villages`` — administrative villages running a points system (积分制):
  with at least one entry published in the year (%).
"""

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core import indicators
from yunong.core.indicators import Measure
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.governance import cadres, points
from yunong.governance.models import Matter
from yunong.policy import loader
from yunong.policy.schema import Governance


def governance_rules() -> Governance:
    rules = loader.get().governance
    if rules is None:
        raise KeyError("政策包没有基层治理（governance）一节")
    return rules


def cockpit_scope(under: str) -> Scope:
    return Scope.system("cockpit").narrowed_to(under)


def region_of(code: str, level: Level) -> str:
    return code[: codes.PREFIX_LENGTHS[level]].ljust(12, "0")


def rates(pairs: list[tuple[str, bool]], level: Level) -> dict[str, Measure]:
    hits: dict[str, int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for code, counted in pairs:
        region = region_of(code, level)
        totals[region] += 1
        hits[region] += int(counted)
    return {r: Measure(100.0 * hits[r] / t, hits[r], t) for r, t in totals.items()}


def matter_rates(
    session: Session, *, scope: Scope, period: int, level: Level, today: date
) -> dict[str, Measure]:
    query = scope.filter(
        select(Matter.village_code, Matter.due_on, Matter.closed_on).where(
            Matter.reported_on >= date(period, 1, 1), Matter.reported_on < date(period + 1, 1, 1)
        ),
        Matter.village_code,
    )
    pairs = [
        (village, closed is not None and closed <= due)
        for village, due, closed in session.execute(query).tuples()
        if closed is not None or due < today
    ]
    return rates(pairs, level)


@indicators.register("governance.matters_in_time")
def matters_in_time(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    return matter_rates(
        session, scope=cockpit_scope(under), period=period, level=level, today=date.today()
    )


@indicators.register("governance.stationed_coverage")
def stationed_coverage(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    today = date.today()
    on = today if period >= today.year else date(period, 12, 31)
    covered = cadres.covered_villages(session, scope=cockpit_scope(under), on=on)
    villages = cadres.administrative_villages(session, scope=cockpit_scope(under))
    return rates([(village, village in covered) for village in villages], level)


@indicators.register("governance.points_villages")
def points_villages(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    running = points.villages_published(session, scope=cockpit_scope(under), year=period)
    villages = cadres.administrative_villages(session, scope=cockpit_scope(under))
    return rates([(village, village in running) for village in villages], level)
