"""Read regions: one region, its children, its ancestors, and counts per district."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.errors import NotFound
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region


def get(session: Session, *, code: str) -> Region:
    """The region with this code (any of its 6-, 9- or 12-digit forms)."""
    full = codes.normalise(code)
    region = session.get(Region, full)
    if region is None:
        raise NotFound(f"未知的区划代码“{code.strip()}”")
    return region


def get_all(
    session: Session, *, level: Level | None = None, under: str | None = None
) -> list[Region]:
    """Regions ordered by code, optionally of one level and inside one region."""
    query = select(Region).order_by(Region.code)
    if level is not None:
        query = query.where(Region.level == int(level))
    if under is not None:
        scope = get(session, code=under)
        query = query.where(
            Region.code.startswith(codes.prefix_of(scope.code)), Region.code != scope.code
        )
    return list(session.scalars(query))


def get_children(session: Session, *, code: str) -> list[Region]:
    parent = get(session, code=code)
    return list(
        session.scalars(
            select(Region).where(Region.parent_code == parent.code).order_by(Region.code)
        )
    )


def get_ancestors(session: Session, *, code: str) -> list[Region]:
    """From the city down to the region's parent."""
    region = get(session, code=code)
    chain: list[Region] = []
    parent_code = region.parent_code
    while parent_code is not None:
        parent = session.get(Region, parent_code)
        if parent is None:
            break
        chain.append(parent)
        parent_code = parent.parent_code
    return list(reversed(chain))


@dataclass(frozen=True)
class DistrictCounts:
    code: str
    name: str
    towns: int
    villages: int


def count_by_district(session: Session) -> list[DistrictCounts]:
    """Each district with the number of towns and villages inside it."""
    district_prefix = func.substr(Region.code, 1, 6)
    counts = {
        (prefix, level): number
        for prefix, level, number in session.execute(
            select(district_prefix, Region.level, func.count())
            .where(Region.level.in_([int(Level.TOWN), int(Level.VILLAGE)]))
            .group_by(district_prefix, Region.level)
        )
    }
    return [
        DistrictCounts(
            code=district.code[:6],
            name=district.name,
            towns=counts.get((district.code[:6], int(Level.TOWN)), 0),
            villages=counts.get((district.code[:6], int(Level.VILLAGE)), 0),
        )
        for district in get_all(session, level=Level.DISTRICT)
    ]
