"""What 种粮宝 shows a farmer on their phone, and what the order forms offer: the household's
parcels with their work, subsidies due, orders, the nearest drying centre and the crop
calendar (see :mod:`yunong.services.grower`); for a cadre's 代下单, the village's households
that hold parcels and the parcels of the one chosen."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.land.codes import USE_LABELS as USE_LABELS  # the pages name parcels' uses
from yunong.land.models import Parcel
from yunong.policy.schema import Services
from yunong.services import dispatch, grower, importers, pages
from yunong.services.models import Assignment, DryingCentre, Machine, Order, WorkRecord

MAX_HOUSEHOLDS = 500


@dataclass(frozen=True)
class GrowerParcelWork:
    parcel: grower.GrowerParcel
    events: list[WorkRecord]


@dataclass(frozen=True)
class GrowerPage:
    household: str
    parcels: list[GrowerParcelWork]
    subsidies: list[grower.SubsidyDue]
    orders: list[Order]
    nearest: tuple[DryingCentre, float] | None
    calendar: dict[str, dict[str, str]]
    machines: dict[int, tuple[str, date]]
    """For each order with a confirmed assignment: the machine's 机具编号 and the day."""

    @property
    def area_mu(self) -> Decimal:
        return sum((p.parcel.area_mu for p in self.parcels), Decimal(0))

    @property
    def subsidy_yuan(self) -> Decimal:
        return sum((s.yuan for s in self.subsidies), Decimal(0))


def household_of_farmer(scope: Scope) -> str:
    if scope.role != Role.FARMER or not scope.household_code:
        raise Forbidden("种粮宝页面供农户账号使用")
    return scope.household_code


def district_of(scope: Scope) -> Scope:
    """The farmer's district, for finding drying centres: a centre serves the district's
    growers wherever in it it stands, and shows only its name and distance."""
    code = scope.region_code
    while codes.level_of(code) > Level.DISTRICT:
        code = codes.parent_of(code) or code
    return replace(scope, region_code=code)


def get(session: Session, *, scope: Scope, rules: Services) -> GrowerPage:
    household = household_of_farmer(scope)
    found = grower.parcels(session, scope=scope, holder_code=household)
    nearest = None
    if found:
        centre = importers.parcels_place(session, scope, [p.code for p in found])
        nearest = grower.nearest_drying_centre(
            session, scope=district_of(scope), lon=centre.longitude, lat=centre.latitude
        )
    orders = grower.orders(session, scope=scope, holder_code=household)
    return GrowerPage(
        household,
        [
            GrowerParcelWork(p, dispatch.parcel_events(session, scope=scope, parcel_code=p.code))
            for p in found
        ],
        grower.subsidies(found, rules),
        orders,
        nearest,
        grower.calendar(found, rules),
        confirmed_machines(session, scope=scope, orders=orders),
    )


def confirmed_machines(
    session: Session, *, scope: Scope, orders: list[Order]
) -> dict[int, tuple[str, date]]:
    """The machine and day of each order's confirmed assignment: the farmer sees who comes
    when, once the service centre has confirmed it."""
    if not orders:
        return {}
    rows = session.execute(
        scope.filter(
            select(Assignment.order_id, Machine.code, Assignment.day)
            .join(Machine, Machine.id == Assignment.machine_id)
            .join(Order, Order.id == Assignment.order_id)
            .where(Assignment.order_id.in_([o.id for o in orders]), Assignment.confirmed.is_(True)),
            Order.region_code,
        )
    ).tuples()
    return {order_id: (code, day) for order_id, code, day in rows}


def households(session: Session, *, scope: Scope) -> list[tuple[str, int]]:
    """The households holding cultivated parcels in the caller's region, with how many."""
    pages.check_officer(scope)
    rows = (
        session.execute(
            scope.filter(
                select(Parcel.holder_code, func.count())
                .where(Parcel.holder_code.is_not(None), Parcel.kind == "cultivated")
                .group_by(Parcel.holder_code)
                .order_by(Parcel.holder_code)
                .limit(MAX_HOUSEHOLDS),
                Parcel.village_code,
            )
        )
        .tuples()
        .all()
    )
    return [(code, count) for code, count in rows if code]


def parcels_of(session: Session, *, scope: Scope, holder_code: str) -> list[grower.GrowerParcel]:
    """A household's cultivated parcels in the caller's region, for a cadre's 代下单."""
    pages.check_officer(scope)
    return grower.parcels(session, scope=scope, holder_code=holder_code.strip())
