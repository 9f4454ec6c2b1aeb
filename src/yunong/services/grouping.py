"""Order groups for the dispatcher and the provider: the orders of one village for one
operation whose work windows overlap, so one machine can be sent to the village for a batch
of fields. Windows chain: an order overlapping any order of a group joins it (the group's
window is then from the earliest start to the latest end). Groups are computed, not stored."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from yunong.core.scope import Scope
from yunong.services.models import Order

ACTIVE = ("open", "dispatched", "confirmed")
"""Orders still to be worked; done orders no longer group."""
MAX_NEIGHBOURS = 5000


@dataclass(frozen=True)
class OrderGroup:
    village_code: str
    village: str
    operation: str
    earliest: date
    latest: date
    orders: tuple[Order, ...]

    @property
    def area_mu(self) -> Decimal:
        return sum((Decimal(o.area_mu) for o in self.orders), Decimal(0))

    @property
    def count(self) -> int:
        return len(self.orders)

    @property
    def label(self) -> str:
        """村 · 作业 · 起–止, as the board and the list show it."""
        return f"{self.village} {self.operation} {self.earliest:%m-%d}–{self.latest:%m-%d}"


def group_orders(orders: Iterable[Order], names: Mapping[str, str]) -> list[OrderGroup]:
    """Group by village and operation, then chain overlapping windows. Groups in the order
    of village, operation and start; orders in a group by start and code."""
    by_key: dict[tuple[str, str], list[Order]] = {}
    for order in orders:
        by_key.setdefault((order.region_code, order.operation), []).append(order)
    groups = []
    for (village, operation), members in sorted(by_key.items()):
        members.sort(key=lambda o: (o.earliest, o.code))
        batch: list[Order] = []
        end = members[0].earliest
        for order in members:
            if batch and order.earliest > end:
                groups.append(make_group(village, operation, batch, names))
                batch = []
            end = max(end, order.latest) if batch else order.latest
            batch.append(order)
        groups.append(make_group(village, operation, batch, names))
    return groups


def make_group(
    village: str, operation: str, batch: list[Order], names: Mapping[str, str]
) -> OrderGroup:
    return OrderGroup(
        village, names.get(village, village), operation,
        min(o.earliest for o in batch), max(o.latest for o in batch), tuple(batch),
    )  # fmt: skip


def groups_around(
    session: Session, *, scope: Scope, orders: Iterable[Order], names: Mapping[str, str]
) -> dict[int, OrderGroup]:
    """The group of each of ``orders`` among all active orders of their villages and
    operations in the caller's scope (a list page shows a few rows of larger groups); done
    orders have none."""
    shown = list(orders)
    keys = {(o.region_code, o.operation) for o in shown}
    if not keys:
        return {}
    query: Select[Any] = scope.filter(
        select(Order)
        .where(
            Order.region_code.in_({village for village, _ in keys}),
            Order.operation.in_({operation for _, operation in keys}),
            Order.status.in_(ACTIVE),
        )
        .limit(MAX_NEIGHBOURS),
        Order.region_code,
    )
    found = {}
    for group in group_orders(session.scalars(query), names):
        for order in group.orders:
            found[order.id] = group
    return found
