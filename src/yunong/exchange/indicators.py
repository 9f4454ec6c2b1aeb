"""The figures the exchange computes for the cockpit, per district, for a year:

* ``exchange.deals`` — deals struck in the year: deals recorded (imported) with a deal date
  in the year, and listings sold on the platform that closed in the year;
* ``exchange.deal_area`` — the area (亩) of those deals;
* ``exchange.land_tickets_issued`` — the area (亩) of the 地票 issued in the year;
* ``exchange.land_tickets_traded`` — the area (亩) of the 地票 sold in the year;
* ``exchange.proceeds_to_farmers`` — the 地票 proceeds paid to farmer households in the
  year (万元).

Deals recorded under a district count for the district and the city only.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core import indicators
from yunong.core.indicators import Measure
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.exchange.models import Deal, Listing, TicketCase, TicketPayment

M2_PER_MU = Decimal(10000) / Decimal(15)
YUAN_PER_WAN = Decimal(10000)


def within(under: str) -> Scope:
    return Scope.system("cockpit").narrowed_to(under)


def region_key(code: str, level: Level) -> str:
    return code[: codes.PREFIX_LENGTHS[level]].ljust(12, "0")


def sums(rows: Iterable[tuple[str, Decimal | int]], level: Level) -> dict[str, Measure]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for code, value in rows:
        totals[region_key(code, level)] += Decimal(value)
    return {code: Measure(float(total)) for code, total in totals.items()}


def year_bounds(period: int) -> tuple[datetime, datetime]:
    """The year in China (UTC+8) as UTC instants, for closing times stored in UTC."""
    return datetime(period - 1, 12, 31, 16, tzinfo=UTC), datetime(period, 12, 31, 16, tzinfo=UTC)


def deals_of_year(session: Session, *, scope: Scope, period: int) -> list[tuple[str, Decimal]]:
    """(region, area in 亩) of every deal struck in the year, recorded or on the platform."""
    recorded = scope.filter(select(Deal.region_code, Deal.area_mu), Deal.region_code).where(
        Deal.deal_date.between(date(period, 1, 1), date(period, 12, 31))
    )
    start, end = year_bounds(period)
    sold = scope.filter(select(Listing.region_code, Listing.area_mu), Listing.region_code).where(
        Listing.status == "sold", Listing.closed_at >= start, Listing.closed_at < end
    )
    return [
        (code, Decimal(area)) for code, area in [*session.execute(recorded), *session.execute(sold)]
    ]


@indicators.register("exchange.deals")
def deals(session: Session, *, period: int, level: Level, under: str) -> dict[str, Measure]:
    found = deals_of_year(session, scope=within(under), period=period)
    return sums(((code, 1) for code, _ in found), level)


@indicators.register("exchange.deal_area")
def deal_area(session: Session, *, period: int, level: Level, under: str) -> dict[str, Measure]:
    return sums(deals_of_year(session, scope=within(under), period=period), level)


@indicators.register("exchange.land_tickets_issued")
def land_tickets_issued(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    return sums(tickets_issued(session, scope=within(under), period=period), level)


def tickets_issued(session: Session, *, scope: Scope, period: int) -> list[tuple[str, Decimal]]:
    """(village, area in 亩) of each 地票 issued in the year."""
    query = scope.filter(
        select(TicketCase.region_code, TicketCase.accepted_m2), TicketCase.region_code
    ).where(TicketCase.issued_on.between(date(period, 1, 1), date(period, 12, 31)))
    return [(code, Decimal(m2) / M2_PER_MU) for code, m2 in session.execute(query)]


@indicators.register("exchange.land_tickets_traded")
def land_tickets_traded(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    return sums(tickets_traded(session, scope=within(under), period=period), level)


def tickets_traded(session: Session, *, scope: Scope, period: int) -> list[tuple[str, Decimal]]:
    """(village, area in 亩) of each 地票 sold in the year."""
    start, end = year_bounds(period)
    query = scope.filter(
        select(TicketCase.region_code, TicketCase.accepted_m2).join(
            Listing, Listing.id == TicketCase.listing_id
        ),
        TicketCase.region_code,
    ).where(Listing.status == "sold", Listing.closed_at >= start, Listing.closed_at < end)
    return [(code, Decimal(m2) / M2_PER_MU) for code, m2 in session.execute(query)]


@indicators.register("exchange.proceeds_to_farmers")
def proceeds_to_farmers(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    return sums(paid_to_farmers(session, scope=within(under), period=period), level)


def paid_to_farmers(session: Session, *, scope: Scope, period: int) -> list[tuple[str, Decimal]]:
    """(village, 万元) of each payment of 地票 proceeds to a farmer household in the year."""
    query = scope.filter(
        select(TicketCase.region_code, TicketPayment.amount_yuan).join(
            TicketCase, TicketCase.id == TicketPayment.case_id
        ),
        TicketCase.region_code,
    ).where(
        TicketPayment.payee == "farmer",
        TicketPayment.paid_on.between(date(period, 1, 1), date(period, 12, 31)),
    )
    return [(code, Decimal(amount) / YUAN_PER_WAN) for code, amount in session.execute(query)]
