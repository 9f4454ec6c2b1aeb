"""The habitat lists (``core/listing.py``): water bodies by their latest class, settlements
with whether they need and have a sewage facility, and the toilet subsidies by step."""

from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.listing import Listing, ListSpec, Page, Sort
from yunong.core.regions import service as regions
from yunong.core.regions.service import PlaceNames
from yunong.core.scope import Scope
from yunong.habitat import sewage
from yunong.habitat.models import Remediation, Settlement, SewageFacility, ToiletSubsidy, WaterBody
from yunong.habitat.toilets import STATE_LABELS
from yunong.policy.schema import Pack

WATER = ListSpec(
    sorts={
        "code": Sort("水体编号", (WaterBody.code,)),
        "tested": Sort("检测日期", (WaterBody.tested_on, WaterBody.code)),
        "area": Sort("面积", (WaterBody.area_m2, WaterBody.code)),
    },
    default_sort="code",
    statuses={"black": "黑臭", "clear": "非黑臭", "untested": "未检测"},
    status_label="最近一次检测",
    search="水体编号、名称",
)
SETTLEMENTS = ListSpec(
    sorts={
        "code": Sort("聚居点编号", (Settlement.code,)),
        "households": Sort("户数", (Settlement.households, Settlement.code)),
        "residents": Sort("人数", (Settlement.residents, Settlement.code)),
    },
    default_sort="code",
    statuses={"unserved": "应建未建污水处理设施"},
    status_label="污水处理",
    search="聚居点编号、名称",
)
SUBSIDIES = ListSpec(
    sorts={
        "applied": Sort("申请日期", (ToiletSubsidy.applied_on, ToiletSubsidy.id)),
        "household": Sort("户编号", (ToiletSubsidy.household_number, ToiletSubsidy.id)),
    },
    default_sort="-applied",
    statuses={state.value: label for state, label in STATE_LABELS.items()},
    status_label="环节",
    search="户主姓名、户编号",
)


@dataclass(frozen=True)
class WaterRow:
    body: WaterBody
    place: PlaceNames
    stage: str
    """The stage of its remediation; empty without one."""


def water_query(scope: Scope, page: Page) -> Select[tuple[WaterBody]]:
    query = page.within(scope).filter(select(WaterBody), WaterBody.region_code)
    if page.status == "black":
        query = query.where(WaterBody.black.is_(True))
    elif page.status == "clear":
        query = query.where(WaterBody.black.is_(False))
    elif page.status == "untested":
        query = query.where(WaterBody.black.is_(None))
    if page.search:
        query = query.where(
            or_(
                WaterBody.code.contains(page.search, autoescape=True),
                WaterBody.name.contains(page.search, autoescape=True),
            )
        )
    return query


def get_water(session: Session, *, scope: Scope, page: Page) -> Listing[WaterRow]:
    found = listing.fetch(session, water_query(scope, page), page, WATER)
    bodies: list[WaterBody] = found.rows
    query = select(Remediation.body_id, Remediation.stage).where(
        Remediation.body_id.in_([body.id for body in bodies])
    )
    stages = {body_id: stage for body_id, stage in session.execute(query)}
    names = regions.get_place_names(session, village_codes=[body.region_code for body in bodies])
    rows = [WaterRow(body, names[body.region_code], stages.get(body.id, "")) for body in bodies]
    return found.with_rows(rows)


@dataclass(frozen=True)
class SettlementRow:
    settlement: Settlement
    place: PlaceNames
    needs_facility: bool
    facility: str
    """The facility's name, or why it lacks one."""


def settlement_query(scope: Scope, page: Page, pack: Pack) -> Select[tuple[Settlement]]:
    query = page.within(scope).filter(select(Settlement), Settlement.region_code)
    if page.status == "unserved":
        size = sewage.floor(pack)
        query = (
            query.outerjoin(SewageFacility, SewageFacility.id == Settlement.facility_id)
            .where(
                or_(
                    Settlement.households >= size.households,
                    Settlement.residents >= size.residents,
                )
            )
            .where(or_(SewageFacility.id.is_(None), SewageFacility.network.is_(False)))
        )
    if page.search:
        query = query.where(
            or_(
                Settlement.code.contains(page.search, autoescape=True),
                Settlement.name.contains(page.search, autoescape=True),
            )
        )
    return query


def get_settlements(
    session: Session, *, scope: Scope, page: Page, pack: Pack
) -> Listing[SettlementRow]:
    found = listing.fetch(session, settlement_query(scope, page, pack), page, SETTLEMENTS)
    settlements: list[Settlement] = found.rows
    size = sewage.floor(pack)
    ids = {item.facility_id for item in settlements if item.facility_id}
    facilities = {
        facility.id: facility
        for facility in session.scalars(select(SewageFacility).where(SewageFacility.id.in_(ids)))
    }
    names = regions.get_place_names(
        session, village_codes=[item.region_code for item in settlements]
    )
    rows = []
    for item in settlements:
        facility = facilities.get(item.facility_id or 0)
        if facility is None:
            served = ""
        elif not facility.network:
            served = f"{facility.name}（无配套管网）"
        else:
            served = facility.name
        rows.append(
            SettlementRow(item, names[item.region_code], sewage.needs_facility(item, size), served)
        )
    return found.with_rows(rows)


@dataclass(frozen=True)
class SubsidyRow:
    subsidy: ToiletSubsidy
    place: PlaceNames


def get_subsidies(session: Session, *, scope: Scope, page: Page) -> Listing[SubsidyRow]:
    query = page.within(scope).filter(select(ToiletSubsidy), ToiletSubsidy.region_code)
    if page.status:
        query = query.where(ToiletSubsidy.state == page.status)
    if page.search:
        query = query.where(
            or_(
                ToiletSubsidy.head_name.contains(page.search, autoescape=True),
                ToiletSubsidy.household_number.contains(page.search, autoescape=True),
            )
        )
    found = listing.fetch(session, query, page, SUBSIDIES)
    subsidies: list[ToiletSubsidy] = found.rows
    names = regions.get_place_names(session, village_codes=[item.region_code for item in subsidies])
    return found.with_rows([SubsidyRow(item, names[item.region_code]) for item in subsidies])
