"""Grids (网格): areas within a village, each with its grid worker, and the households in
each grid.

A grid belongs to one village and is looked after by one grid worker, a ``grid_worker``
account bound to that village. A household is in at most one grid: assigning it to another
grid moves it, and the move records who made it and when (and is audited). The boundary is
optional: many villages name their grids by groups (组) before anyone draws them.
"""

import json
from dataclasses import dataclass
from datetime import datetime

import shapely
from shapely.geometry import shape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.governance import households
from yunong.governance.models import Grid, GridHousehold
from yunong.store.base import utcnow

KEEPERS = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE})
"""Who draws grids and assigns households: the village and those above it."""


@dataclass
class GridIn:
    village: str
    name: str
    worker: str
    boundary: str = ""
    """A GeoJSON polygon (geometry or feature), or empty."""


@dataclass(frozen=True)
class Assigned:
    assigned: int = 0
    moved: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class GridRow:
    grid: Grid
    village: str
    households: int


@dataclass(frozen=True)
class HouseholdRow:
    code: str
    number: str
    head: str
    """Masked, as in every list."""
    assigned_by: str
    assigned_at: datetime


def check_may_keep(scope: Scope) -> None:
    if not scope.can_write or (scope.role is not None and Role(scope.role) not in KEEPERS):
        raise Forbidden("网格由村干部或乡镇、区县工作人员划分")


def village_in_scope(session: Session, scope: Scope, code: str) -> str:
    village = regions.get_visible(session, scope=scope, code=code.strip())
    if region_codes.level_of(village.code) is not region_codes.Level.VILLAGE:
        raise InvalidValue("网格应划在村（社区）内，“{code}”不是村", code=code)
    return village.code


def check_worker(session: Session, scope: Scope, village: str, worker: str) -> str:
    name = worker.strip()
    workers = users.get_active_names(
        session, scope=scope, role=Role.GRID_WORKER, region_code=village
    )
    if name not in workers:
        raise InvalidValue("“{name}”不是本村在用的网格员账号", name=name)
    return name


def boundary_of(text: str) -> str | None:
    """The boundary as stored: a valid polygon in Chongqing's longitudes and latitudes."""
    if not text.strip():
        return None
    try:
        data = json.loads(text)
        geometry = shape(data.get("geometry", data) if isinstance(data, dict) else data)
    except (ValueError, TypeError, AttributeError, KeyError):
        raise InvalidValue("网格范围应为 GeoJSON 面") from None
    if geometry.geom_type not in ("Polygon", "MultiPolygon") or not geometry.is_valid:
        raise InvalidValue("网格范围应为有效的面（Polygon 或 MultiPolygon）")
    west, south, east, north = geometry.bounds
    if not (west >= 105.0 and east <= 110.5 and south >= 28.0 and north <= 32.5):
        raise InvalidValue("网格范围不在重庆市的经纬度范围内（CGCS2000 度）")
    return json.dumps(shapely.geometry.mapping(geometry), ensure_ascii=False)


def create(session: Session, *, scope: Scope, grid_in: GridIn) -> Grid:
    """A new grid in a village, with its grid worker."""
    village = village_in_scope(session, scope, grid_in.village)
    check_may_keep(scope)
    scope.check_write(village, "网格")
    name = grid_in.name.strip()
    if not name or len(name) > 40:
        raise InvalidValue("网格名称应为 1 到 40 个字")
    worker = check_worker(session, scope, village, grid_in.worker)
    taken = select(Grid.id).where(Grid.village_code == village, Grid.name == name)
    if session.scalars(taken).first() is not None:
        raise Conflict("本村已有网格“{name}”", name=name)
    grid = Grid(
        village_code=village, name=name, worker=worker, boundary=boundary_of(grid_in.boundary)
    )
    session.add(grid)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="governance.grid_add",
        target_type="governance_grid",
        target_id=grid.id,
        region_code=village,
        detail=f"{name}：{worker}",
    )
    return grid


def get(session: Session, *, scope: Scope, grid_id: int) -> Grid:
    grid = session.get(Grid, grid_id)
    if grid is None or not scope.covers(grid.village_code):
        raise NotFound("没有这个网格")
    return grid


def get_by_name(session: Session, *, scope: Scope, village: str, name: str) -> Grid | None:
    query = scope.filter(
        select(Grid).where(Grid.village_code == village, Grid.name == name.strip()),
        Grid.village_code,
    )
    return session.scalars(query).first()


def assign(session: Session, *, scope: Scope, grid: Grid, keys: list[str]) -> Assigned:
    """Put the households named by 全农码 or 户编号 into ``grid``; one already in another
    grid moves. Every household must be of the grid's village, or nothing changes."""
    check_may_keep(scope)
    scope.check_write(grid.village_code, "网格")
    if not keys:
        raise InvalidValue("请填写农户的全农码或户编号")
    found = [
        households.find(session, scope=scope, key=key, village=grid.village_code) for key in keys
    ]
    for household in found:
        if household.village_code != grid.village_code:
            raise InvalidValue(
                "农户“{key}”不在网格“{grid}”所在的村", key=household.code, grid=grid.name
            )
    assigned = moved = unchanged = 0
    for household in {h.id: h for h in found}.values():
        row = session.scalars(
            select(GridHousehold).where(GridHousehold.household_id == household.id)
        ).first()
        if row is not None and row.grid_id == grid.id:
            unchanged += 1
            continue
        if row is None:
            session.add(
                GridHousehold(
                    grid_id=grid.id,
                    household_id=household.id,
                    village_code=grid.village_code,
                    assigned_by=scope.actor,
                    assigned_at=utcnow(),
                )
            )
            assigned += 1
            detail = f"{household.code} → {grid.name}"
        else:
            detail = f"{household.code}：网格 {row.grid_id} → {grid.id}"
            row.grid_id, row.assigned_by, row.assigned_at = grid.id, scope.actor, utcnow()
            moved += 1
        audit.record(
            session,
            scope=scope,
            action="governance.grid_assign",
            target_type="governance_grid",
            target_id=grid.id,
            region_code=grid.village_code,
            detail=detail,
        )
    session.flush()
    return Assigned(assigned, moved, unchanged)


def household_counts(session: Session, *, scope: Scope, grid_ids: list[int]) -> dict[int, int]:
    """How many households each of ``grid_ids`` holds (within the caller's scope)."""
    query = scope.filter(
        select(GridHousehold.grid_id, func.count(GridHousehold.id))
        .where(GridHousehold.grid_id.in_(grid_ids))
        .group_by(GridHousehold.grid_id),
        GridHousehold.village_code,
    )
    return dict(session.execute(query).tuples().all())


def households_of(session: Session, *, scope: Scope, grid: Grid) -> list[HouseholdRow]:
    query = scope.filter(
        select(GridHousehold).where(GridHousehold.grid_id == grid.id), GridHousehold.village_code
    )
    rows = list(session.scalars(query))
    ids = [row.household_id for row in rows]
    heads = households.masked_heads(session, scope=scope, household_ids=ids)
    found = households.get_many(session, scope=scope, household_ids=ids)
    listed = [
        HouseholdRow(
            found[row.household_id].code,
            found[row.household_id].number,
            heads.get(row.household_id, ""),
            row.assigned_by,
            row.assigned_at,
        )
        for row in rows
    ]
    return sorted(listed, key=lambda row: row.number)


def grid_of_household(session: Session, *, scope: Scope, household_id: int) -> Grid | None:
    query = scope.filter(
        select(Grid)
        .join(GridHousehold, GridHousehold.grid_id == Grid.id)
        .where(GridHousehold.household_id == household_id),
        Grid.village_code,
    )
    return session.scalars(query).first()


def of_worker(session: Session, *, scope: Scope) -> list[Grid]:
    """The grids the caller looks after as their grid worker."""
    query = scope.filter(select(Grid).where(Grid.worker == scope.actor), Grid.village_code)
    return list(session.scalars(query.order_by(Grid.name)))
