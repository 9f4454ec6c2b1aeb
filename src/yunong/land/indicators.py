"""The indicators the land module computes for the cockpit.

* ``land.cultivated_land`` — cultivated area in 万亩;
* ``land.recultivation_rate`` — re-cultivated share of the abandoned land below 25°.

Both add up the village land summary, which holds each village's figures as
:func:`yunong.land.jobs.statistics` computed them from the parcels and is refreshed
whenever parcels are imported: any level's figures without reading millions of parcels.
"""

from dataclasses import dataclass

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session

from yunong.core import indicators
from yunong.core.indicators import Measure
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.land import jobs
from yunong.land.models import VillageSummary

SQUARE_MU_PER_WAN = 10000


@dataclass(frozen=True)
class LandFigures:
    """A region's land in 亩, added up from its villages' land summaries."""

    cultivated: float
    recultivated: float
    to_recultivate: float


def land_figures(session: Session, *, scope: Scope, level: Level) -> dict[str, LandFigures]:
    """Every region of ``level`` inside the scope that has parcels."""
    length = codes.PREFIX_LENGTHS[level]
    region = func.substr(
        VillageSummary.village_code, literal_column("1"), literal_column(str(length))
    )
    query = scope.filter(
        select(
            region,
            func.sum(VillageSummary.cultivated),
            func.sum(VillageSummary.recultivated),
            func.sum(VillageSummary.to_recultivate),
        ).group_by(region),
        VillageSummary.village_code,
    )
    return {
        str(code).ljust(12, "0"): LandFigures(
            jobs.mu(cultivated), jobs.mu(recultivated), jobs.mu(to_recultivate)
        )
        for code, cultivated, recultivated, to_recultivate in session.execute(query)
    }


def figures_under(session: Session, level: Level, under: str) -> dict[str, LandFigures]:
    return land_figures(session, scope=Scope.system("cockpit").narrowed_to(under), level=level)


@indicators.register("land.cultivated_land")
def cultivated_land(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    return {
        code: Measure(figures.cultivated / SQUARE_MU_PER_WAN)
        for code, figures in figures_under(session, level, under).items()
    }


@indicators.register("land.recultivation_rate")
def recultivation_rate(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    found = {}
    for code, figures in figures_under(session, level, under).items():
        total = figures.recultivated + figures.to_recultivate
        value = 100.0 if total == 0 else 100.0 * figures.recultivated / total
        found[code] = Measure(value, numerator=figures.recultivated, denominator=total)
    return found
