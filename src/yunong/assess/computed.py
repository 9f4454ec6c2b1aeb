"""The computed indicators of the modules that exist today, registered by their pack names.

* ``monitor.zeroing_rate`` — 问题动态清零率 by region, as :func:`yunong.monitor.problems.
  zeroing_rate` defines it (steps and measures due before the period's end that are done),
  in one grouped query over the monitoring tables for every region of a level at once.
* ``land.cultivated_land`` and ``land.recultivation_rate`` — the land module's figures
  (:func:`yunong.land.jobs.statistics`: cultivated area in 万亩; re-cultivated share of
  abandoned land below 25°), added up from the village land summary.
* ``assess.model_village_rate`` — 达标村 over administrative villages, from this module.

A region without any of the module's rows is left out: it has no computed figure.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, func, literal, literal_column, select, union_all
from sqlalchemy.orm import Session

from yunong.assess.registry import Measure, register
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.land import jobs as land_jobs
from yunong.land.models import VillageSummary
from yunong.monitor import calendar
from yunong.monitor.models import Case, CaseStep, Household
from yunong.monitor.models import Measure as HelpMeasure
from yunong.policy import loader as policy

SQUARE_MU_PER_WAN = 10000


def period_end(period: int) -> date:
    """The day after which nothing more falls due in the period (today for the running year)."""
    return min(calendar.today(), date(period + 1, 1, 1))


ZEROING_CACHE = "assess.zeroing"


@register("monitor.zeroing_rate")
def zeroing_rate(session: Session, *, period: int, level: Level, under: str) -> dict[str, Measure]:
    found: dict[str, Measure] = {}
    for region, (due, done) in zeroing_counts(session, period, level, under).items():
        value = 100.0 if due == 0 else 100.0 * done / due
        found[region] = Measure(value, numerator=done, denominator=due)
    return found


def zeroing_counts(
    session: Session, period: int, level: Level, under: str
) -> dict[str, tuple[int, int]]:
    """(due, done) per region of ``level`` inside ``under``.

    A scoring run asks for every level and for the period before as well; it keeps the
    villages' counts of the whole city per period in ``session.info`` and adds them up
    into the level asked, since counts of villages add up exactly into their regions.
    """
    cache = session.info.get(ZEROING_CACHE)
    if cache is None:
        return zeroing_counts_now(session, period, level, under)
    if period not in cache:
        cache[period] = zeroing_counts_now(session, period, Level.VILLAGE, codes.CITY_CODE)
    length = codes.PREFIX_LENGTHS[level]
    prefix = codes.prefix_of(under)
    found: dict[str, tuple[int, int]] = {}
    for village, (due, done) in cache[period].items():
        if village.startswith(prefix):
            region = village[:length].ljust(12, "0")
            total_due, total_done = found.get(region, (0, 0))
            found[region] = (total_due + due, total_done + done)
    return found


def zeroing_counts_now(
    session: Session, period: int, level: Level, under: str
) -> dict[str, tuple[int, int]]:
    length = codes.PREFIX_LENGTHS[level]
    prefix = codes.prefix_of(under)
    day = period_end(period)

    def grouped(column: Any) -> Any:
        # Inline numbers: PostgreSQL does not see two bound parameters as one expression.
        return func.substr(column, literal_column("1"), literal_column(str(length)))

    steps = (
        select(
            grouped(Case.village_code).label("region"),
            func.count().label("due"),
            func.count(CaseStep.done_on).label("done"),
        )
        .select_from(CaseStep)
        .join(Case, Case.id == CaseStep.case_id)
        .where(CaseStep.due_on < day, Case.village_code.startswith(prefix, autoescape=True))
        .group_by(grouped(Case.village_code))
    )
    measures = (
        select(
            grouped(HelpMeasure.village_code).label("region"),
            func.count().label("due"),
            func.count(HelpMeasure.done_on).label("done"),
        )
        .where(
            HelpMeasure.due_on < day, HelpMeasure.village_code.startswith(prefix, autoescape=True)
        )
        .group_by(grouped(HelpMeasure.village_code))
    )
    # Regions with monitored households count too, with nothing due: one probe of the
    # households' village index per region rather than a pass over every household.
    households = (
        select(
            grouped(Region.code).label("region"), literal(0).label("due"), literal(0).label("done")
        )
        .where(
            Region.code.startswith(prefix, autoescape=True),
            exists().where(Household.village_code == Region.code),
        )
        .group_by(grouped(Region.code))
    )
    parts = union_all(steps, measures, households).subquery()
    query = select(parts.c.region, func.sum(parts.c.due), func.sum(parts.c.done)).group_by(
        parts.c.region
    )
    return {
        str(region).ljust(12, "0"): (int(due or 0), int(done or 0))
        for region, due, done in session.execute(query)
    }


@dataclass(frozen=True)
class LandFigures:
    """A region's land in 亩, added up from its villages' land summaries."""

    cultivated: float
    recultivated: float
    to_recultivate: float


def land_figures(session: Session, level: Level, under: str) -> dict[str, LandFigures]:
    """Every region of ``level`` inside ``under`` that has parcels.

    The village land summary holds each village's figures as the land module's analysis
    job computed them from the parcels, refreshed whenever parcels are imported; adding
    it up gives the job's figures for any level (as the map's statistics do) without
    reading millions of parcels.
    """
    length = codes.PREFIX_LENGTHS[level]
    region = func.substr(
        VillageSummary.village_code, literal_column("1"), literal_column(str(length))
    )
    query = (
        select(
            region,
            func.sum(VillageSummary.cultivated),
            func.sum(VillageSummary.recultivated),
            func.sum(VillageSummary.to_recultivate),
        )
        .where(VillageSummary.village_code.startswith(codes.prefix_of(under), autoescape=True))
        .group_by(region)
    )
    return {
        str(code).ljust(12, "0"): LandFigures(
            land_jobs.mu(cultivated), land_jobs.mu(recultivated), land_jobs.mu(to_recultivate)
        )
        for code, cultivated, recultivated, to_recultivate in session.execute(query)
    }


@register("land.cultivated_land")
def cultivated_land(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    return {
        code: Measure(figures.cultivated / SQUARE_MU_PER_WAN)
        for code, figures in land_figures(session, level, under).items()
    }


@register("land.recultivation_rate")
def recultivation_rate(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    found = {}
    for code, figures in land_figures(session, level, under).items():
        total = figures.recultivated + figures.to_recultivate
        value = 100.0 if total == 0 else 100.0 * figures.recultivated / total
        found[code] = Measure(value, numerator=figures.recultivated, denominator=total)
    return found


@register("assess.model_village_rate")
def model_village_rate(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    from yunong.assess import model_village

    return model_village.rate(session, pack=policy.get(), period=period, level=level, under=under)
