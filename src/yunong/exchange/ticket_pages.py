"""What the 地票 pages show: a case as one timeline of its steps, with the payments.

The farmer opens their household's cases on a phone and sees the payments made to the
household; officers open any case of their region and see every payment, with the form of
the step that comes next."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden
from yunong.core.scope import Scope
from yunong.exchange import auction, tickets
from yunong.exchange.models import TicketCase, TicketPayment
from yunong.policy.schema import Exchange

CHINA_OFFSET_HOURS = 8


@dataclass(frozen=True)
class Step:
    name: str
    on: date | None
    """None while the step is still ahead."""
    detail: str = ""


@dataclass(frozen=True)
class CaseView:
    case: TicketCase
    steps: list[Step]
    payments: list[TicketPayment]
    price_yuan: Decimal | None
    next_step: str | None
    """The step officers take next (``approved`` …), None once paid."""


STEP_NAMES = {
    "applied": "提出申请",
    "approved": "批准复垦",
    "accepted": "复垦验收",
    "issued": "出具地票并挂牌",
    "sold": "竞价成交",
    "paid": "支付收益",
}
"""The steps of a case's timeline, as the pages name them."""
NEXT_STEPS = {"applied": "approved", "approved": "accepted", "accepted": "issued", "issued": "paid"}


def timeline(session: Session, case: TicketCase) -> tuple[list[Step], Decimal | None]:
    listing = tickets.listing_of(session, case=case)
    sold = listing is not None and listing.status == "sold"
    closed_on = china_day(listing.closed_at) if sold and listing and listing.closed_at else None
    price = listing.price_yuan if sold and listing else None
    accepted = f"{case.accepted_m2} 平方米" if case.accepted_m2 is not None else ""
    return [
        Step(STEP_NAMES["applied"], case.applied_on),
        Step(STEP_NAMES["approved"], case.approved_on),
        Step(STEP_NAMES["accepted"], case.accepted_on, accepted),
        Step(STEP_NAMES["issued"], case.issued_on, case.ticket_code or ""),
        Step(STEP_NAMES["sold"], closed_on, f"{price} 元" if price is not None else ""),
        Step(STEP_NAMES["paid"], case.paid_on),
    ], price


def china_day(moment: datetime) -> date:
    """The calendar day in China of an instant stored in UTC."""
    return (moment + timedelta(hours=CHINA_OFFSET_HOURS)).date()


def view_of(session: Session, scope: Scope, case: TicketCase) -> CaseView:
    steps, price = timeline(session, case)
    payments = tickets.payments_of(session, case=case)
    if scope.household_code is not None:
        payments = [payment for payment in payments if payment.payee == "farmer"]
    return CaseView(case, steps, payments, price, NEXT_STEPS.get(case.step))


def get_mine(session: Session, *, scope: Scope) -> list[CaseView]:
    """The 地票 cases of the farmer's household, latest first."""
    if scope.role != Role.FARMER or scope.household_code is None:
        raise Forbidden("只有农户账号可以查看本户的地票")
    found = session.scalars(
        scope.filter(select(TicketCase), TicketCase.region_code)
        .where(TicketCase.holder_code == scope.household_code)
        .order_by(TicketCase.id.desc())
    )
    return [view_of(session, scope, case) for case in found]


READERS = frozenset(
    {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FARMER}
)
"""The offices that take the steps or receive the applications, and the farmer (own cases)."""


def get_case(session: Session, *, scope: Scope, case_id: int) -> CaseView:
    """One case for its page; a farmer reaches only their household's cases."""
    if scope.role is not None and scope.role not in READERS:
        raise Forbidden("您的角色不能查看地票")
    return view_of(session, scope, tickets.get(session, scope=scope, case_id=case_id))


def may_act(scope: Scope) -> bool:
    """Whether the caller may take the steps after the application (the district's staff)."""
    return scope.can_write and (scope.role is None or scope.role in auction.STAFF)


def farmer_share(rules: Exchange) -> dict[str, str]:
    """The pack's share of the farmer and the household cap, for the page's note."""
    return {
        "share": f"{round(rules.land_ticket.farmer_share * 100)}%",
        "cap": f"{rules.land_ticket.household_cap_m2:g}",
    }
