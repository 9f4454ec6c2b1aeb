"""Households as the monitoring lists show them: their 全农码, their heads' names, and the
households a visitor may choose from. Every read stays inside the caller's scope."""

import re
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_, select
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


# Searching

ID_SUFFIX = re.compile(r"^\d{3,7}[\dXx]$")
"""The last digits of an ID number, as a masked number shows them (…1234 or …123X)."""


def member_conditions(text: str) -> ColumnElement[bool]:
    """A person of that full name, or whose ID number ends so."""
    conditions = [Person.name == text]
    if ID_SUFFIX.match(text):
        conditions.append(Person.id_number.endswith(text.upper()))
    return or_(*conditions)


def member_matches(household_id: Any, text: str) -> ColumnElement[bool]:
    """The household whose id is in ``household_id`` has such a member. Asked household by
    household through the persons' household index, so that a district's search reads its
    own persons, not the city's ten million."""
    return exists().where(Person.household_id == household_id, member_conditions(text))


def matches(text: str, *, whole_city: bool) -> ColumnElement[bool]:
    """``Household`` rows the search text names (by member, 全农码 or book number). Over the
    whole city one pass over the persons (seconds) beats asking for each of 3.5 million
    households in turn (several times longer)."""
    members = (
        Household.id.in_(select(Person.household_id).where(member_conditions(text)))
        if whole_city
        else member_matches(Household.id, text)
    )
    return or_(Household.code == text.upper(), Household.number == text, members)


def count(session: Session, *, scope: Scope) -> int:
    return (
        session.scalar(scope.filter(select(func.count(Household.id)), Household.village_code)) or 0
    )


def search(session: Session, *, scope: Scope, text: str, limit: int) -> tuple[int, list[Household]]:
    """How many households inside the scope the text names, and the first ``limit`` of them."""
    query = scope.filter(select(Household), Household.village_code).where(
        matches(text.strip(), whole_city=False)
    )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    found = session.scalars(query.order_by(Household.village_code, Household.number).limit(limit))
    return total, list(found)
