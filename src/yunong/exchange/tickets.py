"""地票: from a homestead parcel to the farmer's payment, each step by its role.

The village (its information point) receives the holder's application and attests the
pack's conditions; the district approves the reclamation project and, once the land is
reclaimed, accepts it, which makes the parcel cultivated land in the one map; the exchange
issues the ticket under a 全农码 of its own and lists it for auction; after the sale the net
proceeds (price less the reclamation cost) are paid out by the pack's shares: the farmer's
share on the area up to the household cap, the rest to the collective.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden, InvalidValue, NotFound
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.scope import Scope
from yunong.exchange import auction
from yunong.exchange.models import Listing, TicketCase, TicketPayment
from yunong.land import reclamation, summary
from yunong.land import service as parcels
from yunong.policy import loader
from yunong.policy.schema import Exchange

RECEIVERS = frozenset({Role.VILLAGE_CADRE, Role.TOWN_OFFICER})
"""The village information points and town service stations that receive applications."""
M2_PER_MU = Decimal(10000) / Decimal(15)
CENTS = Decimal("0.01")
NOT_FOUND = "地票申请不存在或不在您的管辖范围内"


def check_role(scope: Scope, roles: frozenset[Role], what: str) -> None:
    if scope.role is not None and scope.role not in roles:
        raise Forbidden("您的角色不能{what}", what=what)


def apply(
    session: Session,
    *,
    scope: Scope,
    parcel_code: str,
    attested: list[str],
    rules: Exchange,
    today: date,
) -> TicketCase:
    """Receive the holder's application for a homestead or construction parcel."""
    check_role(scope, RECEIVERS, "受理地票申请")
    parcel = reclamation.reclaimable(session, scope=scope, code=parcel_code)
    scope.check_write(parcel.village_code, "地块")
    conditions = rules.land_ticket.conditions
    missing = [name for key, name in conditions.items() if key not in attested]
    if missing:
        raise InvalidValue("不符合地票申请条件：{missing}", missing="、".join(missing))
    open_case = session.scalar(
        select(TicketCase.id).where(
            TicketCase.parcel_code == parcel.code, TicketCase.step != "paid"
        )
    )
    if open_case is not None:
        raise InvalidValue("地块“{code}”已有未办结的地票申请", code=parcel.code)
    case = TicketCase(
        parcel_code=parcel.code,
        region_code=parcel.village_code,
        holder_code=parcel.holder_code,
        conditions=",".join(key for key in conditions if key in attested),
        step="applied",
        applied_on=today,
        applied_by=scope.actor,
    )
    session.add(case)
    session.flush()
    record(session, scope, case, "申请")
    return case


def get(session: Session, *, scope: Scope, case_id: int) -> TicketCase:
    """The case, if in the caller's scope; a farmer's account reaches only its household's."""
    case = session.get(TicketCase, case_id)
    if case is None or not scope.covers(case.region_code) or not of_caller(scope, case):
        raise NotFound(NOT_FOUND)
    return case


def of_caller(scope: Scope, case: TicketCase) -> bool:
    """Officers see every case of their region, a farmer only the cases of their household."""
    return scope.household_code is None or case.holder_code == scope.household_code


def for_step(session: Session, scope: Scope, case_id: int, step: str, what: str) -> TicketCase:
    """The case, to be moved on from ``step`` by the district's staff."""
    check_role(scope, auction.STAFF, what)
    case = get(session, scope=scope, case_id=case_id)
    scope.check_write(case.region_code, "地票申请")
    if case.step != step:
        raise InvalidValue(
            "地票申请当前环节为“{step}”，不能{what}", step=STEP_LABELS[case.step], what=what
        )
    return case


def approve(session: Session, *, scope: Scope, case_id: int, today: date) -> TicketCase:
    """The district approves the reclamation project."""
    case = for_step(session, scope, case_id, "applied", "批准复垦项目")
    case.step, case.approved_on = "approved", today
    record(session, scope, case, "批准复垦")
    return case


def accept(
    session: Session,
    *,
    scope: Scope,
    case_id: int,
    accepted_m2: Decimal,
    cost_yuan: Decimal,
    today: date,
) -> TicketCase:
    """The land and agriculture departments accept the reclaimed land: it is farmland now."""
    case = for_step(session, scope, case_id, "approved", "验收复垦")
    if cost_yuan < 0:
        raise InvalidValue("复垦成本不能为负数")
    reclamation.accept(
        session, scope=scope, code=case.parcel_code, accepted_m2=accepted_m2, year=today.year
    )
    case.step, case.accepted_on = "accepted", today
    case.accepted_m2, case.reclamation_cost_yuan = accepted_m2, cost_yuan
    record(session, scope, case, f"验收 {accepted_m2} 平方米")
    return case


def issue(
    session: Session,
    *,
    scope: Scope,
    case_id: int,
    auction_terms: dict[str, object],
    rules: Exchange,
    today: date,
) -> TicketCase:
    """Issue the ticket for the accepted area and list it for auction on ``auction_terms``
    (reserve, increment, deposit, start and end)."""
    case = for_step(session, scope, case_id, "accepted", "出具地票")
    assert case.accepted_m2 is not None
    case.ticket_code = identity.create(
        session,
        scope=scope,
        kind=Kind.FUND,
        region_code=case.region_code,
        entity_type="exchange_ticket",
        entity_id=str(case.id),
    )
    listing = auction.create_listing(
        session,
        scope=scope,
        listing_in=auction.ListingIn(
            code=case.ticket_code,
            kind="land_ticket",
            title=f"地票 {case.ticket_code}（{area_mu(case.accepted_m2)} 亩）",
            region_code=case.region_code,
            seller=case.holder_code or case.region_code,
            area_mu=area_mu(case.accepted_m2),
            reserve_yuan=Decimal(str(auction_terms["reserve_yuan"])),
            increment_yuan=Decimal(str(auction_terms["increment_yuan"])),
            deposit_yuan=Decimal(str(auction_terms["deposit_yuan"])),
            starts_at=auction_terms["starts_at"],  # type: ignore[arg-type]
            ends_at=auction_terms["ends_at"],  # type: ignore[arg-type]
        ),
        rules=rules,
    )
    case.step, case.issued_on, case.listing_id = "issued", today, listing.id
    record(session, scope, case, f"出具地票 {case.ticket_code} 并挂牌")
    return case


def area_mu(m2: Decimal) -> Decimal:
    return (m2 / M2_PER_MU).quantize(Decimal("0.0001"))


def shares(case: TicketCase, price: Decimal, rules: Exchange) -> tuple[Decimal, Decimal]:
    """(farmer, collective): the net proceeds split by the pack's share, the farmer's share
    counted on the accepted area up to the household cap only."""
    assert case.accepted_m2 is not None and case.reclamation_cost_yuan is not None
    net = max(price - case.reclamation_cost_yuan, Decimal(0))
    within_cap = min(
        Decimal(1), Decimal(str(rules.land_ticket.household_cap_m2)) / case.accepted_m2
    )
    farmer = (net * Decimal(str(rules.land_ticket.farmer_share)) * within_cap).quantize(CENTS)
    return farmer, net - farmer


def pay(
    session: Session,
    *,
    scope: Scope,
    case_id: int,
    farmer_account: str,
    collective_account: str,
    rules: Exchange,
    now: datetime,
) -> list[TicketPayment]:
    """Pay the proceeds of a sold ticket to the farmer's and the collective's accounts."""
    case = for_step(session, scope, case_id, "issued", "支付地票收益")
    listing = auction.standing(
        session, listing_id=case.listing_id or 0, rules=rules, now=now
    ).listing
    if listing.status != "sold" or listing.price_yuan is None:
        raise InvalidValue("地票尚未成交，不能支付收益")
    accounts = [account_number(farmer_account), account_number(collective_account)]
    farmer, collective = shares(case, listing.price_yuan, rules)
    payments = [
        TicketPayment(case_id=case.id, payee="farmer", payee_code=case.holder_code or "",
                      account=accounts[0], amount_yuan=farmer, paid_on=now.date()),
        TicketPayment(case_id=case.id, payee="collective", payee_code=case.region_code,
                      account=accounts[1], amount_yuan=collective, paid_on=now.date()),
    ]  # fmt: skip
    session.add_all(payments)
    case.step, case.paid_on = "paid", now.date()
    session.flush()
    record(session, scope, case, f"支付收益：农户 {farmer} 元，集体 {collective} 元")
    return payments


def account_number(text: str) -> str:
    value = "".join(text.split())
    if not value.isdigit() or not 12 <= len(value) <= 30:
        raise InvalidValue("银行账号应为 12 至 30 位数字")
    return value


def on_parcel(session: Session, *, scope: Scope, parcel_code: str) -> list[TicketCase]:
    """The 地票 cases of a parcel in the caller's scope, oldest first: the parcel's timeline."""
    parcel = parcels.get(session, scope=scope, code=parcel_code)
    found = session.scalars(
        scope.filter(select(TicketCase), TicketCase.region_code)
        .where(TicketCase.parcel_code == parcel.code)
        .order_by(TicketCase.id)
    )
    return [case for case in found if of_caller(scope, case)]


def payments_of(session: Session, *, case: TicketCase) -> list[TicketPayment]:
    return list(
        session.scalars(
            select(TicketPayment).where(TicketPayment.case_id == case.id).order_by(TicketPayment.id)
        )
    )


def listing_of(session: Session, *, case: TicketCase) -> Listing | None:
    return session.get(Listing, case.listing_id) if case.listing_id else None


STEP_LABELS = {
    "applied": "已申请",
    "approved": "已批准复垦",
    "accepted": "已验收",
    "issued": "已出具地票并挂牌",
    "paid": "已支付收益",
}


def record(session: Session, scope: Scope, case: TicketCase, detail: str) -> None:
    audit.record(
        session,
        scope=scope,
        action=f"exchange.ticket_{case.step}",
        target_type="exchange_ticket_case",
        target_id=case.id,
        region_code=case.region_code,
        detail=f"{case.parcel_code} {detail}",
    )


def refresh_land(engine: Engine, village: str) -> None:
    """Recount the village's land in the one map after an acceptance has been committed."""
    summary.refresh(engine, pack=loader.get(), villages=[village])
