"""Who may see and change which producer's products.

Officials work by region scope, as everywhere. A producer-role account works
only on the producers it is an account of, wherever they are: its region
scope alone would let it see its neighbours' products.
"""

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from yunong.core.auth.roles import Role
from yunong.core.scope import OutOfScope, ReadOnly, Scope
from yunong.trace.models import Producer, ProducerAccount


def is_producer(scope: Scope) -> bool:
    return scope.role == Role.PRODUCER.value


def own_producer_ids(session: Session, scope: Scope) -> set[int]:
    if scope.user_id is None:
        return set()
    query = select(ProducerAccount.producer_id).where(ProducerAccount.user_id == scope.user_id)
    return set(session.scalars(query))


def filter_producers(session: Session, scope: Scope, query: Select) -> Select:
    """Restrict a query that joins ``Producer`` to the producers the caller may see."""
    if is_producer(scope):
        return query.where(Producer.id.in_(sorted(own_producer_ids(session, scope))))
    return scope.filter(query, Producer.region_code)


def check_read(session: Session, scope: Scope, producer: Producer, what: str) -> None:
    if is_producer(scope):
        if producer.id not in own_producer_ids(session, scope):
            raise OutOfScope(f"{what}不存在或不在您的管辖范围内")
        return
    scope.check_read(producer.region_code, what)


def check_write(session: Session, scope: Scope, producer: Producer, what: str) -> None:
    """Producers change their own products; officials those of their region, if they may write."""
    check_read(session, scope, producer, what)
    if not is_producer(scope) and not scope.can_write:
        raise ReadOnly("您的角色只能查看，不能修改")


def may_write(session: Session, scope: Scope, producer: Producer) -> bool:
    """Whether the caller may change this producer's products: what ``check_write`` allows,
    so a page offers only the forms the caller may send."""
    try:
        check_write(session, scope, producer, "")
    except (OutOfScope, ReadOnly):
        return False
    return True


def writes_any(scope: Scope) -> bool:
    """Whether the caller may change any product at all: producers their own, officials
    theirs if their role may write."""
    return is_producer(scope) or scope.can_write


def acting_scope(scope: Scope, producer: Producer) -> Scope:
    """The scope a producer account writes with once ownership is checked: its producer's region.

    Identity codes and links are issued through core services that check region scope, which a
    producer account (read-only in region terms) would otherwise fail.
    """
    if not is_producer(scope):
        return scope
    return Scope(
        actor=scope.actor,
        region_code=producer.region_code,
        role=scope.role,
        user_id=scope.user_id,
        can_write=True,
    )
