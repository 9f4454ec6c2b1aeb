"""Coverage of the ban zones: how often each zone was patrolled, month by month.

A patrol covers a zone in the month of its day when at least one of its track points lies in
the zone (or on its boundary). The figures are read in the caller's scope: the zones of the
districts it sees, and the patrols of the teams it sees.
"""

from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.errors import InvalidValue
from yunong.core.scope import Scope
from yunong.fishery import zones
from yunong.fishery.models import BanZone, Patrol, PatrolZone


@dataclass(frozen=True)
class ZoneMonth:
    month: str
    zone_number: str
    zone_name: str
    region_code: str
    patrols: int
    teams: int
    points: int

    def as_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Tally:
    name: str
    region: str
    patrols: int = 0
    teams: set[int] = field(default_factory=set)
    points: int = 0


def month_bounds(month: str) -> tuple[date, date]:
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except ValueError:
        raise InvalidValue("月份“{month}”应写作如 2024-05", month=month) from None
    following = date(year + number // 12, number % 12 + 1, 1)
    return first, following


def by_zone_month(session: Session, *, scope: Scope, month: str | None = None) -> list[ZoneMonth]:
    """One row per zone and month with patrols, newest month first, zones by number."""
    query = (
        select(
            BanZone.number,
            BanZone.name,
            BanZone.region_code,
            Patrol.patrolled_on,
            Patrol.team_id,
            PatrolZone.points,
        )
        .join(PatrolZone, PatrolZone.zone_id == BanZone.id)
        .join(Patrol, Patrol.id == PatrolZone.patrol_id)
    )
    zone_scope = zones.published_to(scope)
    query = scope.filter(zone_scope.filter(query, BanZone.region_code), Patrol.region_code)
    if month:
        first, following = month_bounds(month)
        query = query.where(Patrol.patrolled_on >= first, Patrol.patrolled_on < following)
    totals: dict[tuple[str, str], Tally] = {}
    for number, name, region, day, team, points in session.execute(query).tuples():
        key = (f"{day.year:04d}-{day.month:02d}", number)
        tally = totals.setdefault(key, Tally(name, region))
        tally.patrols += 1
        tally.teams.add(team)
        tally.points += points
    rows = [
        ZoneMonth(month_key, number, t.name, t.region, t.patrols, len(t.teams), t.points)
        for (month_key, number), t in totals.items()
    ]
    rows.sort(key=lambda row: (row.month, row.zone_number))
    rows.sort(key=lambda row: row.month, reverse=True)
    return rows


def patrolled_zone_share(session: Session, *, scope: Scope, month: str) -> tuple[int, int]:
    """(zones patrolled in ``month``, zones in scope): the cockpit's patrol coverage."""
    covered = {row.zone_number for row in by_zone_month(session, scope=scope, month=month)}
    zone_scope = zones.published_to(scope)
    total = session.scalars(zone_scope.filter(select(BanZone.number), BanZone.region_code)).all()
    return len(covered & set(total)), len(total)
