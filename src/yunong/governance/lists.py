"""The paged lists of 基层治理 (``core/listing.py``): the matters of 三事分流 about the villages
in the caller's scope, by class and state; the grids in scope; and the households of a grid."""

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.errors import NotFound
from yunong.core.listing import Listing, ListSpec, Page, Sort
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.governance import grids, households
from yunong.governance.matters import CLASS_LABELS
from yunong.governance.models import Grid, GridHousehold, Matter
from yunong.monitor.models import Household

STATES = {"open": "办理中", "closed": "已办结"}
MATTERS = ListSpec(
    sorts={
        "reported": Sort("反映日期", (Matter.reported_on, Matter.id)),
        "due": Sort("期限", (Matter.due_on, Matter.id)),
    },
    default_sort="-reported",
    statuses=STATES,
    categories=CLASS_LABELS,
    category_label="事项类别",
    dated="反映日期",
    search="事项编号、事项内容",
)


@dataclass(frozen=True)
class MatterRow:
    matter: Matter
    village: str
    kind: str
    state: str


def get_matters(session: Session, *, scope: Scope, page: Page) -> Listing[MatterRow]:
    if not page.sort:
        sort, descending = listing.sort_of("", MATTERS)
        page = replace(page, sort=sort, descending=descending)
    query: Select[Any] = scope.filter(select(Matter), Matter.village_code)
    if page.status == "open":
        query = query.where(Matter.closed_on.is_(None))
    elif page.status == "closed":
        query = query.where(Matter.closed_on.is_not(None))
    if page.category:
        query = query.where(Matter.kind == page.category)
    if page.date_from:
        query = query.where(Matter.reported_on >= page.date_from)
    if page.date_to:
        query = query.where(Matter.reported_on <= page.date_to)
    if page.search:
        query = query.where(
            or_(
                Matter.number.contains(page.search.upper(), autoescape=True),
                Matter.text.contains(page.search, autoescape=True),
            )
        )
    found = listing.fetch(session, query, page, MATTERS)
    rows: list[Matter] = found.rows
    names = {code: regions.get(session, code=code).name for code in {m.village_code for m in rows}}
    return found.with_rows(
        [
            MatterRow(
                m,
                names[m.village_code],
                CLASS_LABELS[m.kind],
                STATES["closed" if m.closed_on else "open"],
            )
            for m in rows
        ]
    )


GRIDS = ListSpec(
    sorts={
        "name": Sort("网格名称", (Grid.name, Grid.id)),
        "created": Sort("新建时间", (Grid.created_at, Grid.id)),
    },
    default_sort="name",
    search="网格名称、网格员账号",
)
GRID_HOUSEHOLDS = ListSpec(
    sorts={
        "number": Sort("户编号", (Household.number, GridHousehold.id)),
        "assigned": Sort("划入时间", (GridHousehold.assigned_at, GridHousehold.id)),
    },
    default_sort="number",
    search="户编号、全农码",
)


def ordered(page: Page, spec: ListSpec) -> Page:
    if page.sort:
        return page
    sort, descending = listing.sort_of("", spec)
    return replace(page, sort=sort, descending=descending)


def grid_query(scope: Scope, page: Page) -> Select[Any]:
    query: Select[Any] = scope.filter(select(Grid), Grid.village_code)
    if page.search:
        query = query.where(
            or_(
                Grid.name.contains(page.search, autoescape=True),
                Grid.worker.contains(page.search, autoescape=True),
            )
        )
    return query


def rows_of_grids(session: Session, scope: Scope, found: list[Grid]) -> list[grids.GridRow]:
    counted = grids.household_counts(session, scope=scope, grid_ids=[grid.id for grid in found])
    names = {code: regions.get(session, code=code).name for code in {g.village_code for g in found}}
    return [
        grids.GridRow(grid, names[grid.village_code], counted.get(grid.id, 0)) for grid in found
    ]


def get_grids(session: Session, *, scope: Scope, page: Page) -> Listing[grids.GridRow]:
    page = ordered(page, GRIDS)
    found = listing.fetch(session, grid_query(scope, page), page, GRIDS)
    return found.with_rows(rows_of_grids(session, scope, found.rows))


def export_grids(session: Session, *, scope: Scope, page: Page) -> list[list[object]]:
    page = ordered(page, GRIDS)
    found = listing.for_export(session, grid_query(scope, page), page, GRIDS)
    return [
        [row.village, row.grid.name, row.grid.worker, row.households]
        for row in rows_of_grids(session, scope, found)
    ]


GRID_EXPORT_HEADERS = ["村", "网格名称", "网格员", "农户数"]


def get_grid_households(
    session: Session, *, scope: Scope, grid: Grid, page: Page
) -> Listing[grids.HouseholdRow]:
    """One page of the households of ``grid`` (heads' names masked)."""
    if not scope.covers(grid.village_code):
        raise NotFound("没有这个网格")
    page = ordered(page, GRID_HOUSEHOLDS)
    query: Select[Any] = scope.filter(
        select(GridHousehold)
        .join(Household, Household.id == GridHousehold.household_id)
        .where(GridHousehold.grid_id == grid.id),
        GridHousehold.village_code,
    )
    if page.search:
        query = query.where(
            or_(
                Household.number.contains(page.search, autoescape=True),
                Household.code.contains(page.search.upper(), autoescape=True),
            )
        )
    found = listing.fetch(session, query, page, GRID_HOUSEHOLDS)
    rows: list[GridHousehold] = found.rows
    ids = [row.household_id for row in rows]
    heads = households.masked_heads(session, scope=scope, household_ids=ids)
    known = households.get_many(session, scope=scope, household_ids=ids)
    return found.with_rows(
        [
            grids.HouseholdRow(
                known[row.household_id].code,
                known[row.household_id].number,
                heads.get(row.household_id, ""),
                row.assigned_by,
                row.assigned_at,
            )
            for row in rows
        ]
    )
