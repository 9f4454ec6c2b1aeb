"""Inspection agencies (检测机构) and who may record a batch's quality test.

A quality test (检测 合格 / 不合格) is what the public page turns green or red on, so it
is not one more event any official of the region may add. It is recorded by the producer
itself (its own test, 自检) or by an account an official of the district or the city
registered as an inspection agency for an area; an agency's result carries the agency's
registered name, not one typed in. Operators at the command line record as before.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden, InvalidValue
from yunong.core.regions import service as regions
from yunong.core.scope import OutOfScope, Scope
from yunong.trace import access
from yunong.trace.models import Inspector, Producer

REGISTRARS = frozenset({Role.CITY_ADMIN.value, Role.DISTRICT_OFFICER.value})


@dataclass(frozen=True)
class Recorder:
    """Who records a quality test, and the agency the result is shown under."""

    agency: str | None


def register(
    session: Session, *, scope: Scope, user_id: int, agency: str, region_code: str
) -> Inspector:
    """Register (or re-register) a user as an inspection agency for an area in the caller's
    scope; the user must be an official who may write."""
    if scope.role not in REGISTRARS and scope.role is not None:
        raise Forbidden("检测机构账号由区县或市级干部登记")
    name = agency.strip()
    if not 2 <= len(name) <= 80:
        raise InvalidValue("请填写检测机构名称（2 至 80 个字）")
    area = regions.get(session, code=region_code)
    scope.check_write(area.code, "区划")
    user = users.get(session, scope=scope, user_id=user_id)
    if not Role(user.role).can_write:
        raise InvalidValue(f"{Role(user.role).label}账号不能登记为检测机构")
    found = session.get(Inspector, user.id)
    before = shown(found) if found else None
    if found is None:
        found = Inspector(user_id=user.id, agency=name, region_code=area.code)
        session.add(found)
    found.agency, found.region_code, found.registered_by = name, area.code, scope.actor
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="trace.inspector_register",
        target_type="user",
        target_id=user.id,
        region_code=area.code,
        before=before,
        after=shown(found),
        detail=f"{user.name}：{name}",
    )
    return found


def remove(session: Session, *, scope: Scope, user_id: int) -> None:
    """End a user's registration as an inspection agency."""
    found = session.get(Inspector, user_id)
    if found is None or not scope.covers(found.region_code):
        raise OutOfScope("这个检测机构账号不存在或不在您的管辖范围内")
    if scope.role not in REGISTRARS and scope.role is not None:
        raise Forbidden("检测机构账号由区县或市级干部登记")
    scope.check_write(found.region_code, "检测机构账号")
    before = shown(found)
    session.delete(found)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="trace.inspector_remove",
        target_type="user",
        target_id=user_id,
        region_code=before["region_code"],
        before=before,
    )


def get_all(session: Session, *, scope: Scope) -> list[Inspector]:
    query = scope.filter(select(Inspector), Inspector.region_code)
    return list(session.scalars(query.order_by(Inspector.region_code, Inspector.user_id)))


def recorder(session: Session, scope: Scope, producer: Producer) -> Recorder:
    """Who may record a quality test of the producer's batches, or Forbidden: the producer
    itself, an agency registered for an area covering the producer, an operator."""
    if scope.role is None or access.is_producer(scope):
        return Recorder(agency=None)
    found = session.get(Inspector, scope.user_id) if scope.user_id is not None else None
    if found is None or not area_of(found).covers(producer.region_code):
        raise Forbidden(
            "检测结果只能由生产经营主体本身或登记的检测机构账号记录：您的账号没有登记为"
            "这个产地的检测机构"
        )
    return Recorder(agency=found.agency)


def area_of(inspector: Inspector) -> Scope:
    """The area an agency tests in, as a scope of its own."""
    return Scope(actor=inspector.registered_by, region_code=inspector.region_code)


def shown(inspector: Inspector) -> dict[str, str]:
    return {"agency": inspector.agency, "region_code": inspector.region_code}
