"""The product-code work waiting on a user (待办): for a producer, harvested batches without
their compliance certificate, batches whose latest inspection failed (to be inspected again
before a certificate) and batches whose harvest is not recorded yet; for officials of
a district or the city, possible counterfeits waiting to be confirmed or cleared."""

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session, aliased

from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.core.todo import ITEMS_SHOWN, Item, Todo
from yunong.trace import access, flags
from yunong.trace.events import Step
from yunong.trace.models import Batch, Certificate, Event, Producer, Product
from yunong.web.i18n import gettext as _

APPLICATION = "trace"


def todo(session: Session, scope: Scope) -> list[Todo]:
    if flags.may_decide(scope):
        return [counterfeit_checks(session, scope)]
    if scope.role != Role.PRODUCER.value:
        return []
    harvested = exists().where(Event.batch_id == Batch.id, Event.step == Step.HARVEST.value)
    certified = exists().where(Certificate.batch_id == Batch.id)
    failed = last_inspection_failed()
    return [
        batch_list(
            session,
            own_batches(session, scope).where(harvested, ~certified, ~failed),
            kind="certificate",
            action="开具承诺达标合格证",
        ),
        batch_list(
            session,
            own_batches(session, scope).where(~certified, failed),
            kind="reinspect",
            action="重新检测不合格批次",
        ),
        batch_list(
            session,
            own_batches(session, scope).where(~harvested),
            kind="harvest",
            action="记录采收/出栏",
        ),
    ]


def last_inspection_failed() -> ColumnElement[bool]:
    """The batch's latest inspection failed: no certificate until a new one passes
    (``certificates.missing_before_issue``), so the batch waits for that, not for one."""
    failed = aliased(Event)
    later = aliased(Event)
    return exists().where(
        failed.batch_id == Batch.id,
        failed.step == Step.INSPECTION.value,
        failed.result == "fail",
        ~exists().where(
            later.batch_id == Batch.id,
            later.step == Step.INSPECTION.value,
            later.event_time > failed.event_time,
        ),
    )


def own_batches(session: Session, scope: Scope) -> Select:
    query = (
        select(Batch, Product.name)
        .join(Product, Product.id == Batch.product_id)
        .join(Producer, Producer.id == Product.producer_id)
    )
    return access.filter_producers(session, scope, query)


def batch_list(session: Session, query: Select, *, kind: str, action: str) -> Todo:
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(Batch.produced_on, Batch.id).limit(ITEMS_SHOWN))
    items = [
        Item(
            subject=_("{product} 批次 {lot}").format(product=product, lot=batch.lot),
            link=f"/trace/batches/{batch.code}",
            since=batch.produced_on,
        )
        for batch, product in rows
    ]
    return Todo(APPLICATION, kind, action, total, items)


def counterfeit_checks(session: Session, scope: Scope) -> Todo:
    pending = flags.pending_counterfeit_flags(session, scope=scope)
    items = [
        Item(
            subject=_("{product} 批次 {lot}（{reason}）").format(
                product=row.product,
                lot=row.batch.lot,
                reason=_(flags.REASON_LABELS.get(row.flag.reason, row.flag.reason)),
            ),
            link="/apps/trace#flags",
            since=row.flag.raised_at.date(),
            level="yellow",
        )
        for row in pending[:ITEMS_SHOWN]
    ]
    return Todo(APPLICATION, "counterfeit", "核实疑似假冒预警", len(pending), items)
