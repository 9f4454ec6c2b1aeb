"""Possible counterfeits (疑似假冒): what officials decide about the flags scans raise.

Scans are anonymous, so what they show is evidence, not a verdict (see
:mod:`yunong.trace.scans` for when a flag is raised). A flag waits, pending, for an
official of the producer's district or the city, who finds it in their 待办: confirming
it turns the batch red on the public scan page; clearing it, with the reason, keeps the
page as it was. Both are recorded in the audit trail. A producer sees its flags once
they are confirmed.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden, InvalidValue
from yunong.core.scope import OutOfScope, ReadOnly, Scope
from yunong.store.base import utcnow
from yunong.trace import access
from yunong.trace.models import Batch, Producer, Product, ScanFlag

PENDING, CONFIRMED, CLEARED = "pending", "confirmed", "cleared"
STATE_LABELS = {PENDING: "待核实", CONFIRMED: "已确认", CLEARED: "已排除"}
REASON_LABELS = {"overscan": "扫码次数异常", "spread": "多地扫码"}
DECIDERS = frozenset({Role.CITY_ADMIN.value, Role.DISTRICT_OFFICER.value})
"""Roles that confirm or clear flags: market supervision of farm products sits with the
district (and the city above it)."""


@dataclass(frozen=True)
class FlagRow:
    flag: ScanFlag
    batch: Batch
    product: str


def may_decide(scope: Scope) -> bool:
    """Officials of a district or the city, and operators at the command line."""
    return scope.role in DECIDERS or scope.role is None


def flag_rows(session: Session, query: Select) -> list[FlagRow]:
    return [
        FlagRow(flag, batch, product)
        for flag, batch, product in session.execute(query.order_by(ScanFlag.raised_at.desc()))
    ]


def joined() -> Select:
    return (
        select(ScanFlag, Batch, Product.name)
        .join(Batch, Batch.id == ScanFlag.batch_id)
        .join(Product, Product.id == Batch.product_id)
        .join(Producer, Producer.id == Product.producer_id)
    )


def get_flags(session: Session, *, scope: Scope) -> list[FlagRow]:
    """Flags the caller may see: officials those of their area in every state, a producer
    its own once confirmed."""
    query = access.filter_producers(session, scope, joined())
    if access.is_producer(scope):
        query = query.where(ScanFlag.state == CONFIRMED)
    return flag_rows(session, query)


def get_row(session: Session, *, scope: Scope, flag_id: int) -> FlagRow:
    """One flag the caller may see."""
    query = access.filter_producers(session, scope, joined()).where(ScanFlag.id == flag_id)
    found = flag_rows(session, query)
    if not found:
        raise OutOfScope("这条预警不存在或不在您的管辖范围内")
    return found[0]


def pending_counterfeit_flags(session: Session, *, scope: Scope) -> list[FlagRow]:
    """Flags waiting for the caller to confirm or clear them, oldest first; none for
    roles that do not decide."""
    if not may_decide(scope):
        return []
    query = scope.filter(joined(), ScanFlag.region_code).where(ScanFlag.state == PENDING)
    return list(reversed(flag_rows(session, query)))


def confirmed(session: Session, batch_id: int) -> list[ScanFlag]:
    """The flags the public may see on a batch's page."""
    query = select(ScanFlag).where(ScanFlag.batch_id == batch_id, ScanFlag.state == CONFIRMED)
    return list(session.scalars(query.order_by(ScanFlag.id)))


def confirm(session: Session, *, scope: Scope, flag_id: int, note: str = "") -> ScanFlag:
    """Confirm a flag: the batch's public page shows it as a possible counterfeit."""
    return decide(session, scope=scope, flag_id=flag_id, state=CONFIRMED, note=note)


def clear(session: Session, *, scope: Scope, flag_id: int, note: str) -> ScanFlag:
    """Clear a flag, saying why: the public page does not show it, and only evidence
    gathered from now on raises it again."""
    if len(note.strip()) < 2:
        raise InvalidValue("排除疑似假冒预警须写明理由")
    return decide(session, scope=scope, flag_id=flag_id, state=CLEARED, note=note)


def decide(
    session: Session,
    *,
    scope: Scope,
    flag_id: int,
    state: str,
    note: str,
    now: datetime | None = None,
) -> ScanFlag:
    flag = session.get(ScanFlag, flag_id)
    if flag is None or not scope.covers(flag.region_code):
        raise OutOfScope("这条预警不存在或不在您的管辖范围内")
    if not may_decide(scope):
        raise Forbidden("疑似假冒预警由区县或市级干部核实：您的角色不能确认或排除")
    if not scope.can_write:
        raise ReadOnly("您的角色只能查看，不能修改")
    if flag.state == state:
        return flag
    before = shown(flag)
    flag.state, flag.note = state, note.strip()[:200]
    flag.decided_by, flag.decided_at = scope.actor, now or utcnow()
    session.flush()
    batch = session.get(Batch, flag.batch_id)
    assert batch is not None
    audit.record(
        session,
        scope=scope,
        action=f"trace.scan_flag_{'confirm' if state == CONFIRMED else 'clear'}",
        target_type="trace_batch",
        target_id=batch.code,
        region_code=flag.region_code,
        before=before,
        after=shown(flag),
        detail=f"{REASON_LABELS.get(flag.reason, flag.reason)}：{flag.note or flag.detail}",
    )
    return flag


def shown(flag: ScanFlag) -> dict[str, object]:
    return {"state": flag.state, "note": flag.note, "detail": flag.detail}
