"""The indicators the high-standard farmland module computes for the cockpit.

* ``farmland.built_in_year`` — cultivated land inside the boundaries of the projects of the
  year (建设年度) that have been accepted (竣工验收), new and upgraded, in 万亩 (target 200);
* ``farmland.built_total`` — the same for every accepted project up to the year;
* ``farmland.permanent_share`` — share of permanent basic farmland flagged high-standard (%);
* ``farmland.grain_oil_share`` — share of high-standard farmland with a recorded use that is
  in grain, oil or another use the pack allows there (``land.non_grain.high_standard_uses``);
* ``farmland.overdue_steps`` — projects whose next step is past its time limit;
* ``farmland.open_issues`` — damage reports not yet closed.

A project's area counts in the region of each parcel it covers, so towns and districts add up.
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
from yunong.farmland import maintenance, progress
from yunong.farmland.models import Project, ProjectParcel
from yunong.land import high_standard
from yunong.policy import loader

SQUARE_METRES_PER_WAN_MU = 10000 * 10000 / 15
ACCEPTED = ("accept", "evaluate")


def cockpit_scope(under: str) -> Scope:
    return Scope.system("cockpit").narrowed_to(under)


def built_by_region(
    session: Session, *, scope: Scope, level: Level, first_year: int, last_year: int
) -> dict[str, float]:
    """m² of cultivated land inside accepted projects of those years, by region of ``level``."""
    # A project is kept by its district; its land counts in the region of each parcel, which
    # the parcels' own scope decides (a town sees its share of a district's project).
    rows = session.execute(
        select(ProjectParcel.parcel_id, ProjectParcel.overlap_m2)
        .join(Project, Project.id == ProjectParcel.project_id)
        .where(
            Project.step.in_(ACCEPTED),
            Project.year >= first_year,
            Project.year <= last_year,
        )
    ).all()
    villages = high_standard.villages_of(session, scope=scope, parcel_ids=[r[0] for r in rows])
    length = codes.PREFIX_LENGTHS[level]
    totals: dict[str, float] = defaultdict(float)
    for parcel, overlap in rows:
        village = villages.get(parcel)
        if village is not None:
            totals[village[:length].ljust(12, "0")] += float(overlap)
    return dict(totals)


@indicators.register("farmland.built_in_year")
def built_in_year(session: Session, *, period: int, level: Level, under: str) -> dict[str, Measure]:
    found = built_by_region(
        session, scope=cockpit_scope(under), level=level, first_year=period, last_year=period
    )
    return {code: Measure(area / SQUARE_METRES_PER_WAN_MU) for code, area in found.items()}


@indicators.register("farmland.built_total")
def built_total(session: Session, *, period: int, level: Level, under: str) -> dict[str, Measure]:
    found = built_by_region(
        session, scope=cockpit_scope(under), level=level, first_year=2000, last_year=period
    )
    return {code: Measure(area / SQUARE_METRES_PER_WAN_MU) for code, area in found.items()}


def land_figures(
    session: Session, under: str, level: Level
) -> dict[str, high_standard.RegionFigures]:
    uses = loader.get().land.non_grain.high_standard_uses
    return high_standard.figures(session, scope=cockpit_scope(under), level=level, uses=uses)


@indicators.register("farmland.permanent_share")
def permanent_share(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    return {
        code: Measure(
            100.0 * f.permanent_high_standard / f.permanent,
            numerator=f.permanent_high_standard,
            denominator=f.permanent,
        )
        for code, f in land_figures(session, under, level).items()
        if f.permanent
    }


@indicators.register("farmland.grain_oil_share")
def grain_oil_share(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    return {
        code: Measure(
            100.0 * f.high_standard_grain_oil / f.high_standard_with_use,
            numerator=f.high_standard_grain_oil,
            denominator=f.high_standard_with_use,
        )
        for code, f in land_figures(session, under, level).items()
        if f.high_standard_with_use
    }


@indicators.register("farmland.overdue_steps")
def overdue_steps(session: Session, *, period: int, level: Level, under: str) -> dict[str, Measure]:
    found: dict[str, float] = defaultdict(float)
    length = codes.PREFIX_LENGTHS[level]
    for item in progress.overdue(session, scope=cockpit_scope(under), today=date.today()):
        found[item.project.region_code[:length].ljust(12, "0")] += 1
    return {code: Measure(count) for code, count in found.items()}


@indicators.register("farmland.open_issues")
def open_issues(session: Session, *, period: int, level: Level, under: str) -> dict[str, Measure]:
    length = codes.PREFIX_LENGTHS[level]
    found: dict[str, float] = defaultdict(float)
    for report in maintenance.open_reports(session, scope=cockpit_scope(under)):
        found[report.region_code[:length].ljust(12, "0")] += 1
    return {code: Measure(count) for code, count in found.items()}
