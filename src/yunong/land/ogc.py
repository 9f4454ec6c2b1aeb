"""OGC API – Features at ``/ogc``: the one map's parcels and zones for QGIS, GDAL and other
GIS clients, read with a bearer token and limited to the token holder's scope.

Conformance: Part 1 core and GeoJSON, OpenAPI 3.0, and Part 2 (CRS by reference):
features come in CRS84 (longitude, latitude) unless ``crs`` asks for CGCS2000
(EPSG:4490, latitude first as EPSG defines it); ``bbox-crs`` says how a bbox is given.
The coordinates are the stored CGCS2000 ones in both cases: the two datums differ by
well under a metre in Chongqing.
"""

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

import shapely
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from yunong.core.errors import InvalidValue, NotFound
from yunong.land import features
from yunong.land import map as land_map
from yunong.land.spatial import Box
from yunong.web.auth import ScopeDep
from yunong.web.deps import READS_ONLY, SessionDep
from yunong.web.params import MAX_ID

router = APIRouter(prefix="/ogc", tags=["OGC API – Features"], dependencies=[READS_ONLY])

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CGCS2000 = "http://www.opengis.net/def/crs/EPSG/0/4490"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]
COLLECTIONS = {
    "parcels": ("地块", "耕地、宅基地和集体建设用地地块，字段同导出文件（见 docs/land.md）"),
    "zones": ("保护区域", "永久基本农田保护片、生态保护红线等保护区域"),
}
JSON = "application/json"
GEOJSON = "application/geo+json"
MAX_LIMIT = 10_000


def base(request: Request) -> str:
    """The service's address as GIS clients reach it: from the configured public address,
    never from the request's ``Host`` header, which the client writes."""
    return request.app.state.settings.public_base_url() + "/ogc"


def this_page(request: Request) -> str:
    query = request.url.query
    return base(request) + request.url.path.removeprefix("/ogc") + (f"?{query}" if query else "")


def link(href: str, rel: str, kind: str = JSON, title: str = "") -> dict[str, str]:
    found = {"href": href, "rel": rel, "type": kind}
    return found | {"title": title} if title else found


@router.get("", summary="OGC API 入口")
def landing(request: Request, scope: ScopeDep) -> dict[str, Any]:
    root = base(request)
    return {
        "title": "渝农大脑 农地“一张图”",
        "description": f"{scope.actor} 可见范围内的地块与保护区域（OGC API – Features）",
        "links": [
            link(root, "self", title="本页"),
            link(f"{root}/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0"),
            link(f"{root}/conformance", "conformance", title="符合的标准"),
            link(f"{root}/collections", "data", title="图层"),
        ],
    }


@router.get("/conformance", summary="符合的标准")
def conformance(scope: ScopeDep) -> dict[str, Any]:
    return {"conformsTo": CONFORMANCE}


@router.get("/api", summary="OpenAPI 3.0 描述")
def service_description(request: Request, scope: ScopeDep) -> JSONResponse:
    return JSONResponse(openapi(base(request)), media_type="application/vnd.oai.openapi+json")


@router.get("/collections", summary="图层")
def collections(request: Request, session: SessionDep, scope: ScopeDep) -> dict[str, Any]:
    root = base(request)
    extent = land_map.extent(session, scope=scope)
    return {
        "links": [link(f"{root}/collections", "self")],
        "collections": [collection(root, name, extent) for name in COLLECTIONS],
        "crs": [CRS84, CGCS2000],
    }


@router.get("/collections/{name}", summary="一个图层")
def one_collection(
    name: str, request: Request, session: SessionDep, scope: ScopeDep
) -> dict[str, Any]:
    known(name)
    return collection(base(request), name, land_map.extent(session, scope=scope))


def known(name: str) -> None:
    if name not in COLLECTIONS:
        raise NotFound(f"图层“{name}”不存在，可选：{'、'.join(COLLECTIONS)}")


def collection(root: str, name: str, extent: Box) -> dict[str, Any]:
    title, description = COLLECTIONS[name]
    return {
        "id": name,
        "title": title,
        "description": description,
        "itemType": "feature",
        "extent": {
            "spatial": {
                "bbox": [[extent.west, extent.south, extent.east, extent.north]],
                "crs": CRS84,
            }
        },
        "crs": [CRS84, CGCS2000],
        "storageCrs": CGCS2000,
        "links": [
            link(f"{root}/collections/{name}", "self"),
            link(f"{root}/collections/{name}/items", "items", GEOJSON, title),
        ],
    }


class BadParameter(InvalidValue):
    """OGC API answers an invalid parameter with 400."""

    status_code = 400


def chosen_crs(text: str | None, what: str) -> str:
    if text in (None, "", CRS84):
        return CRS84
    if text == CGCS2000:
        return CGCS2000
    raise BadParameter(f"{what}“{text}”不受支持，可选：{CRS84} 或 {CGCS2000}")


def read_box(text: str | None, crs: str) -> Box | None:
    if text is None:
        return None
    try:
        return Box.parse(text) if crs == CRS84 else swapped_box(text)
    except InvalidValue as invalid:
        raise BadParameter(invalid.message) from None


def swapped_box(text: str) -> Box:
    """A bbox in EPSG:4490 axis order (south, west, north, east)."""
    try:
        south, west, north, east = (part.strip() for part in text.split(","))
    except ValueError:
        raise InvalidValue(f"范围“{text}”无效：应为四个数") from None
    return Box.parse(f"{west},{south},{east},{north}")


@router.get("/collections/{name}/items", summary="要素")
def items(
    name: str,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    bbox: str | None = None,
    bbox_crs: Annotated[str | None, Query(alias="bbox-crs")] = None,
    crs: str | None = None,
    # Past a page's maximum a limit is cut to it, as OGC API – Features asks; the bounds
    # only keep numbers that no database column holds out of the query.
    limit: Annotated[int, Query(ge=1, le=MAX_ID)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> JSONResponse:
    known(name)
    output_crs = chosen_crs(crs, "坐标系")
    box = read_box(bbox, chosen_crs(bbox_crs, "范围坐标系"))
    limit = min(limit, MAX_LIMIT)
    found = features.page(session, scope=scope, layer=name, box=box, limit=limit, offset=offset)
    url = f"{base(request)}/collections/{name}/items"
    links = [link(this_page(request), "self", GEOJSON)]
    if offset + limit < found.matched:
        links.append(link(next_url(request, url, offset + limit), "next", GEOJSON, "下一页"))
    body = {
        "type": "FeatureCollection",
        "timeStamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "numberMatched": found.matched,
        "numberReturned": len(found.features),
        "features": [feature(item, output_crs) for item in found.features],
        "links": links,
    }
    return JSONResponse(body, media_type=GEOJSON, headers={"Content-Crs": f"<{output_crs}>"})


def next_url(request: Request, url: str, offset: int) -> str:
    query = {key: value for key, value in request.query_params.items() if key != "offset"}
    query["offset"] = str(offset)
    return f"{url}?{urlencode(query, safe=',:/')}"


@router.get("/collections/{name}/items/{code}", summary="一个要素")
def item(
    name: str,
    code: str,
    session: SessionDep,
    scope: ScopeDep,
    crs: str | None = None,
) -> JSONResponse:
    known(name)
    output_crs = chosen_crs(crs, "坐标系")
    found = features.one(session, scope=scope, layer=name, code=code)
    if not found.features:
        raise NotFound(f"要素“{code}”不存在或不在您的管辖范围内")
    return JSONResponse(
        feature(found.features[0], output_crs),
        media_type=GEOJSON,
        headers={"Content-Crs": f"<{output_crs}>"},
    )


def feature(item: tuple[str, dict[str, Any], shapely.Geometry], crs: str) -> dict[str, Any]:
    code, properties, geometry = item
    if crs == CGCS2000:
        geometry = shapely.transform(geometry, lambda xy: xy[:, ::-1])
    return {
        "type": "Feature",
        "id": code,
        "properties": properties,
        "geometry": shapely.geometry.mapping(geometry),
    }


def openapi(root: str) -> dict[str, Any]:
    """The service description: the paths above, in OpenAPI 3.0."""

    def operation(summary: str, parameters: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        return {
            "get": {
                "summary": summary,
                "parameters": parameters or [],
                "responses": {"200": {"description": "成功"}},
            }
        }

    def parameter(name: str, where: str = "query", kind: str = "string") -> dict[str, Any]:
        return {"name": name, "in": where, "required": where == "path", "schema": {"type": kind}}

    collection_id = parameter("collectionId", "path")
    return {
        "openapi": "3.0.3",
        "info": {"title": "渝农大脑 农地“一张图” OGC API – Features", "version": "1.0"},
        "servers": [{"url": root}],
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"token": []}],
        "paths": {
            "/": operation("入口"),
            "/conformance": operation("符合的标准"),
            "/collections": operation("图层"),
            "/collections/{collectionId}": operation("一个图层", [collection_id]),
            "/collections/{collectionId}/items": operation(
                "要素",
                [
                    collection_id,
                    parameter("bbox"),
                    parameter("bbox-crs"),
                    parameter("crs"),
                    parameter("limit", kind="integer"),
                    parameter("offset", kind="integer"),
                ],
            ),
            "/collections/{collectionId}/items/{featureId}": operation(
                "一个要素", [collection_id, parameter("featureId", "path"), parameter("crs")]
            ),
        },
    }
