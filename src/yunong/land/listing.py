"""The parcels of a map view as a list: a page at a time beside the map, all of them as an
xlsx export that the audit trail records — inside the caller's scope and the region filter.

A parcel is in the view when its bounding box meets the view's (the spatial index answers
that: PostgreSQL's GiST, SQLite's R-tree), the same parcels the map reads before clipping.
The list is ordered by village and code, so a page holds the parcels of a village
together and the same view always pages the same way.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.land import spatial
from yunong.land.codes import SLOPE_GRADES, UNIT_KIND_LABELS, USE_LABELS, UnitKind, Use
from yunong.land.geometry import to_mu
from yunong.land.map import narrowed
from yunong.land.models import Parcel
from yunong.land.spatial import Box

PER_PAGE = 50
MAX_EXPORT = 100_000
"""Rows an export of a view may hold: a spreadsheet a person can open. A larger view is
refused with the count, so nothing is cut off silently."""
EXPORT_HEADERS = [
    "全农码",
    "国家编码",
    "村代码",
    "所在村",
    "地块类型",
    "地类",
    "面积（亩）",
    "坡度",
    "永久基本农田",
    "高标准农田",
    "种植属性",
]


@dataclass(frozen=True)
class ParcelRow:
    code: str
    national_code: str
    village_code: str
    village: str
    kind: str
    land_class: str
    area_mu: float
    slope: str
    permanent_farmland: bool
    high_standard: bool
    use: str

    def cells(self) -> list[object]:
        """The row as the export writes it, flags in words."""
        return [
            self.code,
            self.national_code,
            self.village_code,
            self.village,
            self.kind,
            self.land_class,
            self.area_mu,
            self.slope,
            yes_no(self.permanent_farmland),
            yes_no(self.high_standard),
            self.use,
        ]


@dataclass(frozen=True)
class ParcelPage:
    """One page of the list: its rows and where they stand in the whole."""

    total: int
    page: int
    per_page: int
    rows: list[ParcelRow]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """The number of the page's first row, from 1; 0 on an empty list."""
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


LISTED = (
    Parcel.code,
    Parcel.contract_plot_code,
    Parcel.real_estate_unit_code,
    Parcel.village_code,
    Parcel.kind,
    Parcel.land_class_code,
    Parcel.land_class,
    Parcel.area_m2,
    Parcel.slope_grade,
    Parcel.permanent_farmland,
    Parcel.high_standard,
    Parcel.current_use,
)


def yes_no(value: bool) -> str:
    return "是" if value else "否"


def in_view(session: Session, scope: Scope, box: Box) -> Select:
    """The listed columns of the parcels in ``box`` inside ``scope`` (not their geometry),
    with their village's name, in list order."""
    dialect = session.get_bind().dialect.name
    query = (
        select(*LISTED, Region.name.label("village"))
        .join(Region, Region.code == Parcel.village_code)
        .where(Parcel.id.in_(spatial.ids_meeting("land_parcel", box, dialect)))
    )
    return scope.filter(query, Parcel.village_code).order_by(Parcel.village_code, Parcel.code)


def count_in_view(session: Session, scope: Scope, box: Box) -> int:
    dialect = session.get_bind().dialect.name
    query = scope.filter(
        select(func.count())
        .select_from(Parcel)
        .where(Parcel.id.in_(spatial.ids_meeting("land_parcel", box, dialect))),
        Parcel.village_code,
    )
    return int(session.scalar(query) or 0)


def get_page(
    session: Session,
    *,
    scope: Scope,
    box: Box,
    region: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> ParcelPage:
    """Page ``page`` (from 1) of the parcels in the view; a page past the end gives the last."""
    within = narrowed(session, scope, region)
    total = count_in_view(session, within, box)
    last_page = max(1, -(-total // per_page))
    page = min(max(page, 1), last_page)
    query = in_view(session, within, box).offset((page - 1) * per_page).limit(per_page)
    rows = [row_of(row) for row in session.execute(query)]
    return ParcelPage(total, page, per_page, rows)


def export(
    session: Session, *, scope: Scope, box: Box, region: str | None = None
) -> tuple[list[str], list[list[object]]]:
    """Every parcel in the view as export rows, recorded in the audit trail as an export."""
    within = narrowed(session, scope, region)
    total = count_in_view(session, within, box)
    if total > MAX_EXPORT:
        raise InvalidValue(
            f"视图内有 {total:,} 块地块，超过一次导出的上限 {MAX_EXPORT:,} 块："
            "请放大地图或选择更小的区划"
        )
    rows = [row_of(row).cells() for row in session.execute(in_view(session, within, box))]
    audit.record_export(
        session,
        scope=within,
        action="land.view_export",
        what="视图内地块",
        rows=len(rows),
        region_code=within.region_code,
    )
    return EXPORT_HEADERS, rows


def row_of(parcel: Row[Any]) -> ParcelRow:
    return ParcelRow(
        code=parcel.code,
        national_code=parcel.contract_plot_code or parcel.real_estate_unit_code or "",
        village_code=parcel.village_code,
        village=parcel.village,
        kind=UNIT_KIND_LABELS[UnitKind(parcel.kind)],
        land_class=f"{parcel.land_class_code} {parcel.land_class}",
        area_mu=float(to_mu(parcel.area_m2)),
        slope=SLOPE_GRADES.get(parcel.slope_grade or 0, ""),
        permanent_farmland=parcel.permanent_farmland,
        high_standard=parcel.high_standard,
        use=USE_LABELS[Use(parcel.current_use)] if parcel.current_use else "",
    )
