"""Drying centres: bookings by tonnes and day, refused over the day's capacity and put on the
waiting list; a booking cancelled makes room for the waiting ones, first come first served.

Officers and village cadres book for a household at a centre of their region. A farmer's
account is read-only for the platform, yet it books for itself at any centre of its district
(as 种粮宝 shows the nearest) and cancels only its own bookings.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import InvalidValue, NotFound
from yunong.core.scope import Scope
from yunong.services.grower_page import district_of
from yunong.services.models import DryingBooking, DryingCentre

BOOKED = "booked"
WAITING = "waiting"
MAX_TONNES = Decimal(1000)
"""A booking above it is a typing mistake: a centre dries a few hundred tonnes a day."""
MAX_SHOWN = 50


def get_centre(session: Session, *, scope: Scope, code: str) -> DryingCentre:
    centre = session.scalars(select(DryingCentre).where(DryingCentre.code == code.strip())).first()
    if centre is None:
        raise NotFound("烘干中心“{code}”不存在或不在您的管辖范围内", code=code.strip())
    scope.check_read(centre.region_code, f"烘干中心“{code.strip()}”")
    return centre


def booked_tonnes(session: Session, centre: DryingCentre, day: date) -> Decimal:
    total = session.scalar(
        select(func.coalesce(func.sum(DryingBooking.tonnes), 0)).where(
            DryingBooking.centre_id == centre.id,
            DryingBooking.day == day,
            DryingBooking.status == BOOKED,
        )
    )
    return Decimal(str(total))


def book(
    session: Session, *, scope: Scope, code: str, day: date, tonnes: Decimal, requester: str
) -> DryingBooking:
    """Book ``tonnes`` on ``day``: booked when the day has room, else on the waiting list.
    A farmer books for itself (``requester`` is the account); others name the household."""
    if scope.role == Role.FARMER:
        centre = get_centre(session, scope=district_of(scope), code=code)
        requester = scope.actor
    else:
        centre = get_centre(session, scope=scope, code=code)
        scope.check_write(centre.region_code, f"烘干中心“{code}”")
    requester = requester.strip()[:64]
    if not requester:
        raise InvalidValue("请填写预约人（为哪一户预约）")
    if tonnes <= 0:
        raise InvalidValue("烘干量应为正数（吨）")
    if tonnes > MAX_TONNES:
        raise InvalidValue("一次预约最多 {most} 吨", most=MAX_TONNES)
    room = Decimal(centre.tonnes_per_day) - booked_tonnes(session, centre, day)
    waiting = session.scalar(
        select(func.count()).where(
            DryingBooking.centre_id == centre.id,
            DryingBooking.day == day,
            DryingBooking.status == WAITING,
        )
    )
    status = BOOKED if tonnes <= room and not waiting else WAITING
    booking = DryingBooking(
        centre_id=centre.id, day=day, tonnes=tonnes, requester=requester,
        region_code=centre.region_code, status=status,
    )  # fmt: skip
    session.add(booking)
    session.flush()
    audit.record(
        session, scope=scope, action=f"services.drying_{status}", target_type="drying",
        target_id=booking.id, region_code=centre.region_code, detail=f"{day} {tonnes} 吨",
    )  # fmt: skip
    return booking


def cancel(session: Session, *, scope: Scope, booking_id: int) -> list[DryingBooking]:
    """Cancel a booking; waiting bookings that now fit are booked, in order. Those promoted."""
    booking = session.get(DryingBooking, booking_id)
    if booking is None or (scope.role == Role.FARMER and booking.requester != scope.actor):
        raise NotFound("烘干预约不存在或不在您的管辖范围内")
    if scope.role == Role.FARMER:
        district_of(scope).check_read(booking.region_code, "烘干预约")
    else:
        scope.check_write(booking.region_code, "烘干预约")
    centre = session.get(DryingCentre, booking.centre_id)
    assert centre is not None
    session.delete(booking)
    session.flush()
    audit.record(
        session, scope=scope, action="services.drying_cancelled", target_type="drying",
        target_id=booking_id, region_code=booking.region_code,
        detail=f"{booking.day} {booking.tonnes} 吨",
    )  # fmt: skip
    promoted = []
    room = Decimal(centre.tonnes_per_day) - booked_tonnes(session, centre, booking.day)
    waiting = session.scalars(
        select(DryingBooking)
        .where(
            DryingBooking.centre_id == centre.id,
            DryingBooking.day == booking.day,
            DryingBooking.status == WAITING,
        )
        .order_by(DryingBooking.id)
    ).all()
    for candidate in waiting:
        if Decimal(candidate.tonnes) > room:
            break
        candidate.status = BOOKED
        room -= Decimal(candidate.tonnes)
        promoted.append(candidate)
    session.flush()
    return promoted


def bookings_of_farmer(session: Session, *, scope: Scope) -> list[tuple[DryingBooking, str]]:
    """A farmer's own bookings at the centres of its district, latest day first, with the
    centre's name."""
    district = district_of(scope)
    rows = session.execute(
        district.filter(
            select(DryingBooking, DryingCentre.name)
            .join(DryingCentre, DryingCentre.id == DryingBooking.centre_id)
            .where(DryingBooking.requester == scope.actor)
            .order_by(DryingBooking.day.desc(), DryingBooking.id.desc())
            .limit(MAX_SHOWN),
            DryingBooking.region_code,
        )
    ).tuples()
    return list(rows)
