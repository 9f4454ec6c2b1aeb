"""The map of open alerts: each village with alerts not yet decided, at its place, with counts.

An alert is open from the screening until the district decides about the household:
first it waits in the queue to be assigned (``Alert.status == "open"``), then its case
goes through verification and the reviews (the identification states of the workflow).
After the decision the household is either monitored (the bars count it) or not
included, and it leaves this map. A case in identification is overdue when its step
or the whole identification is past its limit (the red warning of the work queue).

A village is drawn at its centre in the shared geography (:mod:`yunong.core.regions.geography`:
from an imported boundary layer, or the demo's). A village without one is drawn at its
town's centre and marked as placed by its town; when the town has none either, the
village is counted as "位置未知" rather than drawn somewhere wrong.
"""

from dataclasses import asdict, dataclass, field, replace
from datetime import date

from sqlalchemy import CompoundSelect, Select, func, literal, select, union_all
from sqlalchemy import case as when
from sqlalchemy.orm import Session, aliased

from yunong.core.regions import geography
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.monitor import access, calendar, workflow
from yunong.monitor.models import Alert, Case

IDENTIFYING = [state.value for state in workflow.IDENTIFICATION]


@dataclass(frozen=True)
class Village:
    """One village with open alerts, and where it is drawn (None when not known)."""

    code: str
    name: str
    town: str
    waiting: int
    """Alerts waiting in the queue to be assigned for verification."""
    identifying: int
    """Cases under verification and review, not yet decided by the district."""
    overdue: int
    """Of those cases, the ones past the limit of their step or of identification."""
    lon: float | None = None
    lat: float | None = None
    placed_by_town: bool = False
    """Drawn at its town's centre, having no centre of its own."""

    @property
    def total(self) -> int:
        return self.waiting + self.identifying

    @property
    def placed(self) -> bool:
        return self.lon is not None and self.lat is not None


@dataclass(frozen=True)
class AlertMap:
    villages: list[Village] = field(default_factory=list)
    """Busiest first."""

    @property
    def placed(self) -> list[Village]:
        return [village for village in self.villages if village.placed]

    @property
    def unplaced(self) -> list[Village]:
        return [village for village in self.villages if not village.placed]

    def as_json(self) -> dict[str, object]:
        return {
            "points": [point_json(village) for village in self.placed],
            "unplaced": {
                "villages": len(self.unplaced),
                "waiting": sum(village.waiting for village in self.unplaced),
                "identifying": sum(village.identifying for village in self.unplaced),
            },
        }


def point_json(village: Village) -> dict[str, object]:
    # Five decimals are about a metre: more says nothing about a village's centre.
    return asdict(village) | {
        "lon": round(village.lon or 0, 5),
        "lat": round(village.lat or 0, 5),
        "total": village.total,
    }


def get(session: Session, *, scope: Scope, today: date | None = None) -> AlertMap:
    """The villages inside ``scope`` with open alerts, their counts and their places.

    Example: a town officer of 龙沙镇 gets the villages of 龙沙镇 only::

        found = get(session, scope=town_scope, today=date(2024, 7, 1))
        [(v.name, v.waiting, v.identifying, v.overdue) for v in found.villages]
    """
    access.require_reader(scope)
    day = today or calendar.today()
    rows = session.execute(counts_by_village(scope, day)).all()
    centres = geography.get_centres(session, scope=scope, codes=[row.village_code for row in rows])
    villages = [
        placed(
            Village(
                code=row.village_code,
                name=row.village_name or row.village_code,
                town=row.town_name or "",
                waiting=int(row.waiting),
                identifying=int(row.identifying),
                overdue=int(row.overdue),
            ),
            centres.get(row.village_code),
        )
        for row in rows
    ]
    villages.sort(key=lambda village: (-village.total, -village.overdue, village.code))
    return AlertMap(villages)


def open_work(scope: Scope, day: date) -> CompoundSelect:
    """One row per open alert waiting and per case in identification, inside ``scope``."""
    waiting = scope.filter(
        select(
            Alert.village_code.label("village_code"),
            literal(1).label("waiting"),
            literal(0).label("identifying"),
            literal(0).label("overdue"),
        ).where(Alert.status == "open"),
        Alert.village_code,
    )
    # Red in workflow.warning: today past the step's limit or the identification's.
    late = (Case.step_due_on < day) | (Case.identification_due_on < day)
    identifying = scope.filter(
        select(
            Case.village_code,
            literal(0),
            literal(1),
            when((late, 1), else_=0),
        ).where(Case.state.in_(IDENTIFYING)),
        Case.village_code,
    )
    return union_all(waiting, identifying)


def counts_by_village(scope: Scope, day: date) -> Select:
    """Counts per village with its name and its town's name."""
    work = open_work(scope, day).subquery()
    village = aliased(Region)
    town = aliased(Region)
    return (
        select(
            work.c.village_code,
            village.name.label("village_name"),
            town.name.label("town_name"),
            func.sum(work.c.waiting).label("waiting"),
            func.sum(work.c.identifying).label("identifying"),
            func.sum(work.c.overdue).label("overdue"),
        )
        .outerjoin(village, village.code == work.c.village_code)
        .outerjoin(town, town.code == village.parent_code)
        .group_by(work.c.village_code, village.name, town.name)
    )


def placed(village: Village, centre: geography.Centre | None) -> Village:
    if centre is None:
        return village
    return replace(village, lon=centre.lon, lat=centre.lat, placed_by_town=centre.by_town)
