"""JSON API of 产权交易: listing a right, registering to bid, confirming deposits, bidding,
and a listing's public standing. Each route parses, calls :mod:`yunong.exchange.auction` and
answers; the service checks the caller's role and region."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Path
from pydantic import BaseModel, Field

from yunong.core import clock
from yunong.exchange import auction, rules, tickets
from yunong.exchange.auction import ListingIn, Standing, aware
from yunong.exchange.models import Registration, TicketCase
from yunong.store.base import utcnow
from yunong.store.db import engine_of
from yunong.web.api import PROBLEMS
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.params import RowId

router = APIRouter(prefix="/api/exchange", tags=["产权交易"], responses=PROBLEMS)
Money = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
ParcelCode = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z]+$")]


class ListingCreate(BaseModel):
    code: str = Field(min_length=1, max_length=40, description="标的编号")
    kind: str = Field(min_length=1, max_length=20, description="标的类型标识，如 land_management")
    title: str = Field(min_length=1, max_length=200)
    region_code: str = Field(pattern=r"^\d{12}$")
    seller: str = Field(min_length=1, max_length=100, description="出让方")
    area_mu: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=4)]
    reserve_yuan: Money
    increment_yuan: Money
    deposit_yuan: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
    starts_at: datetime
    ends_at: datetime
    term_years: int | None = Field(default=None, gt=0, le=70)
    rights_start: date | None = None
    parcels: list[Annotated[str, Field(min_length=1, max_length=20)]] = Field(
        default=[], max_length=80, description="地块全农码"
    )


class RegistrationCreate(BaseModel):
    bidder_name: str = Field(min_length=1, max_length=100, description="竞买人名称")
    bidder_id_code: str = Field(
        min_length=18, max_length=18, description="统一社会信用代码或身份证号"
    )


class BidCreate(BaseModel):
    amount_yuan: Money


class RegistrationOut(BaseModel):
    id: int
    listing_id: int
    number: int = Field(description="竞买号")
    qualified: bool


class BidOut(BaseModel):
    sequence: int
    amount_yuan: Decimal
    ends_at: datetime


class StandingBid(BaseModel):
    sequence: int
    bidder: int = Field(description="竞买号")
    amount_yuan: Decimal
    placed_at: datetime


class StandingOut(BaseModel):
    id: int
    code: str
    title: str
    kind: str
    area_mu: Decimal
    reserve_yuan: Decimal
    increment_yuan: Decimal
    deposit_yuan: Decimal
    starts_at: datetime
    ends_at: datetime
    status: str
    price_yuan: Decimal | None
    winner: int | None = Field(description="成交的竞买号")
    bids: list[StandingBid]
    own_number: int | None = Field(description="您的竞买号")


def registration_out(registration: Registration) -> RegistrationOut:
    return RegistrationOut.model_validate(registration, from_attributes=True)


def standing_out(found: Standing) -> StandingOut:
    listing = found.listing
    return StandingOut(
        id=listing.id,
        code=listing.code,
        title=listing.title,
        kind=listing.kind,
        area_mu=listing.area_mu,
        reserve_yuan=listing.reserve_yuan,
        increment_yuan=listing.increment_yuan,
        deposit_yuan=listing.deposit_yuan,
        starts_at=aware(listing.starts_at),
        ends_at=aware(listing.ends_at),
        status=listing.status,
        price_yuan=listing.price_yuan,
        winner=found.winner,
        bids=[
            StandingBid(sequence=sequence, bidder=number, amount_yuan=amount, placed_at=at)
            for sequence, number, amount, at in found.bids
        ],
        own_number=found.own_number,
    )


@router.post("/listings", status_code=201, response_model=StandingOut)
def create_listing(body: ListingCreate, session: SessionDep, scope: ScopeDep) -> StandingOut:
    """挂牌：交易机构（市、区县）登记一宗公开竞价的标的。"""
    values = body.model_dump()
    values["parcels"] = tuple(values["parcels"])
    listing = auction.create_listing(
        session, scope=scope, listing_in=ListingIn(**values), rules=rules.section()
    )
    return standing_out(Standing(listing=listing, bids=[]))


@router.get("/listings/{listing_id}", response_model=StandingOut)
def get_listing(listing_id: RowId, session: SessionDep, scope: ScopeDep) -> StandingOut:
    """标的的公告与竞价情况：出价按竞买号列出，不显示竞买人。到时自动结束。"""
    found = auction.standing(
        session, listing_id=listing_id, rules=rules.section(), now=utcnow(), user_id=scope.user_id
    )
    return standing_out(found)


@router.post(
    "/listings/{listing_id}/registrations", status_code=201, response_model=RegistrationOut
)
def register(
    listing_id: RowId, body: RegistrationCreate, session: SessionDep, scope: ScopeDep
) -> RegistrationOut:
    """报名竞买；保证金到账、交易机构确认后取得竞买资格。"""
    registration = auction.register(
        session,
        scope=scope,
        listing_id=listing_id,
        bidder_name=body.bidder_name,
        bidder_id_code=body.bidder_id_code,
        rules=rules.section(),
        now=utcnow(),
    )
    return registration_out(registration)


@router.post("/registrations/{registration_id}/deposit", response_model=RegistrationOut)
def confirm_deposit(
    registration_id: RowId, session: SessionDep, scope: ScopeDep
) -> RegistrationOut:
    """确认保证金到账：竞买人取得竞买资格。"""
    registration = auction.confirm_deposit(
        session, scope=scope, registration_id=registration_id, rules=rules.section(), now=utcnow()
    )
    return registration_out(registration)


@router.post("/listings/{listing_id}/bids", status_code=201, response_model=BidOut)
def place_bid(listing_id: RowId, body: BidCreate, session: SessionDep, scope: ScopeDep) -> BidOut:
    """出价：不低于起始价（首次）或当前最高价加最小加价幅度；截止前几分钟内出价即延时。"""
    placed = auction.place_bid(
        session,
        scope=scope,
        listing_id=listing_id,
        amount=body.amount_yuan,
        rules=rules.section(),
        now=utcnow(),
    )
    return BidOut(
        sequence=placed.bid.sequence, amount_yuan=placed.bid.amount_yuan, ends_at=placed.ends_at
    )


class TicketApply(BaseModel):
    parcel_code: str = Field(min_length=1, max_length=40, description="宅基地或建设用地地块编码")
    conditions: list[Annotated[str, Field(max_length=40)]] = Field(
        max_length=20,
        description="申请人已符合的条件（策略包 exchange.land_ticket.conditions 的标识）",
    )


class TicketAccept(BaseModel):
    accepted_m2: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
    reclamation_cost_yuan: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


class TicketIssue(BaseModel):
    reserve_yuan: Money
    increment_yuan: Money
    deposit_yuan: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
    starts_at: datetime
    ends_at: datetime


class TicketPay(BaseModel):
    farmer_account: str = Field(min_length=12, max_length=40, description="农户银行账号")
    collective_account: str = Field(min_length=12, max_length=40, description="集体银行账号")


class PaymentOut(BaseModel):
    payee: str
    payee_code: str
    account: str = Field(description="银行账号（只显示末四位）")
    amount_yuan: Decimal
    paid_on: date


class TicketOut(BaseModel):
    id: int
    parcel_code: str
    holder_code: str | None
    step: str
    step_name: str
    applied_on: date
    approved_on: date | None
    accepted_on: date | None
    accepted_m2: Decimal | None
    reclamation_cost_yuan: Decimal | None
    ticket_code: str | None
    listing_id: int | None
    price_yuan: Decimal | None
    paid_on: date | None
    payments: list[PaymentOut]


def ticket_out(session: SessionDep, case: TicketCase) -> TicketOut:
    listing = tickets.listing_of(session, case=case)
    return TicketOut(
        id=case.id,
        parcel_code=case.parcel_code,
        holder_code=case.holder_code,
        step=case.step,
        step_name=tickets.STEP_LABELS[case.step],
        applied_on=case.applied_on,
        approved_on=case.approved_on,
        accepted_on=case.accepted_on,
        accepted_m2=case.accepted_m2,
        reclamation_cost_yuan=case.reclamation_cost_yuan,
        ticket_code=case.ticket_code,
        listing_id=case.listing_id,
        price_yuan=listing.price_yuan if listing else None,
        paid_on=case.paid_on,
        payments=[
            PaymentOut(
                payee=payment.payee,
                payee_code=payment.payee_code,
                account=mask_account(payment.account),
                amount_yuan=payment.amount_yuan,
                paid_on=payment.paid_on,
            )
            for payment in tickets.payments_of(session, case=case)
        ],
    )


def mask_account(account: str) -> str:
    return "*" * (len(account) - 4) + account[-4:]


@router.post("/tickets", status_code=201, response_model=TicketOut)
def apply_ticket(body: TicketApply, session: SessionDep, scope: ScopeDep) -> TicketOut:
    """受理地票申请：村（社区）信息点或乡镇服务站为宅基地、建设用地的权利人登记申请。"""
    case = tickets.apply(
        session,
        scope=scope,
        parcel_code=body.parcel_code,
        attested=body.conditions,
        rules=rules.section(),
        today=clock.today(),
    )
    return ticket_out(session, case)


@router.post("/tickets/{case_id}/approve", response_model=TicketOut)
def approve_ticket(case_id: RowId, session: SessionDep, scope: ScopeDep) -> TicketOut:
    """批准复垦项目（区县）。"""
    return ticket_out(
        session, tickets.approve(session, scope=scope, case_id=case_id, today=clock.today())
    )


@router.post("/tickets/{case_id}/accept", response_model=TicketOut)
def accept_ticket(
    case_id: RowId,
    body: TicketAccept,
    session: SessionDep,
    scope: ScopeDep,
    background: BackgroundTasks,
) -> TicketOut:
    """复垦验收（区县规划自然资源、农业农村部门）：地块转为耕地，农地一张图的耕地面积随之更新。"""
    case = tickets.accept(
        session,
        scope=scope,
        case_id=case_id,
        accepted_m2=body.accepted_m2,
        cost_yuan=body.reclamation_cost_yuan,
        today=clock.today(),
    )
    background.add_task(tickets.refresh_land, engine_of(session), case.region_code)
    return ticket_out(session, case)


@router.post("/tickets/{case_id}/issue", response_model=TicketOut)
def issue_ticket(
    case_id: RowId, body: TicketIssue, session: SessionDep, scope: ScopeDep
) -> TicketOut:
    """出具地票并挂牌竞价（交易机构）。"""
    case = tickets.issue(
        session,
        scope=scope,
        case_id=case_id,
        auction_terms=body.model_dump(),
        rules=rules.section(),
        today=clock.today(),
    )
    return ticket_out(session, case)


@router.post("/tickets/{case_id}/pay", response_model=TicketOut)
def pay_ticket(case_id: RowId, body: TicketPay, session: SessionDep, scope: ScopeDep) -> TicketOut:
    """支付地票收益：扣除复垦成本后的净收益按策略包的比例付给农户和集体。"""
    tickets.pay(
        session,
        scope=scope,
        case_id=case_id,
        farmer_account=body.farmer_account,
        collective_account=body.collective_account,
        rules=rules.section(),
        now=utcnow(),
    )
    return ticket_out(session, tickets.get(session, scope=scope, case_id=case_id))


@router.get("/parcels/{code}/tickets", response_model=list[TicketOut])
def parcel_tickets(code: ParcelCode, session: SessionDep, scope: ScopeDep) -> list[TicketOut]:
    """地块上的地票时间线：申请、批准、验收、出具、成交、支付。"""
    return [
        ticket_out(session, case)
        for case in tickets.on_parcel(session, scope=scope, parcel_code=code)
    ]
