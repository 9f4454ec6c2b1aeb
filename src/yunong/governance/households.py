"""The households 基层治理 works with: monitor households found by their 全农码 or by their
number in the village's books (户编号), always inside the caller's scope, and their heads'
names masked for lists and for the public."""

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from yunong.core import masking
from yunong.core.errors import NotFound
from yunong.core.scope import Scope
from yunong.monitor import households as monitor_households
from yunong.monitor.models import Household


@dataclass(frozen=True)
class Found:
    id: int
    code: str
    number: str
    village_code: str


def find(session: Session, *, scope: Scope, key: str, village: str = "") -> Found:
    """The household whose 全农码 is ``key``, or whose 户编号 in ``village`` is ``key``."""
    text = key.strip()
    query = scope.filter(select(Household), Household.village_code)
    if village:
        query = query.where(
            or_(
                Household.code == text.upper(),
                (Household.village_code == village) & (Household.number == text),
            )
        )
    else:
        query = query.where(Household.code == text.upper())
    household = session.scalars(query).first()
    if household is None:
        raise NotFound("您的辖区内没有全农码或户编号为“{key}”的农户", key=text)
    return Found(household.id, household.code, household.number, household.village_code)


def get_by_id(session: Session, *, scope: Scope, household_id: int) -> Found:
    query = scope.filter(
        select(Household).where(Household.id == household_id), Household.village_code
    )
    household = session.scalars(query).first()
    if household is None:
        raise NotFound("农户不存在或不在您的管辖范围内")
    return Found(household.id, household.code, household.number, household.village_code)


def get_many(session: Session, *, scope: Scope, household_ids: list[int]) -> dict[int, Found]:
    found: dict[int, Found] = {}
    for part in monitor_households.parts(household_ids):
        query = scope.filter(
            select(Household).where(Household.id.in_(part)), Household.village_code
        )
        found.update(
            (h.id, Found(h.id, h.code, h.number, h.village_code)) for h in session.scalars(query)
        )
    return found


def masked_heads(session: Session, *, scope: Scope, household_ids: list[int]) -> dict[int, str]:
    """Each household head's name as lists show it (王**)."""
    names = monitor_households.head_names(session, scope=scope, household_ids=household_ids)
    return {key: masking.mask_name(name) for key, name in names.items()}


def public_name(name: str) -> str:
    """A name as the public points board shows it: the first and last characters kept
    (张建华 → 张*华, 张华 → 张*)."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
