"""Households as other applications name them by their 全农码: the holder (承包方) of a
land parcel is shown by the name of its household's head. Reads stay inside the scope."""

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.scope import Scope
from yunong.monitor.households import HEAD_RELATIONS
from yunong.monitor.models import Household, Person
from yunong.store.bulk import chunks


def head_names_by_code(session: Session, *, scope: Scope, codes: Collection[str]) -> dict[str, str]:
    """The name of the head (户主) of each household of ``codes`` inside the scope, by code;
    codes of other kinds of holder (a co-operative, a company) are left out."""
    found: dict[str, str] = {}
    for chunk in chunks(sorted(set(codes))):
        query = scope.filter(
            select(Household.code, Person.name)
            .join(Person, Person.household_id == Household.id)
            .where(Household.code.in_(chunk), Person.relation.in_(HEAD_RELATIONS)),
            Household.village_code,
        )
        found |= dict(session.execute(query).tuples().all())
    return found
