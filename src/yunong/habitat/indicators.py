"""The figures the habitat registries compute for the cockpit and the 达标村 checklist.

* ``habitat.no_black_water`` — share (%) of tested water bodies that are not black and
  odorous by their latest test up to the period's end: a village is clear at 100 %;
* ``habitat.black_odorous_bodies`` — how many bodies are black and odorous by that test;
* ``habitat.sewage_treated`` — share (%) of settlements of the rule's size (200 households
  or 500 residents) served by a facility with its network whose latest inspection passed;
* ``habitat.sanitary_toilets`` — share (%) of recorded household toilets that are sanitary;
* ``habitat.refuse_collected`` — share (%) of settlements inside refuse collection;
* ``habitat.clear_district_rate`` — 清零区县创建成功率 (%), districts with registered water.

A region without the registry's data is left out, so the 达标村 checklist falls back to the
village's own answer there.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core import indicators
from yunong.core.indicators import Measure
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.habitat import remediation, sewage
from yunong.habitat.models import (
    FacilityInspection,
    Settlement,
    SewageFacility,
    Toilet,
    WaterBody,
    WaterTest,
)
from yunong.policy import loader as policy
from yunong.policy.schema import Habitat


def within(under: str) -> Scope:
    return Scope.system("cockpit").narrowed_to(under)


def region_key(code: str, level: Level) -> str:
    return code[: codes.PREFIX_LENGTHS[level]].ljust(12, "0")


def shares(pairs: Iterable[tuple[str, bool]], level: Level) -> dict[str, Measure]:
    """(region code, yes) pairs as the share of yes per region of ``level``, in %."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for code, yes in pairs:
        counts = tally[region_key(code, level)]
        counts[0] += int(yes)
        counts[1] += 1
    return {
        code: Measure(100.0 * met / total, numerator=met, denominator=total)
        for code, (met, total) in tally.items()
    }


def latest_classes(session: Session, *, scope: Scope, period: int) -> dict[int, tuple[str, bool]]:
    """Each body's (region, black) by its latest test up to the end of ``period``."""
    query = scope.filter(
        select(WaterBody.id, WaterBody.region_code, WaterTest.black)
        .join(WaterTest, WaterTest.body_id == WaterBody.id)
        .where(WaterTest.tested_on <= date(period, 12, 31))
        .order_by(WaterTest.tested_on),
        WaterBody.region_code,
    )
    return {body: (region, black) for body, region, black in session.execute(query)}


@indicators.register("habitat.no_black_water")
def no_black_water(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    found = latest_classes(session, scope=within(under), period=period)
    return shares(((region, not black) for region, black in found.values()), level)


@indicators.register("habitat.black_odorous_bodies")
def black_odorous_bodies(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    counts: dict[str, int] = defaultdict(int)
    for region, black in latest_classes(session, scope=within(under), period=period).values():
        counts[region_key(region, level)] += int(black)
    return {code: Measure(float(count)) for code, count in counts.items()}


@indicators.register("habitat.sewage_treated")
def sewage_treated(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    return shares(treated_settlements(session, scope=within(under), period=period), level)


def treated_settlements(session: Session, *, scope: Scope, period: int) -> list[tuple[str, bool]]:
    """(village, treated) of each settlement of the rule's size in the scope."""
    size = sewage.floor(policy.get())
    failed = {
        facility: not inspection.passed
        for facility, inspection in latest_inspections(session, scope=scope, period=period).items()
    }
    query = scope.filter(
        select(Settlement, SewageFacility.network).outerjoin(
            SewageFacility, SewageFacility.id == Settlement.facility_id
        ),
        Settlement.region_code,
    )
    return [
        (
            settlement.region_code,
            bool(network) and not failed.get(settlement.facility_id or 0, False),
        )
        for settlement, network in session.execute(query)
        if sewage.needs_facility(settlement, size)
    ]


def latest_inspections(
    session: Session, *, scope: Scope, period: int
) -> dict[int, FacilityInspection]:
    query = scope.filter(
        select(FacilityInspection)
        .join(SewageFacility, SewageFacility.id == FacilityInspection.facility_id)
        .where(FacilityInspection.inspected_on <= date(period, 12, 31))
        .order_by(FacilityInspection.inspected_on),
        SewageFacility.region_code,
    )
    return {inspection.facility_id: inspection for inspection in session.scalars(query)}


@indicators.register("habitat.sanitary_toilets")
def sanitary_toilets(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    return shares(toilet_records(session, scope=within(under), period=period), level)


def toilet_records(session: Session, *, scope: Scope, period: int) -> list[tuple[str, bool]]:
    """(village, sanitary) of each toilet recorded by the end of ``period`` in the scope."""
    query = scope.filter(
        select(Toilet.region_code, Toilet.sanitary).where(
            Toilet.recorded_on <= date(period, 12, 31)
        ),
        Toilet.region_code,
    )
    return [(region, bool(yes)) for region, yes in session.execute(query)]


@indicators.register("habitat.refuse_collected")
def refuse_collected(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    return shares(refuse_records(session, scope=within(under)), level)


def refuse_records(session: Session, *, scope: Scope) -> list[tuple[str, bool]]:
    """(village, inside refuse collection) of each settlement in the scope."""
    query = scope.filter(
        select(Settlement.region_code, Settlement.refuse_collected), Settlement.region_code
    )
    return [(region, bool(yes)) for region, yes in session.execute(query)]


@indicators.register("habitat.clear_district_rate")
def clear_district_rate(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    rules = habitat_rules().black_odorous
    districts = remediation.clearance(session, scope=within(under), rules=rules)
    pairs = [(district.code, district.cleared) for district in districts]
    return shares(pairs, level) if level in (Level.CITY, Level.DISTRICT) else {}


def habitat_rules() -> Habitat:
    found = policy.get().habitat
    if found is None:
        raise LookupError("策略包没有人居环境（habitat）一节")
    return found
