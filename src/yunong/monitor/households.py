"""Households as the monitoring lists show them: their 全农码, their heads' names, and the
households a visitor may choose from. Every read stays inside the caller's scope."""

from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.errors import NotFound
from yunong.core.scope import Scope
from yunong.monitor.models import Household, Person

HEAD_RELATIONS = ("户主", "本人")
"""How the workbooks name the person a household is known by."""
IDS_PER_QUERY = 5000
"""Long lists (an export) are looked up in parts, under the databases' limits on bound values."""


def code_of(session: Session, *, scope: Scope, household_id: int) -> str:
    """The 全农码 of one household."""
    household = session.get(Household, household_id)
    if household is None:
        raise NotFound(f"农户 {household_id} 不存在或不在您的管辖范围内")
    scope.check_read(household.village_code, f"农户 {household_id}")
    return household.code


def codes_of(session: Session, *, scope: Scope, household_ids: Iterable[int]) -> dict[int, str]:
    """The 全农码 of each household in ``household_ids`` that lies inside the scope."""
    found: dict[int, str] = {}
    for part in parts(household_ids):
        query = scope.filter(
            select(Household.id, Household.code).where(Household.id.in_(part)),
            Household.village_code,
        )
        found.update((key, value) for key, value in session.execute(query).tuples())
    return found


def head_names(session: Session, *, scope: Scope, household_ids: Iterable[int]) -> dict[int, str]:
    """The name of each household's head (户主), for lists that show people by name."""
    found: dict[int, str] = {}
    for part in parts(household_ids):
        query = scope.filter(
            select(Person.household_id, Person.name)
            .join(Household, Household.id == Person.household_id)
            .where(Person.household_id.in_(part), Person.relation.in_(HEAD_RELATIONS)),
            Household.village_code,
        )
        found.update((key, value) for key, value in session.execute(query).tuples())
    return found


def heads(
    session: Session, *, scope: Scope, household_ids: Iterable[int]
) -> dict[int, tuple[str, str]]:
    """Each household head's name and resident ID number (the caller masks it in lists)."""
    found: dict[int, tuple[str, str]] = {}
    for part in parts(household_ids):
        query = scope.filter(
            select(Person.household_id, Person.name, Person.id_number)
            .join(Household, Household.id == Person.household_id)
            .where(Person.household_id.in_(part), Person.relation.in_(HEAD_RELATIONS)),
            Household.village_code,
        )
        found.update((key, (name, number)) for key, name, number in session.execute(query))
    return found


def get_all(session: Session, *, scope: Scope, limit: int = 2000) -> list[Household]:
    """Households inside the scope in the order of their numbers in the village books."""
    query = scope.filter(select(Household), Household.village_code)
    return list(session.scalars(query.order_by(Household.number).limit(limit)))


def parts(household_ids: Iterable[int]) -> Iterator[tuple[int, ...]]:
    """The distinct ids, sorted, in parts of at most ``IDS_PER_QUERY``."""
    wanted = sorted(set(household_ids))
    for start in range(0, len(wanted), IDS_PER_QUERY):
        yield tuple(wanted[start : start + IDS_PER_QUERY])
