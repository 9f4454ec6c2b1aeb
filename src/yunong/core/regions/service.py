"""Read regions: one region, its children, its ancestors, and counts per district."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.errors import NotFound
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.core.scope import Scope


def get(session: Session, *, code: str) -> Region:
    """The region with this code (any of its 6-, 9- or 12-digit forms)."""
    full = codes.normalise(code)
    region = session.get(Region, full)
    if region is None:
        raise NotFound(f"未知的区划代码“{code.strip()}”")
    return region


def get_visible(session: Session, *, scope: Scope, code: str) -> Region:
    """A region inside the caller's scope; others are not found."""
    region = get(session, code=code)
    scope.check_read(region.code, f"区划“{code.strip()}”")
    return region


def get_all(
    session: Session, *, scope: Scope, level: Level | None = None, under: str | None = None
) -> list[Region]:
    """Regions inside the caller's scope ordered by code, optionally of one level and
    inside one region."""
    query = scope.filter(select(Region), Region.code).order_by(Region.code)
    if level is not None:
        query = query.where(Region.level == int(level))
    if under is not None:
        parent = get_visible(session, scope=scope, code=under)
        query = scope.narrowed_to(parent.code).filter(query, Region.code)
        query = query.where(Region.code != parent.code)
    return list(session.scalars(query))


def get_children(session: Session, *, scope: Scope, code: str) -> list[Region]:
    parent = get_visible(session, scope=scope, code=code)
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
class RegionSummary:
    code: str
    name: str
    level: int
    towns: int
    villages: int


def summarize_children(session: Session, *, scope: Scope, code: str) -> list[RegionSummary]:
    """Each child of a region, with the number of towns and villages inside it and in scope."""
    parent = get_visible(session, scope=scope, code=code)
    if parent.level == Level.VILLAGE:
        return []
    child_length = codes.PREFIX_LENGTHS[Level(parent.level + 1)]
    child_prefix = func.substr(Region.code, 1, child_length)
    inside = select(child_prefix, Region.level, func.count()).where(
        Region.level.in_([int(Level.TOWN), int(Level.VILLAGE)])
    )
    under_parent = scope.narrowed_to(parent.code).filter(inside, Region.code)
    counts = {
        (prefix, level): number
        for prefix, level, number in session.execute(
            under_parent.group_by(child_prefix, Region.level)
        )
    }
    return [
        RegionSummary(
            code=child.code,
            name=child.name,
            level=child.level,
            towns=counts.get((child.code[:child_length], int(Level.TOWN)), 0),
            villages=counts.get((child.code[:child_length], int(Level.VILLAGE)), 0),
        )
        for child in get_children(session, scope=scope, code=parent.code)
    ]


@dataclass(frozen=True)
class PlaceNames:
    """The district, town and village a row lies in, by name, for the columns of lists."""

    district: str
    town: str
    village: str

    @property
    def label(self) -> str:
        """The names in one line, from the district down: 万州区 龙沙镇 石坪村."""
        return " ".join(name for name in (self.district, self.town, self.village) if name)


NAMES_PER_QUERY = 5000
"""Codes looked up per query, under the databases' limits on bound values."""


def get_place_names(session: Session, *, village_codes: Iterable[str]) -> dict[str, PlaceNames]:
    """The names of the district, town and village of each 12-digit code (a town's code
    names no village); one query per few thousand regions. Region names are public."""
    wanted = set(village_codes)
    parts = {code[:6].ljust(12, "0") for code in wanted} | {code[:9] + "000" for code in wanted}
    codes_to_read = sorted(wanted | parts)
    names: dict[str, str] = {}
    for start in range(0, len(codes_to_read), NAMES_PER_QUERY):
        chunk = codes_to_read[start : start + NAMES_PER_QUERY]
        query = select(Region.code, Region.name).where(Region.code.in_(chunk))
        names.update((code, name) for code, name in session.execute(query).tuples())
    return {
        code: PlaceNames(
            district=names.get(code[:6].ljust(12, "0"), code[:6]),
            town=names.get(code[:9] + "000", "") if code[6:9] != "000" else "",
            village=names.get(code, "") if code[9:] != "000" else "",
        )
        for code in wanted
    }
