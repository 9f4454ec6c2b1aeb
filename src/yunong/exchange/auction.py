"""Open ascending auctions of listed rights: registration, deposits, bids, closing.

Bids on one listing are taken one at a time: each locks its listing's row, so they are
numbered in the order they arrive and each is checked against the bid before it. Ties go
to time: a bid equal to the leading one is under the increment and refused. A bid in the
last minutes pushes the end back (the pack's ``bidding`` rules). A listing closes at its
end, by the closing job (``yunong exchange close-due`` on a timer) or by the first request
that finds it past its end, whichever comes first: both close it the same way. Bidders
see each other only by number (竞买号).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden, InvalidValue, NotFound
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.scope import Scope
from yunong.core.validators import validate_resident_id, validate_uscc
from yunong.exchange.models import Bid, Certificate, Listing, Registration, Transfer
from yunong.policy.schema import Exchange

STAFF = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER})
"""Exchange staff: they list rights and confirm deposits."""
BIDDERS = frozenset({Role.PRODUCER})
"""Operators and companies buy: the accounts of 生产主体."""
NOT_FOUND = "标的不存在"


@dataclass(frozen=True)
class ListingIn:
    code: str
    kind: str
    title: str
    region_code: str
    seller: str
    area_mu: Decimal
    reserve_yuan: Decimal
    increment_yuan: Decimal
    deposit_yuan: Decimal
    starts_at: datetime
    ends_at: datetime
    term_years: int | None = None
    rights_start: date | None = None
    parcels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Standing:
    """What anyone may read of a listing: its terms, state and the bids by number."""

    listing: Listing
    bids: list[tuple[int, int, Decimal, datetime]]
    """(sequence, bidder's number, amount, time) of each bid, in order."""
    own_number: int | None = None
    winner: int | None = None
    """The winning bidder's number, once sold."""


@dataclass(frozen=True)
class Placed:
    bid: Bid
    ends_at: datetime
    """The listing's end after this bid, extended if it came late."""


def aware(moment: datetime) -> datetime:
    """A stored time with its zone: SQLite gives UTC times back without one."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_staff(scope: Scope) -> None:
    if scope.role is not None and scope.role not in STAFF:
        raise Forbidden("只有交易机构（市、区县）可以挂牌和确认保证金")


def create_listing(
    session: Session, *, scope: Scope, listing_in: ListingIn, rules: Exchange
) -> Listing:
    check_staff(scope)
    scope.check_write(listing_in.region_code, "区划")
    if listing_in.kind not in rules.kinds:
        raise InvalidValue("标的类型“{kind}”不在策略包的类型中", kind=listing_in.kind)
    if min(listing_in.area_mu, listing_in.reserve_yuan, listing_in.increment_yuan) <= 0:
        raise InvalidValue("面积、起始价和最小加价幅度都应大于 0")
    if listing_in.deposit_yuan < 0:
        raise InvalidValue("保证金不能为负数")
    if aware(listing_in.ends_at) <= aware(listing_in.starts_at):
        raise InvalidValue("竞价截止时间应晚于开始时间")
    if session.scalar(select(Listing.id).where(Listing.code == listing_in.code)) is not None:
        raise InvalidValue("标的编号“{code}”已存在", code=listing_in.code)
    listing = Listing(
        **{name: value for name, value in vars(listing_in).items() if name != "parcels"},
        parcels=",".join(listing_in.parcels),
        status="open",
        created_by=scope.actor,
    )
    session.add(listing)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="exchange.listed",
        target_type="exchange_listing",
        target_id=listing.id,
        region_code=listing.region_code,
        detail=f"{listing.code} 起始价 {listing.reserve_yuan} 元",
    )
    return listing


def register(
    session: Session,
    *,
    scope: Scope,
    listing_id: int,
    bidder_name: str,
    bidder_id_code: str,
    rules: Exchange,
    now: datetime,
) -> Registration:
    """Register the caller to bid; they qualify once the staff confirm the deposit."""
    if scope.role not in BIDDERS or scope.user_id is None:
        raise Forbidden("只有生产经营主体的账号可以报名竞买")
    listing = open_listing(session, listing_id, rules=rules, now=now)
    name = bidder_name.strip()
    if not name or len(name) > 100:
        raise InvalidValue("竞买人名称应为 1 至 100 个字")
    code = identity_code(
        bidder_id_code, organisation_only=listing.kind in rules.bidding.organisations_only
    )
    taken = session.scalar(
        select(Registration.id).where(
            Registration.listing_id == listing.id, Registration.user_id == scope.user_id
        )
    )
    if taken is not None:
        raise InvalidValue("您已报名此标的")
    count = session.scalar(
        select(func.count()).select_from(Registration).where(Registration.listing_id == listing.id)
    )
    registration = Registration(
        listing_id=listing.id,
        number=(count or 0) + 1,
        user_id=scope.user_id,
        bidder_name=name,
        bidder_id_code=code,
        qualified=False,
        registered_at=now,
    )
    session.add(registration)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="exchange.registered",
        target_type="exchange_registration",
        target_id=registration.id,
        region_code=listing.region_code,
        detail=f"{listing.code} 竞买号 {registration.number}",
    )
    return registration


def identity_code(text: str, *, organisation_only: bool) -> str:
    """An organisation's 统一社会信用代码 or, where persons may buy, a resident ID number."""
    value = text.strip().upper()
    if len(value) == 18 and not value[:17].isdigit():
        return validate_uscc(value)
    if organisation_only:
        raise InvalidValue("此类标的只允许组织竞买，请填统一社会信用代码")
    if len(value) == 18 and value[:17].isdigit():
        try:
            return validate_resident_id(value)
        except InvalidValue:
            return validate_uscc(value)
    return validate_uscc(value)


def confirm_deposit(
    session: Session, *, scope: Scope, registration_id: int, rules: Exchange, now: datetime
) -> Registration:
    """The deposit has arrived: the bidder qualifies."""
    check_staff(scope)
    registration = session.get(Registration, registration_id)
    listing = session.get(Listing, registration.listing_id) if registration else None
    if registration is None or listing is None or not scope.covers(listing.region_code):
        raise NotFound("报名记录不存在")
    scope.check_write(listing.region_code, "标的")
    open_listing(session, listing.id, rules=rules, now=now)
    if registration.deposit_paid_at is None:
        registration.deposit_paid_at = now
        registration.qualified = True
        audit.record(
            session,
            scope=scope,
            action="exchange.deposit_confirmed",
            target_type="exchange_registration",
            target_id=registration.id,
            region_code=listing.region_code,
            detail=f"{listing.code} 竞买号 {registration.number} 保证金 {listing.deposit_yuan} 元",
        )
    return registration


def place_bid(
    session: Session,
    *,
    scope: Scope,
    listing_id: int,
    amount: Decimal,
    rules: Exchange,
    now: datetime,
) -> Placed:
    """Take a bid, or refuse it naming the rule it breaks."""
    listing = open_listing(session, listing_id, rules=rules, now=now, lock=True)
    if now < aware(listing.starts_at):
        raise InvalidValue(
            "竞价尚未开始，开始时间 {start}", start=aware(listing.starts_at).isoformat()
        )
    registration = session.scalar(
        select(Registration).where(
            Registration.listing_id == listing.id, Registration.user_id == scope.user_id
        )
    )
    if registration is None:
        raise InvalidValue("您未报名此标的，不能出价")
    if not registration.qualified:
        raise InvalidValue("您的竞买资格尚未确认：保证金到账后方可出价")
    leading = leading_bid(session, listing.id)
    if leading is None:
        if amount < listing.reserve_yuan:
            raise InvalidValue("首次出价不得低于起始价 {reserve} 元", reserve=listing.reserve_yuan)
    else:
        if leading.registration_id == registration.id:
            raise InvalidValue("您已是当前最高出价者")
        least = leading.amount_yuan + listing.increment_yuan
        if amount < least:
            raise InvalidValue(
                "出价应不低于当前最高价 {leading} 元加最小加价幅度 {step} 元，即 {least} 元",
                leading=leading.amount_yuan,
                step=listing.increment_yuan,
                least=least,
            )
    bid = Bid(
        listing_id=listing.id,
        registration_id=registration.id,
        sequence=(leading.sequence + 1) if leading else 1,
        amount_yuan=amount,
        placed_at=now,
    )
    session.add(bid)
    window = timedelta(minutes=rules.bidding.extension_window_minutes)
    if aware(listing.ends_at) - now <= window:
        listing.ends_at = now + timedelta(minutes=rules.bidding.extension_minutes)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="exchange.bid",
        target_type="exchange_listing",
        target_id=listing.id,
        region_code=listing.region_code,
        detail=f"{listing.code} 第 {bid.sequence} 次出价 竞买号 {registration.number} {amount} 元",
    )
    return Placed(bid=bid, ends_at=aware(listing.ends_at))


def leading_bid(session: Session, listing_id: int) -> Bid | None:
    """The last accepted bid, which is the highest: each must beat the one before."""
    return session.scalars(
        select(Bid).where(Bid.listing_id == listing_id).order_by(Bid.sequence.desc()).limit(1)
    ).first()


def open_listing(
    session: Session, listing_id: int, *, rules: Exchange, now: datetime, lock: bool = False
) -> Listing:
    """The listing, still open for registration and bids, after closing it if it is due."""
    query = select(Listing).where(Listing.id == listing_id)
    listing = session.scalars(query.with_for_update() if lock else query).first()
    if listing is None:
        raise NotFound(NOT_FOUND)
    if listing.status == "open" and aware(listing.ends_at) <= now:
        close(session, listing, rules=rules, now=now)
    if listing.status != "open":
        raise InvalidValue("竞价已于 {end} 结束", end=aware(listing.ends_at).isoformat())
    return listing


def close_due(session: Session, *, rules: Exchange, now: datetime) -> list[Listing]:
    """Close every open listing whose end has passed (the closing job)."""
    due = session.scalars(
        select(Listing)
        .where(Listing.status == "open", Listing.ends_at <= now)
        .order_by(Listing.id)
        .with_for_update()
    ).all()
    for listing in due:
        close(session, listing, rules=rules, now=now)
    return list(due)


def close(session: Session, listing: Listing, *, rules: Exchange, now: datetime) -> None:
    """Sell to the leading bid, return the other deposits and transfer the parcels' right;
    with no bid, return every deposit and offer the right again at a lower reserve."""
    leading = leading_bid(session, listing.id)
    listing.closed_at = now
    registrations = session.scalars(
        select(Registration).where(Registration.listing_id == listing.id)
    ).all()
    winner = next((r for r in registrations if leading and r.id == leading.registration_id), None)
    for registration in registrations:
        if registration is not winner and registration.deposit_paid_at is not None:
            registration.deposit_returned_at = now
    if leading is None or winner is None:
        listing.status = "unsold"
        relist(session, listing, rules=rules, now=now)
    else:
        listing.status = "sold"
        listing.price_yuan = leading.amount_yuan
        listing.winner_id = winner.id
        transfer_parcels(session, listing, winner, now=now)
        certify(session, listing, winner, now=now)
    session.flush()
    audit.record(
        session,
        scope=Scope.system("exchange-closing"),
        action="exchange.closed",
        target_type="exchange_listing",
        target_id=listing.id,
        region_code=listing.region_code,
        detail=f"{listing.code} {'成交 ' + str(listing.price_yuan) + ' 元' if winner else '流拍'}",
    )


def transfer_parcels(
    session: Session, listing: Listing, winner: Registration, *, now: datetime
) -> None:
    starts = listing.rights_start or now.date()
    ends = add_years(starts, listing.term_years) if listing.term_years else None
    for parcel in filter(None, listing.parcels.split(",")):
        session.add(
            Transfer(
                listing_id=listing.id,
                parcel_code=parcel,
                holder=winner.bidder_name,
                holder_id_code=winner.bidder_id_code,
                starts_on=starts,
                ends_on=ends,
            )
        )


def certify(session: Session, listing: Listing, winner: Registration, *, now: datetime) -> None:
    """Issue the deal's 鉴证书 under a 全农码 of its own (事: a trade)."""
    code = identity.create(
        session,
        scope=Scope.system("exchange-closing"),
        kind=Kind.EVENT,
        region_code=listing.region_code,
        entity_type="exchange_certificate",
        entity_id=str(listing.id),
    )
    session.add(
        Certificate(
            code=code,
            listing_id=listing.id,
            region_code=listing.region_code,
            seller=listing.seller,
            buyer=winner.bidder_name,
            price_yuan=listing.price_yuan,
            issued_on=now.date(),
        )
    )


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def relist(session: Session, listing: Listing, *, rules: Exchange, now: datetime) -> None:
    """Offer an unsold right again at the pack's lower reserve, for as long as before."""
    times, first = 0, listing
    while first.relisted_from is not None:
        times += 1
        first = session.get(Listing, first.relisted_from) or listing
    if times >= rules.bidding.max_relists:
        return
    factor = Decimal(str(1 - rules.bidding.relist_discount))
    duration = aware(listing.ends_at) - aware(listing.starts_at)
    session.add(
        Listing(
            code=f"{first.code}-R{times + 1}",
            kind=listing.kind,
            title=listing.title,
            region_code=listing.region_code,
            seller=listing.seller,
            parcels=listing.parcels,
            area_mu=listing.area_mu,
            term_years=listing.term_years,
            rights_start=listing.rights_start,
            reserve_yuan=(listing.reserve_yuan * factor).quantize(Decimal("0.01")),
            increment_yuan=listing.increment_yuan,
            deposit_yuan=listing.deposit_yuan,
            starts_at=now,
            ends_at=now + duration,
            status="open",
            relisted_from=listing.id,
            created_by="exchange-closing",
        )
    )


def standing(
    session: Session, *, listing_id: int, rules: Exchange, now: datetime, user_id: int | None = None
) -> Standing:
    """A listing as it stands, closed first if due: public, bidders by number only."""
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise NotFound(NOT_FOUND)
    if listing.status == "open" and aware(listing.ends_at) <= now:
        close(session, listing, rules=rules, now=now)
    numbers = {
        registration_id: number
        for registration_id, number in session.execute(
            select(Registration.id, Registration.number).where(
                Registration.listing_id == listing.id
            )
        )
    }
    bids = [
        (bid.sequence, numbers[bid.registration_id], bid.amount_yuan, aware(bid.placed_at))
        for bid in session.scalars(
            select(Bid).where(Bid.listing_id == listing.id).order_by(Bid.sequence)
        )
    ]
    own = (
        session.scalar(
            select(Registration.number).where(
                Registration.listing_id == listing.id, Registration.user_id == user_id
            )
        )
        if user_id is not None
        else None
    )
    winner = numbers.get(listing.winner_id) if listing.winner_id else None
    return Standing(listing=listing, bids=bids, own_number=own, winner=winner)


def holder_on(session: Session, *, parcel_code: str, day: date) -> Transfer | None:
    """Who holds the parcel's management right on ``day`` by a deal on the exchange."""
    return session.scalars(
        select(Transfer)
        .where(Transfer.parcel_code == parcel_code, Transfer.starts_on <= day)
        .where((Transfer.ends_on.is_(None)) | (Transfer.ends_on > day))
        .order_by(Transfer.starts_on.desc())
        .limit(1)
    ).first()


def registration_of(session: Session, *, scope: Scope, listing_id: int) -> Registration | None:
    """The caller's own registration for a listing, if any."""
    if scope.user_id is None:
        return None
    return session.scalars(
        select(Registration).where(
            Registration.listing_id == listing_id, Registration.user_id == scope.user_id
        )
    ).first()


def least_bid(session: Session, listing: Listing) -> Decimal:
    """The lowest amount the next bid may be."""
    leading = leading_bid(session, listing.id)
    return leading.amount_yuan + listing.increment_yuan if leading else listing.reserve_yuan
