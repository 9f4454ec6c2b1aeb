"""The 农事服务 work waiting on one user (待办): a day's proposed dispatch to confirm and
confirmed orders whose day has passed without the work recorded (the service centres), and
trusteeship contracts whose harvest settlement is due (the service centres and the village).

A contract's settlement is due from the month after the grain harvest of the pack's crop
calendar (``services.crop_calendar.grain``: 收获 in August, so from September 1st) and
should be recorded by the end of the month after that; a contract of an earlier year that
was never settled is overdue.
"""

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core import clock
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.core.todo import ITEMS_SHOWN, Item, Todo
from yunong.policy import loader as policy
from yunong.policy.schema import Services
from yunong.services import dispatch, pages
from yunong.services.models import Assignment, Order, Trusteeship

APPLICATION = "services"
HARVEST = "收获"
SETTLING = frozenset({*pages.DISPATCHERS, Role.VILLAGE_CADRE})


def todo(session: Session, scope: Scope, today: date | None = None) -> list[Todo]:
    rules = policy.get().services
    if scope.role is None or not scope.can_write or rules is None:
        return []
    today = today or clock.today()
    found: list[Todo] = []
    if Role(scope.role) in pages.DISPATCHERS:
        found += [to_confirm(session, scope, today), to_record(session, scope, today)]
    if Role(scope.role) in SETTLING:
        found.append(to_settle(session, scope, today, rules))
    return [item for item in found if item.total]


def to_confirm(session: Session, scope: Scope, today: date) -> Todo:
    """Days with assignments proposed and not yet confirmed."""
    days = session.execute(
        scope.filter(
            select(Assignment.day, func.count())
            .join(Order, Order.id == Assignment.order_id)
            .where(Assignment.confirmed.is_(False))
            .group_by(Assignment.day)
            .order_by(Assignment.day),
            Order.region_code,
        )
    ).all()
    items = [
        Item(f"{day.isoformat()}（{count}）", f"/services/dispatch?day={day}", None, day,
             warning(day, today))
        for day, count in days[:ITEMS_SHOWN]
    ]  # fmt: skip
    return Todo(APPLICATION, "confirm", "确认派单", len(days), items)


def to_record(session: Session, scope: Scope, today: date) -> Todo:
    """Confirmed orders whose day is over and whose work is not recorded yet."""
    rows = session.execute(
        scope.filter(
            select(Order.code, Assignment.day)
            .join(Assignment, Assignment.order_id == Order.id)
            .where(Order.status == dispatch.CONFIRMED, Assignment.day < today)
            .order_by(Assignment.day, Order.code),
            Order.region_code,
        )
    ).all()
    items = [
        Item(code, f"/services/orders/{code}", day, day + timedelta(days=1), "red")
        for code, day in rows[:ITEMS_SHOWN]
    ]
    return Todo(APPLICATION, "work", "登记作业完成", len(rows), items)


def month_start(year: int, month: int) -> date:
    """The first day of ``month`` counted from January of ``year`` (13 is next January)."""
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def settlement_window(rules: Services, year: int) -> tuple[date, date]:
    """From the first day of the month after the grain harvest to the end of the next month."""
    months = [
        int(month.removesuffix("月"))
        for month, work in rules.crop_calendar.get("grain", {}).items()
        if HARVEST in work
    ]
    harvest = max(months, default=8)
    return month_start(year, harvest + 1), month_start(year, harvest + 3) - timedelta(days=1)


def to_settle(session: Session, scope: Scope, today: date, rules: Services) -> Todo:
    """Contracts not settled whose settlement window has opened."""
    contracts = session.scalars(
        scope.filter(
            select(Trusteeship)
            .where(Trusteeship.recorded_kg.is_(None), Trusteeship.year <= today.year)
            .order_by(Trusteeship.year, Trusteeship.code),
            Trusteeship.region_code,
        )
    ).all()
    due = []
    for contract in contracts:
        opens, closes = settlement_window(rules, contract.year)
        if opens <= today:
            link = f"/services/trusteeships?q={contract.code}"
            subject = f"{contract.code} {contract.farmer}"
            due.append(Item(subject, link, opens, closes, warning(closes, today)))
    return Todo(APPLICATION, "settle", "托管合同收获结算", len(due), due[:ITEMS_SHOWN])


def warning(due_on: date, today: date) -> str:
    if due_on < today:
        return "red"
    return "yellow" if due_on - today <= timedelta(days=3) else "green"
