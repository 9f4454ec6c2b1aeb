"""The day's dispatch over the caller's region: open orders to available machines by the
one-day model of :mod:`yunong.services.solver`; the plan is kept as proposed assignments
until the dispatcher confirms them; work done is recorded on each of the order's parcels."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import Conflict, NotFound
from yunong.core.scope import Scope
from yunong.land import service as land
from yunong.policy.schema import Services
from yunong.services import solver
from yunong.services.models import Assignment, Machine, Order, OrderParcel, WorkRecord

OPEN = "open"
DISPATCHED = "dispatched"
CONFIRMED = "confirmed"
DONE = "done"


def plan(
    session: Session, *, scope: Scope, day: date, rules: Services, time_limit: float = 10.0
) -> solver.Plan:
    """Plan ``day`` for the open orders and available machines in the scope, and keep the plan
    as proposed assignments (replacing an earlier proposal for the day that is not confirmed).
    Orders already confirmed or done are not planned again."""
    scope.check_write(scope.region_code, "派单")
    proposed = session.scalars(
        select(Assignment)
        .join(Order, Order.id == Assignment.order_id)
        .where(Assignment.day == day, Assignment.confirmed.is_(False))
        .where(scope.condition(Order.region_code))
    ).all()
    for assignment in proposed:
        order = session.get(Order, assignment.order_id)
        if order is not None:
            order.status = OPEN
        session.delete(assignment)
    session.flush()
    orders = session.scalars(
        scope.filter(select(Order), Order.region_code)
        .where(Order.status == OPEN)
        .order_by(Order.code)
    ).all()
    machines = session.scalars(
        scope.filter(select(Machine), Machine.region_code)
        .where(Machine.status == "available")
        .order_by(Machine.code)
    ).all()
    jobs = [
        solver.Job(
            o.code, o.operation, float(o.area_mu), o.earliest, o.latest, o.longitude, o.latitude
        )  # fmt: skip
        for o in orders
    ]
    units = [
        solver.Unit(
            m.code,
            frozenset(rules.machine_types.get(m.kind, ())),
            float(m.capacity_mu),
            m.longitude,
            m.latitude,
        )  # fmt: skip
        for m in machines
    ]
    result = solver.solve(jobs, units, day, time_limit=time_limit)
    by_order = {o.code: o for o in orders}
    by_machine = {m.code: m for m in machines}
    for chosen in result.assignments:
        order = by_order[chosen.order]
        order.status = DISPATCHED
        session.add(
            Assignment(
                order_id=order.id, machine_id=by_machine[chosen.machine].id, day=day,
                distance_km=chosen.distance_km, confirmed=False,
            )
        )  # fmt: skip
    session.flush()
    audit.record(
        session, scope=scope, action="services.dispatch", target_type="day",
        target_id=day.isoformat(), region_code=scope.region_code,
        detail=f"派单 {len(result.assignments)}，未派 {len(result.unassigned)}",
    )  # fmt: skip
    return result


def confirm(session: Session, *, scope: Scope, day: date) -> int:
    """The dispatcher confirms the day's proposed assignments in the scope; how many."""
    scope.check_write(scope.region_code, "确认派单")
    rows = session.execute(
        select(Assignment, Order)
        .join(Order, Order.id == Assignment.order_id)
        .where(Assignment.day == day, Assignment.confirmed.is_(False))
        .where(scope.condition(Order.region_code))
    ).all()
    for assignment, order in rows:
        assignment.confirmed = True
        order.status = CONFIRMED
    session.flush()
    audit.record(
        session, scope=scope, action="services.confirm", target_type="day",
        target_id=day.isoformat(), region_code=scope.region_code, detail=f"确认 {len(rows)}",
    )  # fmt: skip
    return len(rows)


def get_order(session: Session, *, scope: Scope, code: str) -> Order:
    order = session.scalars(select(Order).where(Order.code == code.strip())).first()
    if order is None:
        raise NotFound("订单“{code}”不存在或不在您的管辖范围内", code=code.strip())
    scope.check_read(order.region_code, f"订单“{code.strip()}”")
    return order


def record_work(
    session: Session, *, scope: Scope, code: str, done_on: date, area_mu: Decimal | None = None
) -> list[WorkRecord]:
    """Work done for a confirmed order: one dated event on each of its parcels (by 全农码), and
    the order is done. ``area_mu`` is the area worked when it differs from the order's."""
    order = get_order(session, scope=scope, code=code)
    scope.check_write(order.region_code, f"订单“{code}”")
    if order.status != CONFIRMED:
        raise Conflict("订单“{code}”尚未确认派单，不能登记作业", code=order.code)
    assignment = session.scalars(select(Assignment).where(Assignment.order_id == order.id)).one()
    machine = session.get(Machine, assignment.machine_id)
    assert machine is not None
    parcels = session.scalars(
        select(OrderParcel)
        .where(OrderParcel.order_id == order.id)
        .order_by(OrderParcel.parcel_code)
    ).all()
    share = (area_mu / order.area_mu) if area_mu is not None and order.area_mu else Decimal(1)
    records = [
        WorkRecord(
            parcel_code=parcel.parcel_code,
            region_code=order.region_code,
            order_id=order.id,
            operation=order.operation,
            done_on=done_on,
            area_mu=(parcel.area_mu * share).quantize(Decimal("0.01")),
            machine_code=machine.code,
            recorded_by=scope.actor,
        )  # fmt: skip
        for parcel in parcels
    ]
    session.add_all(records)
    order.status = DONE
    session.flush()
    audit.record(
        session, scope=scope, action="services.work_done", target_type="order",
        target_id=order.code, region_code=order.region_code, detail=done_on.isoformat(),
    )  # fmt: skip
    return records


def parcel_events(session: Session, *, scope: Scope, parcel_code: str) -> list[WorkRecord]:
    """What was done to a parcel and when, newest first."""
    return list(
        session.scalars(
            scope.filter(select(WorkRecord), WorkRecord.region_code)
            .where(WorkRecord.parcel_code == parcel_code)
            .order_by(WorkRecord.done_on.desc(), WorkRecord.id.desc())
        )
    )


def events_of_parcel(session: Session, *, scope: Scope, code: str) -> list[WorkRecord]:
    """The work done on a parcel (by its 全农码 or national code) in the scope, newest first;
    a parcel outside the scope is not found."""
    parcel = land.get(session, scope=scope, code=code)
    return parcel_events(session, scope=scope, parcel_code=parcel.code)
