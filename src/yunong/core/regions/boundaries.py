"""Import an official boundary layer: each region's boundary and centre point.

The layer is a GeoPackage, Shapefile (GBK attributes without a .cpg are recognised) or
GeoJSON with one polygon feature per district, town or village. Each feature is matched
to a region of the division code table by its code field (``XZQDM``, ``QHDM``,
``行政区划代码`` …): the 12-digit statistical code, or the 6-digit district or 9-digit town
code, padded with zeros. Boundaries are stored in CGCS2000 degrees (EPSG:4490); a region's
centre is a point inside its boundary (the representative point, never outside a
crescent-shaped town). Features with the same code are one region in several parts.

A layer is imported whole or not at all: any feature refused (unknown code, no polygon,
outside Chongqing, outside the caller's scope) is listed with its number and reason, and
nothing is written. The same layer imported twice changes nothing.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue
from yunong.core.geometry import STORAGE_EPSG, inside_chongqing, shapefile_encoding
from yunong.core.regions import codes
from yunong.core.regions.models import Region, RegionGeography
from yunong.core.scope import Scope
from yunong.core.tabular import fold_header
from yunong.store.base import utcnow
from yunong.store.bulk import chunks

SUFFIXES = {".gpkg", ".shp", ".geojson", ".json"}
CODE_FIELDS = (
    "XZQDM",
    "XZQHDM",
    "QHDM",
    "行政区划代码",
    "区划代码",
    "统计用区划代码",
    "CODE",
    "ADCODE",
    "DM",
)
"""Names a boundary layer gives its code field, the most specific first."""
NAME_FIELDS = ("XZQMC", "XZQHMC", "QHMC", "行政区划名称", "区划名称", "名称", "NAME", "MC")
POLYGONAL = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class Refused:
    """One feature not imported, with why, in Chinese."""

    number: int
    """The feature's place in the layer, from 1."""
    code: str
    name: str
    reason: str

    def __str__(self) -> str:
        named = f"，名称“{self.name}”" if self.name else ""
        return f"第 {self.number} 个要素（代码“{self.code}”{named}）：{self.reason}"


@dataclass
class BoundaryImport:
    features: int
    code_field: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[Refused] = field(default_factory=list)

    def summary(self) -> str:
        if self.refused:
            return f"要素 {self.features}：拒绝 {len(self.refused)}，整层未导入"
        return (
            f"要素 {self.features}（代码字段 {self.code_field}）：区划新增 {self.inserted}，"
            f"更新 {self.updated}，未变 {self.unchanged}"
        )


@dataclass
class Layer:
    columns: dict[str, list[str]]
    geometries: np.ndarray
    crs: CRS


def import_boundaries(
    session: Session,
    *,
    scope: Scope,
    path: Path,
    crs: str | None = None,
    code_field: str | None = None,
) -> BoundaryImport:
    """Import the boundaries of ``path``; nothing is written if any feature is refused.

    ``crs`` names the CRS of a file that carries none (such as ``EPSG:4545``);
    ``code_field`` names the code field when it is none of :data:`CODE_FIELDS`.
    """
    scope.check_write(scope.region_code, "区划边界")
    layer = read_layer(path, crs)
    field_name = find_field(layer.columns, code_field, CODE_FIELDS, path)
    name_field = next(iter(matching_fields(layer.columns, NAME_FIELDS)), None)
    names = layer.columns[name_field] if name_field else [""] * len(layer.geometries)
    result = BoundaryImport(len(layer.geometries), field_name)
    geometries = to_storage(layer.geometries, layer.crs)
    known = known_regions(session, layer.columns[field_name])
    # A region may come in several features: its boundary is the union of their parts.
    parts: dict[str, list[shapely.Geometry]] = defaultdict(list)
    for index, (raw, name, geometry) in enumerate(
        zip(layer.columns[field_name], names, geometries, strict=True)
    ):
        code, reason = check_feature(raw, geometry, known, scope)
        if reason:
            result.refused.append(Refused(index + 1, raw, name, reason))
        else:
            parts[code].append(geometry)
    if not result.refused:
        save(session, path, parts, result)
        audit.record_file_import(
            session,
            scope=scope,
            action="regions.boundaries_import",
            path=path,
            detail=result.summary(),
        )
    return result


def read_layer(path: Path, crs: str | None) -> Layer:
    """The attributes (as text) and geometries of ``path``, with their CRS."""
    if not path.exists():
        raise InvalidValue(f"找不到文件“{path}”")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidValue(f"不支持的文件类型“{suffix}”：边界图层可用 .gpkg、.shp 或 .geojson")
    encoding = shapefile_encoding(path) if suffix == ".shp" else None
    try:
        frame = pyogrio.read_dataframe(path, encoding=encoding)
    except Exception as error:  # GDAL raises several kinds for an unreadable file
        raise InvalidValue(f"文件“{path.name}”无法读取：{error}") from None
    geometries = np.asarray(frame.geometry.values, dtype=object)
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    columns = {str(name): [text(value) for value in attributes[name]] for name in attributes}
    return Layer(columns, geometries, layer_crs(path, crs, frame.crs, geometries))


def text(value: Any) -> str:
    """An attribute as typed: 500101108 and not 500101108.0, nothing for null."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def layer_crs(path: Path, given: str | None, found: Any, geometries: np.ndarray) -> CRS:
    """The CRS named on the command line, else the file's; a file without one must be in
    degrees, which are read as CGCS2000."""
    if given:
        try:
            return CRS.from_user_input(given)
        except CRSError:
            raise InvalidValue(f"坐标系“{given}”无法识别，应如 EPSG:4490 或 EPSG:4545") from None
    if found is not None:
        return CRS.from_user_input(found)
    shapes = geometries[[isinstance(g, shapely.Geometry) and not g.is_empty for g in geometries]]
    west, south, east, north = shapely.total_bounds(shapes) if len(shapes) else (0, 0, 0, 0)
    if west >= -180 and east <= 180 and south >= -90 and north <= 90:
        return CRS.from_epsg(STORAGE_EPSG)
    raise InvalidValue(
        f"文件“{path.name}”没有坐标系信息（缺少 .prj），且坐标不是经纬度：请用 --crs 指定，"
        "如 --crs EPSG:4545"
    )


def matching_fields(columns: dict[str, list[str]], wanted: tuple[str, ...]) -> list[str]:
    """The layer's fields named as in ``wanted`` (ignoring case and width), in its order."""
    folded = {fold_header(name): name for name in columns}
    return [folded[fold_header(name)] for name in wanted if fold_header(name) in folded]


def find_field(
    columns: dict[str, list[str]], given: str | None, wanted: tuple[str, ...], path: Path
) -> str:
    found = matching_fields(columns, (given,) if given else wanted)
    if found:
        return found[0]
    if given:
        raise InvalidValue(f"文件“{path.name}”没有字段“{given}”；已有字段：{'、'.join(columns)}")
    raise InvalidValue(
        f"文件“{path.name}”找不到区划代码字段（如 {'、'.join(wanted[:5])}）；"
        f"已有字段：{'、'.join(columns) or '无'}。可用 --code-field 指定"
    )


def to_storage(geometries: np.ndarray, crs: CRS) -> np.ndarray:
    """Usable geometries in EPSG:4490; missing or empty ones become None."""
    present = np.array([isinstance(g, shapely.Geometry) and not g.is_empty for g in geometries])
    result = np.full(len(geometries), None, dtype=object)
    if not present.any():
        return result
    shapes = geometries[present]
    target = CRS.from_epsg(STORAGE_EPSG)
    if crs != target:
        transformer = Transformer.from_crs(crs, target, always_xy=True)
        shapes = shapely.transform(shapes, transformer.transform, interleaved=False)
    result[present] = shapes
    return result


def known_regions(session: Session, raw_codes: list[str]) -> set[str]:
    """The codes of the layer that the division code table holds, in 12 digits."""
    wanted = sorted({code for code in (parse_code(raw) for raw in raw_codes) if code})
    known: set[str] = set()
    for chunk in chunks(wanted):
        known |= set(session.scalars(select(Region.code).where(Region.code.in_(chunk))))
    return known


def parse_code(raw: str) -> str | None:
    """The 12-digit form of a 6-, 9- or 12-digit code; None for anything else."""
    digits = raw.strip()
    if not digits.isdigit() or len(digits) not in (6, 9, 12):
        return None
    return codes.normalise(digits)


def check_feature(
    raw: str, geometry: shapely.Geometry | None, known: set[str], scope: Scope
) -> tuple[str, str]:
    """The feature's 12-digit code, and why it is refused ("" when it is not)."""
    code = parse_code(raw)
    if code is None:
        return "", "区划代码应为 6、9 或 12 位数字" if raw else "区划代码为空"
    if code not in known:
        return code, f"区划代码 {code} 不在区划表中（请先用 yunong regions import 导入）"
    if not scope.covers(code):
        return code, f"区划 {code} 不在您的管辖范围内"
    if geometry is None:
        return code, "没有几何图形"
    if geometry.geom_type not in POLYGONAL:
        return code, f"几何图形是{geometry.geom_type}，边界应为面（Polygon）"
    if not inside_chongqing(np.array([geometry]))[0]:
        return code, "边界不在重庆市范围内（请检查坐标系，可用 --crs 指定）"
    return code, ""


def boundary_of(parts: list[shapely.Geometry]) -> shapely.Geometry:
    """One valid (multi)polygon from a region's parts, in a normal form so that the same
    parts always give the same stored value."""
    valid = shapely.make_valid(np.asarray(parts, dtype=object))
    polygons = [
        polygon
        for shape in valid
        for polygon in shapely.get_parts(shape)
        if polygon.geom_type in POLYGONAL
    ]
    return shapely.normalize(shapely.union_all(polygons))


def save(
    session: Session, path: Path, parts: dict[str, list[shapely.Geometry]], result: BoundaryImport
) -> None:
    codes_in = sorted(parts)
    stored: dict[str, RegionGeography] = {}
    for chunk in chunks(codes_in):
        stored |= {
            row.region_code: row
            for row in session.scalars(
                select(RegionGeography).where(RegionGeography.region_code.in_(chunk))
            )
        }
    now = utcnow()
    for code in codes_in:
        boundary = boundary_of(parts[code])
        centre = shapely.point_on_surface(boundary)
        values = {"lon": centre.x, "lat": centre.y, "boundary": boundary, "source": path.name}
        row = stored.get(code)
        if row is None:
            session.add(RegionGeography(region_code=code, updated_at=now, **values))
            result.inserted += 1
        elif same(row, values):
            result.unchanged += 1
        else:
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = now
            result.updated += 1
    session.flush()


def same(row: RegionGeography, values: dict[str, Any]) -> bool:
    old = row.boundary
    return (
        isinstance(old, shapely.Geometry)
        and shapely.equals_exact(old, values["boundary"], tolerance=0)
        and (row.lon, row.lat, row.source) == (values["lon"], values["lat"], values["source"])
    )
