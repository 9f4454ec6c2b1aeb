"""The 长江治渔 lists (``core/listing.py``): ban zones, patrols, tips, cases and retired
fishers, each in the caller's scope, paged, sorted, filtered and searched the same way."""

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.listing import Listing, ListSpec, Page, Sort
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.fishery import cases, fishers, tips, zones
from yunong.fishery.models import BanZone, Case, Patrol, RetiredFisher, Team, Tip
from yunong.monitor.models import Person

ZONES = ListSpec(
    sorts={
        "number": Sort("水域编号", (BanZone.number, BanZone.id)),
        "starts": Sort("起始日期", (BanZone.starts_on, BanZone.id)),
        "area": Sort("面积", (BanZone.area_m2, BanZone.id)),
    },
    default_sort="number",
    categories={kind.value: label for kind, label in zones.KIND_LABELS.items()},
    category_label="水域类型",
    search="水域编号、水域名称",
)
PATROLS = ListSpec(
    sorts={
        "day": Sort("巡查日期", (Patrol.patrolled_on, Patrol.id)),
        "length": Sort("航迹长度", (Patrol.length_m, Patrol.id)),
    },
    default_sort="-day",
    categories={"gpx": "GPX 导入", "phone": "手机记录"},
    category_label="来源",
    dated="巡查日期",
)
TIPS = ListSpec(
    sorts={"received": Sort("举报时间", (Tip.received_at, Tip.id))},
    default_sort="-received",
    statuses=tips.STATUS_LABELS,
    search="举报编号、地点",
)
CASES = ListSpec(
    sorts={
        "found": Sort("发现日期", (Case.found_on, Case.id)),
        "number": Sort("案件编号", (Case.number, Case.id)),
    },
    default_sort="-found",
    statuses=cases.STEP_LABELS,
    status_label="环节",
    dated="发现日期",
    search="案件编号、地点",
)
FISHERS = ListSpec(
    sorts={
        "retired": Sort("退捕日期", (RetiredFisher.retired_on, RetiredFisher.id)),
        "compensation": Sort("补偿金额", (RetiredFisher.compensation, RetiredFisher.id)),
    },
    default_sort="-retired",
    statuses=fishers.EMPLOYMENT_LABELS,
    status_label="转产就业",
    categories=fishers.INSURANCE_LABELS,
    category_label="参保情况",
    search="姓名、全农码",
)


def ordered(page: Page, spec: ListSpec) -> Page:
    if page.sort:
        return page
    sort, descending = listing.sort_of("", spec)
    return replace(page, sort=sort, descending=descending)


def names_of(session: Session, codes: set[str]) -> dict[str, str]:
    return {code: regions.get(session, code=code).name for code in codes}


@dataclass(frozen=True)
class ZoneRow:
    zone: BanZone
    district: str
    kind: str
    area_km2: float


def get_zones(session: Session, *, scope: Scope, page: Page) -> Listing[ZoneRow]:
    page = ordered(page, ZONES)
    query: Select[Any] = zones.published_to(scope).filter(select(BanZone), BanZone.region_code)
    if page.category:
        query = query.where(BanZone.kind == page.category)
    if page.search:
        query = query.where(
            or_(
                BanZone.number.contains(page.search, autoescape=True),
                BanZone.name.contains(page.search, autoescape=True),
            )
        )
    found = listing.fetch(session, query, page, ZONES)
    rows: list[BanZone] = found.rows
    names = names_of(session, {zone.region_code for zone in rows})
    return found.with_rows(
        [
            ZoneRow(
                zone,
                names[zone.region_code],
                zones.KIND_LABELS[zones.ZoneKind(zone.kind)],
                round(float(zone.area_m2) / 1e6, 3),
            )
            for zone in rows
        ]
    )


@dataclass(frozen=True)
class PatrolRow:
    patrol: Patrol
    team: str
    length_km: float


def get_patrols(session: Session, *, scope: Scope, page: Page) -> Listing[PatrolRow]:
    page = ordered(page, PATROLS)
    query: Select[Any] = scope.filter(select(Patrol), Patrol.region_code)
    if page.category:
        query = query.where(Patrol.source == page.category)
    if page.date_from:
        query = query.where(Patrol.patrolled_on >= page.date_from)
    if page.date_to:
        query = query.where(Patrol.patrolled_on <= page.date_to)
    found = listing.fetch(session, query, page, PATROLS)
    rows: list[Patrol] = found.rows
    team_names = {
        team.id: team.name
        for team in session.scalars(
            scope.filter(
                select(Team).where(Team.id.in_({p.team_id for p in rows})), Team.region_code
            )
        )
    }
    return found.with_rows(
        [
            PatrolRow(patrol, team_names.get(patrol.team_id, ""), round(patrol.length_m / 1000, 3))
            for patrol in rows
        ]
    )


@dataclass(frozen=True)
class TipRow:
    tip: Tip
    district: str
    phone: str
    status: str


def get_tips(session: Session, *, scope: Scope, page: Page) -> Listing[TipRow]:
    page = ordered(page, TIPS)
    query: Select[Any] = scope.filter(select(Tip), Tip.region_code)
    if page.status:
        query = query.where(Tip.status == page.status)
    if page.search:
        query = query.where(
            or_(
                Tip.reference.contains(page.search.upper(), autoescape=True),
                Tip.place.contains(page.search, autoescape=True),
            )
        )
    found = listing.fetch(session, query, page, TIPS)
    rows: list[Tip] = found.rows
    names = names_of(session, {tip.region_code for tip in rows})
    return found.with_rows(
        [
            TipRow(
                tip,
                names[tip.region_code],
                tips.mask_phone(tip.phone),
                tips.STATUS_LABELS[tip.status],
            )
            for tip in rows
        ]
    )


@dataclass(frozen=True)
class CaseRow:
    case: Case
    district: str
    step: str


def get_cases(session: Session, *, scope: Scope, page: Page) -> Listing[CaseRow]:
    page = ordered(page, CASES)
    query: Select[Any] = scope.filter(select(Case), Case.region_code)
    if page.status:
        query = query.where(Case.step == page.status)
    if page.date_from:
        query = query.where(Case.found_on >= page.date_from)
    if page.date_to:
        query = query.where(Case.found_on <= page.date_to)
    if page.search:
        query = query.where(
            or_(
                Case.number.contains(page.search.upper(), autoescape=True),
                Case.place.contains(page.search, autoescape=True),
            )
        )
    found = listing.fetch(session, query, page, CASES)
    rows: list[Case] = found.rows
    names = names_of(session, {case.region_code for case in rows})
    return found.with_rows(
        [CaseRow(case, names[case.region_code], cases.STEP_LABELS[case.step]) for case in rows]
    )


@dataclass(frozen=True)
class FisherListRow:
    fisher: RetiredFisher
    name: str
    person_code: str
    village: str
    insurance: str
    employment: str


def get_fishers(session: Session, *, scope: Scope, page: Page) -> Listing[FisherListRow]:
    page = ordered(page, FISHERS)
    query: Select[Any] = scope.filter(select(RetiredFisher), RetiredFisher.village_code)
    if page.status:
        query = query.where(RetiredFisher.employment == page.status)
    if page.category:
        query = query.where(RetiredFisher.insurance == page.category)
    if page.search:
        people = select(Person.id).where(
            or_(
                Person.name.contains(page.search, autoescape=True),
                Person.code == page.search.upper(),
            )
        )
        query = query.where(RetiredFisher.person_id.in_(people))
    found = listing.fetch(session, query, page, FISHERS)
    rows: list[RetiredFisher] = found.rows
    people_of = {
        person.id: person
        for person in session.scalars(
            select(Person).where(Person.id.in_({fisher.person_id for fisher in rows}))
        )
    }
    names = names_of(session, {fisher.village_code for fisher in rows})
    return found.with_rows(
        [
            FisherListRow(
                fisher,
                people_of[fisher.person_id].name,
                people_of[fisher.person_id].code,
                names[fisher.village_code],
                fishers.INSURANCE_LABELS[fisher.insurance],
                fishers.EMPLOYMENT_LABELS[fisher.employment],
            )
            for fisher in rows
        ]
    )
