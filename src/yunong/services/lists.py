"""The 农事服务 lists (``core/listing.py``): machines, orders, trusteeship contracts and drying
bookings, each in the caller's scope, paged, sorted, filtered and searched the same way."""

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.listing import Listing, ListSpec, Page, Sort
from yunong.core.regions.outlines import region_names
from yunong.core.scope import Scope
from yunong.policy.schema import Services
from yunong.services.grouping import OrderGroup, groups_around
from yunong.services.models import (
    DryingBooking,
    DryingCentre,
    Machine,
    Order,
    Provider,
    Trusteeship,
)

MACHINE_STATUSES = {"available": "可用", "repair": "维修"}
ORDER_STATUSES = {
    "open": "待派单",
    "dispatched": "已派单待确认",
    "confirmed": "已确认",
    "done": "已完成",
}
DRYING_STATUSES = {"booked": "已预约", "waiting": "候补"}
CONTRACT_STATES = {"open": "未结算", "settled": "已结算"}


def machine_spec(rules: Services) -> ListSpec:
    return ListSpec(
        sorts={
            "code": Sort("机具编号", (Machine.code, Machine.id)),
            "capacity": Sort("作业能力", (Machine.capacity_mu, Machine.id)),
        },
        default_sort="code",
        statuses=MACHINE_STATUSES,
        categories={kind: kind for kind in rules.machine_types},
        category_label="机具类型",
        search="机具编号、机手",
    )


def order_spec(rules: Services) -> ListSpec:
    return ListSpec(
        sorts={
            "earliest": Sort("最早日期", (Order.earliest, Order.id)),
            "code": Sort("订单编号", (Order.code, Order.id)),
            "area": Sort("面积", (Order.area_mu, Order.id)),
        },
        default_sort="-earliest",
        statuses=ORDER_STATUSES,
        categories={operation: operation for operation in rules.operations},
        category_label="作业类型",
        dated="最早日期",
        search="订单编号、下单人",
    )


def contract_spec(rules: Services) -> ListSpec:
    return ListSpec(
        sorts={
            "code": Sort("合同编号", (Trusteeship.code, Trusteeship.id)),
            "year": Sort("年度", (Trusteeship.year, Trusteeship.id)),
            "area": Sort("面积", (Trusteeship.area_mu, Trusteeship.id)),
        },
        default_sort="code",
        statuses=CONTRACT_STATES,
        status_label="结算",
        categories=rules.trusteeship.kinds,
        category_label="托管方式",
        search="合同编号、农户",
    )


BOOKINGS = ListSpec(
    sorts={
        "day": Sort("烘干日期", (DryingBooking.day, DryingBooking.id)),
        "tonnes": Sort("吨数", (DryingBooking.tonnes, DryingBooking.id)),
    },
    default_sort="-day",
    statuses=DRYING_STATUSES,
    dated="烘干日期",
    search="预约人",
)


def ordered(page: Page, spec: ListSpec) -> Page:
    if page.sort:
        return page
    sort, descending = listing.sort_of("", spec)
    return replace(page, sort=sort, descending=descending)


@dataclass(frozen=True)
class MachineRow:
    machine: Machine
    provider: str
    place: str
    operations: str


def get_machines(
    session: Session, *, scope: Scope, page: Page, rules: Services
) -> Listing[MachineRow]:
    spec = machine_spec(rules)
    page = ordered(page, spec)
    query: Select[Any] = scope.filter(select(Machine), Machine.region_code)
    if page.status:
        query = query.where(Machine.status == page.status)
    if page.category:
        query = query.where(Machine.kind == page.category)
    if page.search:
        query = query.where(
            or_(
                Machine.code.contains(page.search, autoescape=True),
                Machine.operator.contains(page.search, autoescape=True),
            )
        )
    found = listing.fetch(session, query, page, spec)
    rows: list[Machine] = found.rows
    providers = provider_names(session, scope, {m.provider_id for m in rows if m.provider_id})
    names = region_names(session, scope, {m.region_code for m in rows})
    return found.with_rows(
        [
            MachineRow(
                machine,
                providers.get(machine.provider_id or 0, ""),
                names.get(machine.region_code, machine.region_code),
                "、".join(rules.machine_types.get(machine.kind, ())),
            )
            for machine in rows
        ]
    )


def provider_names(session: Session, scope: Scope, ids: set[int]) -> dict[int, str]:
    """Names of the providers (registered in the caller's scope) of the rows shown."""
    if not ids:
        return {}
    query = scope.filter(
        select(Provider.id, Provider.name).where(Provider.id.in_(ids)), Provider.region_code
    )
    return dict(session.execute(query).tuples().all())


@dataclass(frozen=True)
class OrderRow:
    order: Order
    village: str
    status: str
    group: OrderGroup | None = None
    """Its village's orders for the operation in an overlapping window, if still active."""


def get_orders(session: Session, *, scope: Scope, page: Page, rules: Services) -> Listing[OrderRow]:
    spec = order_spec(rules)
    page = ordered(page, spec)
    query: Select[Any] = scope.filter(select(Order), Order.region_code)
    if page.status:
        query = query.where(Order.status == page.status)
    if page.category:
        query = query.where(Order.operation == page.category)
    if page.date_from:
        query = query.where(Order.earliest >= page.date_from)
    if page.date_to:
        query = query.where(Order.earliest <= page.date_to)
    if page.search:
        query = query.where(
            or_(
                Order.code.contains(page.search, autoescape=True),
                Order.requester.contains(page.search, autoescape=True),
            )
        )
    found = listing.fetch(session, query, page, spec)
    rows: list[Order] = found.rows
    names = region_names(session, scope, {o.region_code for o in rows})
    groups = groups_around(session, scope=scope, orders=rows, names=names)
    return found.with_rows(
        [
            OrderRow(
                order,
                names.get(order.region_code, order.region_code),
                ORDER_STATUSES[order.status],
                groups.get(order.id),
            )
            for order in rows
        ]
    )


@dataclass(frozen=True)
class ContractRow:
    contract: Trusteeship
    village: str
    provider: str
    kind: str
    profit_model: str


def get_contracts(
    session: Session, *, scope: Scope, page: Page, rules: Services
) -> Listing[ContractRow]:
    spec = contract_spec(rules)
    page = ordered(page, spec)
    query: Select[Any] = scope.filter(select(Trusteeship), Trusteeship.region_code)
    if page.status == "settled":
        query = query.where(Trusteeship.recorded_kg.is_not(None))
    elif page.status == "open":
        query = query.where(Trusteeship.recorded_kg.is_(None))
    if page.category:
        query = query.where(Trusteeship.kind == page.category)
    if page.search:
        query = query.where(
            or_(
                Trusteeship.code.contains(page.search, autoescape=True),
                Trusteeship.farmer.contains(page.search, autoescape=True),
            )
        )
    found = listing.fetch(session, query, page, spec)
    rows: list[Trusteeship] = found.rows
    providers = provider_names(session, scope, {c.provider_id for c in rows})
    names = region_names(session, scope, {c.region_code for c in rows})
    return found.with_rows(
        [
            ContractRow(
                contract,
                names.get(contract.region_code, contract.region_code),
                providers.get(contract.provider_id, ""),
                rules.trusteeship.kinds.get(contract.kind, contract.kind),
                rules.trusteeship.profit_models.get(contract.profit_model, contract.profit_model),
            )
            for contract in rows
        ]
    )


@dataclass(frozen=True)
class BookingRow:
    booking: DryingBooking
    centre: str
    status: str


def get_bookings(session: Session, *, scope: Scope, page: Page) -> Listing[BookingRow]:
    page = ordered(page, BOOKINGS)
    query: Select[Any] = scope.filter(select(DryingBooking), DryingBooking.region_code)
    if page.status:
        query = query.where(DryingBooking.status == page.status)
    if page.date_from:
        query = query.where(DryingBooking.day >= page.date_from)
    if page.date_to:
        query = query.where(DryingBooking.day <= page.date_to)
    if page.search:
        query = query.where(DryingBooking.requester.contains(page.search, autoescape=True))
    found = listing.fetch(session, query, page, BOOKINGS)
    rows: list[DryingBooking] = found.rows
    centres = centre_names(session, scope, {b.centre_id for b in rows})
    return found.with_rows(
        [BookingRow(b, centres.get(b.centre_id, ""), DRYING_STATUSES[b.status]) for b in rows]
    )


def centre_names(session: Session, scope: Scope, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = scope.filter(
        select(DryingCentre.id, DryingCentre.name).where(DryingCentre.id.in_(ids)),
        DryingCentre.region_code,
    )
    return dict(session.execute(query).tuples().all())


def centres(session: Session, *, scope: Scope) -> list[DryingCentre]:
    """The drying centres of the scope (a district has a few), by code."""
    return list(
        session.scalars(
            scope.filter(select(DryingCentre), DryingCentre.region_code).order_by(DryingCentre.code)
        )
    )
