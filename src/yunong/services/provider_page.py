"""A service provider's page: its machines and the confirmed assignments of a day (order,
village, area, distance), so the provider knows where to send which machine. Officers see the
providers registered in their region, and of those only the machines and orders in scope."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.errors import NotFound
from yunong.core.regions.outlines import region_names
from yunong.core.scope import Scope
from yunong.services import pages
from yunong.services.models import Assignment, Machine, Order, Provider

MAX_MACHINES = 500


@dataclass(frozen=True)
class ProviderAssignment:
    machine: Machine
    order: Order
    village: str
    distance_km: float


@dataclass(frozen=True)
class ProviderPage:
    provider: Provider
    place: str
    day: date
    machines: list[Machine]
    assignments: list[ProviderAssignment]
    """The day's confirmed assignments of the provider's machines, by machine and order."""


def get_provider(session: Session, *, scope: Scope, provider_id: int) -> Provider:
    provider = session.get(Provider, provider_id)
    if provider is None:
        raise NotFound("服务组织不存在或不在您的管辖范围内")
    scope.check_read(provider.region_code, "服务组织")
    return provider


def provider_page(session: Session, *, scope: Scope, provider_id: int, day: date) -> ProviderPage:
    pages.check_officer(scope)
    provider = get_provider(session, scope=scope, provider_id=provider_id)
    machines = list(
        session.scalars(
            scope.filter(
                select(Machine)
                .where(Machine.provider_id == provider.id)
                .order_by(Machine.code)
                .limit(MAX_MACHINES),
                Machine.region_code,
            )
        )
    )
    rows = (
        session.execute(
            scope.filter(
                select(Assignment, Order, Machine)
                .join(Order, Order.id == Assignment.order_id)
                .join(Machine, Machine.id == Assignment.machine_id)
                .where(
                    Machine.provider_id == provider.id,
                    Assignment.day == day,
                    Assignment.confirmed.is_(True),
                )
                .order_by(Machine.code, Order.code),
                Order.region_code,
            )
        )
        .tuples()
        .all()
    )
    names = region_names(
        session, scope, {order.region_code for _, order, _ in rows} | {provider.region_code}
    )
    return ProviderPage(
        provider,
        names.get(provider.region_code, provider.region_code),
        day,
        machines,
        [
            ProviderAssignment(machine, order, names.get(order.region_code, ""), a.distance_km)
            for a, order, machine in rows
        ],
    )
