"""What the 农事服务 officer pages show: the overview of the caller's region, an order with
its parcels and their work, a machine with its day's orders, and the dispatch board of a day.
Every read goes through the caller's scope."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden, InvalidValue, NotFound
from yunong.core.parsing import fold
from yunong.core.regions.outlines import region_names
from yunong.core.scope import Scope
from yunong.services import OFFICERS, dispatch, importers, solver
from yunong.services.grouping import OrderGroup, group_orders
from yunong.services.models import (
    Assignment,
    DryingCentre,
    Machine,
    Order,
    OrderParcel,
    Provider,
    Trusteeship,
    WorkRecord,
)

DISPATCHERS = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER})
"""Who runs and confirms a day's dispatch: the district's or town's service centre."""
ORDER_ENTRY = frozenset({Role.VILLAGE_CADRE, Role.TOWN_OFFICER, Role.DISTRICT_OFFICER})
"""Who enters an order for a household (代下单)."""
MAX_ACCURACY_M = 1000.0
"""A phone's fix less precise than this (metres) does not move a machine."""


def check_officer(scope: Scope) -> None:
    if scope.role is not None and scope.role not in OFFICERS:
        raise Forbidden("您的角色不能查看农事服务的管理页面")


def check_dispatcher(scope: Scope) -> None:
    if scope.role is not None and scope.role not in DISPATCHERS:
        raise Forbidden("只有区县、乡镇的农机服务中心可以派单")


@dataclass(frozen=True)
class Overview:
    today: date
    machines: int
    machines_in_repair: int
    orders_by_status: dict[str, int]
    proposed_today: int
    confirmed_today: int
    open_today: int
    """Open orders whose work window holds today."""
    area_served_mu: Decimal
    trusteeship_contracts: int
    trusteeship_area_mu: Decimal
    drying_centres: int
    drying_tonnes_per_day: Decimal
    coverage_percent: float | None
    """Share of this year's orders done (services.machinery_coverage)."""


def overview(session: Session, *, scope: Scope, today: date) -> Overview:
    check_officer(scope)
    machines = dict(
        session.execute(
            scope.filter(
                select(Machine.status, func.count()).group_by(Machine.status), Machine.region_code
            )
        )
        .tuples()
        .all()
    )
    statuses = dict(
        session.execute(
            scope.filter(
                select(Order.status, func.count()).group_by(Order.status), Order.region_code
            )
        )
        .tuples()
        .all()
    )
    day = dict(
        session.execute(
            scope.filter(
                select(Assignment.confirmed, func.count())
                .join(Order, Order.id == Assignment.order_id)
                .where(Assignment.day == today)
                .group_by(Assignment.confirmed),
                Order.region_code,
            )
        )
        .tuples()
        .all()
    )
    open_today = session.scalar(
        scope.filter(
            select(func.count()).where(
                Order.status == dispatch.OPEN, Order.earliest <= today, Order.latest >= today
            ),
            Order.region_code,
        )
    )
    year = (date(today.year, 1, 1), date(today.year, 12, 31))
    served = session.scalar(
        scope.filter(
            select(func.coalesce(func.sum(WorkRecord.area_mu), 0)).where(
                WorkRecord.done_on.between(*year)
            ),
            WorkRecord.region_code,
        )
    )
    contracts, contract_area = session.execute(
        scope.filter(
            select(func.count(), func.coalesce(func.sum(Trusteeship.area_mu), 0)).where(
                Trusteeship.year == today.year
            ),
            Trusteeship.region_code,
        )
    ).one()
    centres, tonnes = session.execute(
        scope.filter(
            select(func.count(), func.coalesce(func.sum(DryingCentre.tonnes_per_day), 0)),
            DryingCentre.region_code,
        )
    ).one()
    year_orders, year_done = session.execute(
        scope.filter(
            select(func.count(), func.count().filter(Order.status == dispatch.DONE)).where(
                Order.earliest.between(*year)
            ),
            Order.region_code,
        )
    ).one()
    return Overview(
        today=today,
        machines=sum(machines.values()),
        machines_in_repair=machines.get("repair", 0),
        orders_by_status=statuses,
        proposed_today=day.get(False, 0),
        confirmed_today=day.get(True, 0),
        open_today=open_today or 0,
        area_served_mu=Decimal(str(served)),
        trusteeship_contracts=contracts,
        trusteeship_area_mu=Decimal(str(contract_area)),
        drying_centres=centres,
        drying_tonnes_per_day=Decimal(str(tonnes)),
        coverage_percent=round(100 * year_done / year_orders, 1) if year_orders else None,
    )


@dataclass(frozen=True)
class ParcelWork:
    code: str
    area_mu: Decimal
    events: list[WorkRecord]


@dataclass(frozen=True)
class OrderPage:
    order: Order
    village: str
    parcels: list[ParcelWork]
    assignment: Assignment | None
    machine: Machine | None


def order_page(session: Session, *, scope: Scope, code: str) -> OrderPage:
    order = dispatch.get_order(session, scope=scope, code=code)
    if scope.role == Role.FARMER:
        if order.holder_code != scope.household_code:
            raise NotFound("订单“{code}”不存在或不在您的管辖范围内", code=code.strip())
    else:
        check_officer(scope)
    parcels = session.scalars(
        select(OrderParcel)
        .where(OrderParcel.order_id == order.id)
        .order_by(OrderParcel.parcel_code)
    ).all()
    assignment = session.scalars(select(Assignment).where(Assignment.order_id == order.id)).first()
    machine = session.get(Machine, assignment.machine_id) if assignment else None
    names = region_names(session, scope, {order.region_code})
    return OrderPage(
        order,
        names.get(order.region_code, order.region_code),
        [
            ParcelWork(
                p.parcel_code,
                p.area_mu,
                dispatch.parcel_events(session, scope=scope, parcel_code=p.parcel_code),
            )
            for p in parcels
        ],
        assignment,
        machine,
    )


@dataclass(frozen=True)
class DayOrder:
    assignment: Assignment
    order: Order


@dataclass(frozen=True)
class MachinePage:
    machine: Machine
    provider: str
    place: str
    days: list[DayOrder]
    """The machine's assignments, latest day first."""


def get_machine(session: Session, *, scope: Scope, code: str) -> Machine:
    machine = session.scalars(select(Machine).where(Machine.code == code.strip())).first()
    if machine is None:
        raise NotFound("机具“{code}”不存在或不在您的管辖范围内", code=code.strip())
    scope.check_read(machine.region_code, f"机具“{code.strip()}”")
    return machine


def machine_page(session: Session, *, scope: Scope, code: str) -> MachinePage:
    check_officer(scope)
    machine = get_machine(session, scope=scope, code=code)
    provider = session.scalar(
        scope.filter(
            select(Provider.name).where(Provider.id == machine.provider_id), Provider.region_code
        )
    )
    rows = (
        session.execute(
            scope.filter(
                select(Assignment, Order)
                .join(Order, Order.id == Assignment.order_id)
                .where(Assignment.machine_id == machine.id)
                .order_by(Assignment.day.desc(), Order.code)
                .limit(100),
                Order.region_code,
            )
        )
        .tuples()
        .all()
    )
    names = region_names(session, scope, {machine.region_code})
    return MachinePage(
        machine,
        provider or "",
        names.get(machine.region_code, machine.region_code),
        [DayOrder(assignment, order) for assignment, order in rows],
    )


def number(text: str, label: str) -> float:
    try:
        return float(fold(text))
    except ValueError:
        raise InvalidValue("{label}“{text}”应为数字", label=label, text=text.strip()) from None


def update_position(
    session: Session, *, scope: Scope, code: str, lon: str, lat: str, accuracy: str, now: datetime
) -> Machine:
    """A machine's position from a phone's fix: inside Chongqing (as the import checks) and
    no less precise than :data:`MAX_ACCURACY_M`; the change is audited."""
    check_officer(scope)
    machine = get_machine(session, scope=scope, code=code)
    scope.check_write(machine.region_code, f"机具“{machine.code}”")
    if not fold(lon) or not fold(lat):
        raise InvalidValue("没有取得手机定位，请允许本页使用位置后重试")
    longitude = number(lon, "经度")
    latitude = number(lat, "纬度")
    if not importers.LONGITUDES[0] <= longitude <= importers.LONGITUDES[1]:
        raise InvalidValue("经度 {value} 不在重庆范围内", value=longitude)
    if not importers.LATITUDES[0] <= latitude <= importers.LATITUDES[1]:
        raise InvalidValue("纬度 {value} 不在重庆范围内", value=latitude)
    metres = number(accuracy, "定位精度") if fold(accuracy) else None
    if metres is not None and not 0 <= metres <= MAX_ACCURACY_M:
        raise InvalidValue("定位精度 {metres} 米太差，请到开阔处再试", metres=round(metres))
    before = {"longitude": machine.longitude, "latitude": machine.latitude}
    machine.longitude, machine.latitude, machine.located_at = longitude, latitude, now
    session.flush()
    audit.record(
        session, scope=scope, action="services.machine_position", target_type="machine",
        target_id=machine.code, region_code=machine.region_code, before=before,
        after={"longitude": longitude, "latitude": latitude},
        detail="手机定位" + (f"，精度 {round(metres)} 米" if metres is not None else ""),
    )  # fmt: skip
    return machine


@dataclass(frozen=True)
class BoardRow:
    order: Order
    village: str
    machine: Machine | None
    assignment: Assignment | None


@dataclass(frozen=True)
class Board:
    day: date
    proposed: list[BoardRow]
    confirmed: list[BoardRow]
    waiting: list[BoardRow]
    """Open orders whose window holds the day."""
    may_dispatch: bool
    groups: list[OrderGroup]
    """The waiting orders by village, operation and overlapping window."""

    @property
    def proposed_km(self) -> float:
        return sum(row.assignment.distance_km for row in self.proposed if row.assignment)


def board(session: Session, *, scope: Scope, day: date) -> Board:
    """The day's dispatch in the caller's region: proposed and confirmed assignments, and the
    open orders that could be worked that day."""
    check_officer(scope)
    rows = (
        session.execute(
            scope.filter(
                select(Assignment, Order, Machine)
                .join(Order, Order.id == Assignment.order_id)
                .join(Machine, Machine.id == Assignment.machine_id)
                .where(Assignment.day == day)
                .order_by(Machine.code, Order.code),
                Order.region_code,
            )
        )
        .tuples()
        .all()
    )
    waiting = session.scalars(
        scope.filter(
            select(Order)
            .where(Order.status == dispatch.OPEN, Order.earliest <= day, Order.latest >= day)
            .order_by(Order.code)
            .limit(500),
            Order.region_code,
        )
    ).all()
    places = {order.region_code for _, order, _ in rows} | {o.region_code for o in waiting}
    names = region_names(session, scope, places)
    made = [BoardRow(o, names.get(o.region_code, ""), m, a) for a, o, m in rows]
    return Board(
        day,
        [row for row in made if row.assignment and not row.assignment.confirmed],
        [row for row in made if row.assignment and row.assignment.confirmed],
        [BoardRow(o, names.get(o.region_code, ""), None, None) for o in waiting],
        may_dispatch=scope.can_write and (scope.role is None or scope.role in DISPATCHERS),
        groups=group_orders(waiting, names),
    )


def unassigned_on_day(plan: solver.Plan) -> list[tuple[str, str]]:
    """The orders a plan left unassigned for a reason other than the day being outside their
    window (those are simply for another day)."""
    return [(code, why) for code, why in plan.unassigned if why != solver.OUTSIDE_WINDOW]
