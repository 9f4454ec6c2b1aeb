"""The transfer contract of a sold listing, with the content the law requires.

《农村土地经营权流转管理办法》（2021）第十八条 lists what a land-management-right transfer
contract states: the parties; the land (name, location, area, class); the term with its start
and end, which may not run beyond the remainder of the contract term (第十条); the use, which
keeps farmland in farming; the price and how and when it is paid; the rights and duties of
both sides; what happens to fixtures at the end and to compensation if the land is taken;
and the liability for breach. The contract is generated from the listing, its winning bid
and the parcels in the one map; a term beyond the contract term is refused.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import Forbidden, InvalidValue, NotFound
from yunong.core.masking import mask
from yunong.core.scope import Scope
from yunong.exchange import auction
from yunong.exchange.models import Certificate, Listing, Registration
from yunong.land import service as parcels
from yunong.policy.schema import Exchange, TransferContract

M2_PER_MU = Decimal(10000) / Decimal(15)
CHINA = timedelta(hours=8)
DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
LARGE_UNITS = ("", "万", "亿", "万亿")


@dataclass(frozen=True)
class ParcelLine:
    code: str
    contract_plot_code: str
    land_class: str
    area_mu: Decimal


@dataclass(frozen=True)
class Contract:
    listing: Listing
    kind_name: str
    certificate_code: str | None
    seller: str
    buyer: str
    buyer_id_code: str
    parcels: list[ParcelLine]
    area_mu: Decimal
    term_years: int | None
    starts_on: date
    ends_on: date | None
    price_yuan: Decimal
    price_words: str
    per_mu_year: Decimal | None
    deposit_yuan: Decimal
    farmland: bool
    """Whether the right is over farmland, whose use must stay agricultural."""
    terms: TransferContract


def get(
    session: Session, *, scope: Scope, listing_id: int, rules: Exchange, now: datetime
) -> Contract:
    """The contract of a sold listing, for the exchange's staff of its region and the buyer."""
    listing = auction.standing(session, listing_id=listing_id, rules=rules, now=now).listing
    winner = session.get(Registration, listing.winner_id) if listing.winner_id else None
    buyer_reads = winner is not None and scope.user_id == winner.user_id
    if not buyer_reads:
        if scope.role is not None and scope.role not in auction.STAFF:
            raise Forbidden("只有交易机构和受让方可以查看成交合同")
        scope.check_read(listing.region_code, "标的")
    if listing.status != "sold" or winner is None or listing.price_yuan is None:
        raise InvalidValue("标的“{code}”尚未竞价成交，没有成交合同", code=listing.code)
    starts_on = listing.rights_start or local_day(listing.closed_at or now)
    ends_on = term_end(starts_on, listing.term_years)
    farmland = listing.kind == "land_management"
    if farmland and ends_on is not None and ends_on > rules.contract.contract_ends_on:
        raise InvalidValue(
            "流转期限至 {end}，超过承包期的剩余期限（至 {limit}），不能生成合同",
            end=ends_on.isoformat(),
            limit=rules.contract.contract_ends_on.isoformat(),
        )
    lines = parcel_lines(session, scope=scope, listing=listing)
    price = listing.price_yuan
    shown_id = winner.bidder_id_code
    if not (buyer_reads or scope.can_view_personal_data) and shown_id[:1].isdigit():
        shown_id = mask(shown_id)
    audit.record(
        session,
        scope=scope,
        action="exchange.contract_viewed",
        target_type="exchange_listing",
        target_id=listing.id,
        region_code=listing.region_code,
        detail=listing.code,
    )
    return Contract(
        listing=listing,
        kind_name=rules.kinds[listing.kind].name,
        certificate_code=session.scalar(
            select(Certificate.code).where(Certificate.listing_id == listing.id)
        ),
        seller=listing.seller,
        buyer=winner.bidder_name,
        buyer_id_code=shown_id,
        parcels=lines,
        area_mu=listing.area_mu,
        term_years=listing.term_years,
        starts_on=starts_on,
        ends_on=ends_on,
        price_yuan=price,
        price_words=yuan_in_words(price),
        per_mu_year=(
            (price / listing.area_mu / listing.term_years).quantize(Decimal("0.01"))
            if listing.term_years
            else None
        ),
        deposit_yuan=listing.deposit_yuan,
        farmland=farmland,
        terms=rules.contract,
    )


def may_read(scope: Scope, listing: Listing, registration: Registration | None) -> bool:
    """Whether the caller may open the listing's contract: the staff of its region, or the
    buyer whose registration won it."""
    if listing.status != "sold":
        return False
    if registration is not None and registration.id == listing.winner_id:
        return True
    staff = scope.role is None or scope.role in auction.STAFF
    return staff and scope.covers(listing.region_code)


def parcel_lines(session: Session, *, scope: Scope, listing: Listing) -> list[ParcelLine]:
    """The listing's parcels as the one map records them, read in the listing's village
    (the buyer's account belongs to another region)."""
    village = Scope(actor=scope.actor, region_code=listing.region_code, can_write=False)
    lines = []
    for code in filter(None, (part.strip() for part in listing.parcels.split(","))):
        try:
            parcel = parcels.get(session, scope=village, code=code)
        except NotFound:
            raise InvalidValue("标的所列地块“{code}”不在农地一张图中", code=code) from None
        lines.append(
            ParcelLine(
                code=parcel.code,
                contract_plot_code=parcel.contract_plot_code or "",
                land_class=parcel.land_class,
                area_mu=(Decimal(parcel.area_m2) / M2_PER_MU).quantize(Decimal("0.01")),
            )
        )
    return lines


def local_day(moment: datetime) -> date:
    return (moment + CHINA).date()


def term_end(start: date, years: int | None) -> date | None:
    """The last day of a term of ``years`` whole years from ``start``."""
    if years is None:
        return None
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        anniversary = date(start.year + years, 3, 1)
    return anniversary - timedelta(days=1)


def yuan_in_words(amount: Decimal) -> str:
    """An amount in the capital numerals of contracts and receipts.

    >>> yuan_in_words(Decimal("120000"))
    '壹拾贰万元整'
    >>> yuan_in_words(Decimal("100800.50"))
    '壹拾万零捌佰元伍角'
    """
    fen_total = int((amount * 100).quantize(Decimal(1)))
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    words = integer_words(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return (words or "零元") + "整"
    if jiao:
        words += DIGITS[jiao] + "角"
    elif words:
        words += "零"
    return words + (DIGITS[fen] + "分" if fen else "")


def integer_words(number: int) -> str:
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    words = ""
    zero_pending = False
    for position in range(len(groups) - 1, -1, -1):
        group = groups[position]
        if group == 0:
            zero_pending = bool(words)
            continue
        if words and (zero_pending or group < 1000):
            words += "零"
        words += group_words(group) + LARGE_UNITS[position]
        zero_pending = False
    return words


def group_words(group: int) -> str:
    """A number under 10000 in capital numerals, zeros inside read once."""
    words = ""
    zero = False
    for place in range(3, -1, -1):
        digit = group // 10**place % 10
        if digit == 0:
            zero = bool(words)
            continue
        if zero:
            words += "零"
            zero = False
        words += DIGITS[digit] + SMALL_UNITS[place]
    return words


def to_pdf(html: str) -> bytes:
    """The contract page as an A4 PDF, for signing on paper."""
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())
