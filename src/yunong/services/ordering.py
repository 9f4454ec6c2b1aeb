"""Orders placed on a page: by a farmer for their own parcels (种粮宝), or by a village cadre
for a household of the village (代下单). The parcels, picked by 全农码, give the order its
area, position and land type, as an imported order's parcel codes do.

A farmer's account is read-only for the platform, yet it may order work on the parcels its
household holds: the parcels' ``holder_code`` must be the account's ``household_code``. An
order for any other parcel is refused (403), and the web layer records the refusal.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden, InvalidValue
from yunong.core.scope import Scope
from yunong.land import service as land
from yunong.policy.schema import Services
from yunong.services import importers
from yunong.services.models import Order, OrderParcel

MAX_PARCELS = 50
MAX_PRICE = Decimal(10000)
"""元/亩: a price intention above it is a typing mistake."""


@dataclass(frozen=True)
class OrderIn:
    """What the order form sends."""

    operation: str
    parcels: list[str]
    earliest: date | None
    latest: date | None
    holder_code: str
    """全农码 of the household whose parcels these are."""
    price_yuan_per_mu: Decimal | None = None
    requester: str = ""
    """The name a cadre enters the order for; a farmer's own account otherwise."""


def household_of(scope: Scope) -> str | None:
    """The 全农码 of the household a farmer's account acts for; None for other accounts."""
    return scope.household_code if scope.role == Role.FARMER else None


def check_may_order(scope: Scope, holder_code: str, region_code: str) -> None:
    """A farmer orders for their own household; any other account writes in its region."""
    if scope.role == Role.FARMER:
        if not holder_code or holder_code != household_of(scope):
            raise Forbidden("农户只能为自家的地块下单")
        scope.check_read(region_code, "地块")
    else:
        scope.check_write(region_code, "代下单")


def code_of(order: Order, today: date) -> str:
    """订单编号 of a page order, once it has its row id: FW, the day, the id (FW20260915-000042)."""
    return f"FW{today:%Y%m%d}-{order.id:06d}"


def validate(order_in: OrderIn, rules: Services) -> tuple[date, date]:
    if order_in.operation not in rules.operations:
        raise InvalidValue("作业类型“{operation}”不在策略包中", operation=order_in.operation)
    if not order_in.parcels:
        raise InvalidValue("请至少选择一块地")
    if len(order_in.parcels) > MAX_PARCELS:
        raise InvalidValue("一个订单最多 {count} 块地", count=MAX_PARCELS)
    if order_in.earliest is None or order_in.latest is None:
        raise InvalidValue("请填写作业时段（最早日期和最晚日期）")
    if order_in.latest < order_in.earliest:
        raise InvalidValue("最晚日期不能早于最早日期")
    price = order_in.price_yuan_per_mu
    if price is not None and not Decimal(0) <= price <= MAX_PRICE:
        raise InvalidValue("意向价格应在 0 到 {most} 元/亩之间", most=MAX_PRICE)
    return order_in.earliest, order_in.latest


def place(
    session: Session, *, scope: Scope, rules: Services, order_in: OrderIn, today: date
) -> Order:
    """Place an order for the household's parcels; refused when a parcel is not the
    household's or (for a cadre) outside the caller's region."""
    earliest, latest = validate(order_in, rules)
    codes = list(dict.fromkeys(code.strip() for code in order_in.parcels if code.strip()))
    parcels = [land.get(session, scope=scope, code=code) for code in codes]
    village = parcels[0].village_code
    check_may_order(scope, order_in.holder_code, village)
    for parcel in parcels:
        if parcel.holder_code != order_in.holder_code:
            raise Forbidden("地块“{code}”不是该户的地块，不能为它下单", code=parcel.code)
    place_of = importers.parcels_place(session, scope, [p.code for p in parcels])
    order = Order(
        code=f"FW-{uuid.uuid4().hex}",  # until the row has its id
        operation=order_in.operation,
        area_mu=place_of.area_mu,
        earliest=earliest,
        latest=latest,
        longitude=place_of.longitude,
        latitude=place_of.latitude,
        region_code=village,
        land_type=place_of.land_type,
        price_yuan_per_mu=order_in.price_yuan_per_mu,
        requester=order_in.requester.strip()[:64] or scope.actor,
        holder_code=order_in.holder_code,
    )
    session.add(order)
    session.flush()
    order.code = code_of(order, today)
    session.add_all(
        OrderParcel(order_id=order.id, parcel_code=code, area_mu=area)
        for code, area in place_of.parcels.items()
    )
    session.flush()
    audit.record(
        session, scope=scope, action="services.order", target_type="order",
        target_id=order.code, region_code=village,
        detail=f"{order.operation} {order.area_mu} 亩，{len(parcels)} 块地，{earliest}–{latest}",
    )  # fmt: skip
    return order
