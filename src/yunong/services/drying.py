"""Drying centres: bookings by tonnes and day, refused over the day's capacity and put on the
waiting list; a booking cancelled makes room for the waiting ones, first come first served."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue, NotFound
from yunong.core.scope import Scope
from yunong.services.models import DryingBooking, DryingCentre

BOOKED = "booked"
WAITING = "waiting"


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
    """Book ``tonnes`` on ``day``: booked when the day has room, else on the waiting list."""
    centre = get_centre(session, scope=scope, code=code)
    scope.check_write(centre.region_code, f"烘干中心“{code}”")
    if tonnes <= 0:
        raise InvalidValue("烘干量应为正数（吨）")
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
    if booking is None:
        raise NotFound("烘干预约不存在或不在您的管辖范围内")
    scope.check_write(booking.region_code, "烘干预约")
    centre = session.get(DryingCentre, booking.centre_id)
    assert centre is not None
    session.delete(booking)
    session.flush()
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
