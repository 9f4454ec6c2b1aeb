"""JSON API of the one map: what to draw for a view, the region outlines under it, its
statistics, the parcels in it page by page, a parcel's card."""

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from yunong.land import card, listing, outlines
from yunong.land import map as land_map
from yunong.land.spatial import Box
from yunong.web.api import PROBLEMS
from yunong.web.auth import ScopeDep
from yunong.web.deps import READS_ONLY, SessionDep

router = APIRouter(prefix="/api/land", tags=["农地一张图"], dependencies=[READS_ONLY])
BoxQuery = Annotated[
    str, Query(description="视图范围：西经度,南纬度,东经度,北纬度（CGCS2000）", max_length=120)
]
ZoomQuery = Annotated[int, Query(ge=0, le=22, description="网页地图缩放级别")]
RegionQuery = Annotated[str | None, Query(description="只看此区划以内", max_length=12)]


@router.get("/map", responses=PROBLEMS)
def map_view(
    session: SessionDep,
    scope: ScopeDep,
    bbox: BoxQuery,
    zoom: ZoomQuery,
    region: RegionQuery = None,
) -> Response:
    """地块与保护区域（缩放到乡镇级以上时为各村点位），已按视图裁剪。"""
    found = land_map.view(session, scope=scope, box=Box.parse(bbox), zoom=zoom, region=region)
    return Response(found.as_json(), media_type="application/json")


@router.get("/boundaries", responses=PROBLEMS)
def boundaries(
    session: SessionDep,
    scope: ScopeDep,
    bbox: BoxQuery,
    zoom: ZoomQuery,
    region: RegionQuery = None,
) -> Response:
    """视图内的区划界线（GeoJSON）：缩小时为区县，放大到区县一级为乡镇，再放大为村；只含管辖范围以内的区划。"""
    found = outlines.outlines_in(
        session, scope=scope, box=Box.parse(bbox), zoom=zoom, region=region
    )
    return Response(found, media_type="application/json")


@router.get("/parcels", responses=PROBLEMS)
def parcels_in_view(
    session: SessionDep,
    scope: ScopeDep,
    bbox: BoxQuery,
    region: RegionQuery = None,
    page: Annotated[int, Query(ge=1, le=1_000_000, description="页码，从 1 开始")] = 1,
    per_page: Annotated[int, Query(ge=10, le=200, description="每页行数")] = listing.PER_PAGE,
) -> dict[str, Any]:
    """视图内的地块清单，分页：共多少块、本页第几条到第几条。"""
    found = listing.get_page(
        session, scope=scope, box=Box.parse(bbox), region=region, page=page, per_page=per_page
    )
    return {
        "total": found.total,
        "page": found.page,
        "pages": found.pages,
        "per_page": found.per_page,
        "first": found.first,
        "last": found.last,
        "rows": [asdict(row) for row in found.rows],
    }


@router.get("/map/stats", responses=PROBLEMS)
def map_statistics(
    session: SessionDep, scope: ScopeDep, bbox: BoxQuery | None = None, region: RegionQuery = None
) -> dict[str, Any]:
    """视图内各村的地块汇总（亩）。"""
    box = Box.parse(bbox) if bbox else None
    return asdict(land_map.statistics(session, scope=scope, box=box, region=region))


@router.get("/parcels/{code}", responses=PROBLEMS)
def parcel_card(
    code: Annotated[str, Path(max_length=40)], session: SessionDep, scope: ScopeDep
) -> dict[str, Any]:
    """一个地块：地类、面积、保护与种植、承包方全农码和关联。"""
    return card.parcel_card(session, scope=scope, code=code)
