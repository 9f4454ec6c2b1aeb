"""上图入库: project boundaries from a vector file, with the cultivated land inside each.

The file (GeoPackage, Shapefile with GBK attributes, GeoJSON …; CGCS2000 or Gauss–Krüger,
read by :mod:`yunong.land.readers`) carries per feature 项目编号, 项目名称, 建设年度,
建设类型 (新建/改造提升) and 建设规模（亩）, and optionally 区县代码. Every feature is checked
and refused with its number and a Chinese reason; the others create or update their project
in the library. The cultivated area inside each boundary is the overlay with the parcels.
Overlaps with other projects are reported: an upgrade over an earlier new-build is expected,
two new-builds over the same land refuse the later one. The same file twice changes nothing.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import CRS
from sqlalchemy import and_, delete, insert, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue
from yunong.core.geometry import STORAGE_EPSG
from yunong.core.parsing import fold
from yunong.core.regions import codes as region_codes
from yunong.core.scope import Scope
from yunong.farmland import projects
from yunong.farmland.codes import ProjectKind, Step, kind_from_text
from yunong.farmland.models import Project, ProjectParcel
from yunong.farmland.overlay import overlay
from yunong.land import high_standard as land_parcels
from yunong.land.checks import FeatureError, check_geometries
from yunong.land.geometry import SQUARE_METRES_PER_MU, areas_m2
from yunong.land.readers import Layer, read_layer
from yunong.land.spatial import Box
from yunong.store.bulk import chunks

FIELDS = {
    "number": ("项目编号", "XMBH", "XMDM", "项目代码"),
    "name": ("项目名称", "XMMC"),
    "year": ("建设年度", "JSND", "年度", "ND"),
    "kind": ("建设类型", "JSLX", "类型"),
    "scale": ("建设规模", "JSGM", "规模", "建设面积"),
    "district": ("区县代码", "XZQDM", "行政区划代码", "XZQHDM"),
}
LABELS = {
    "number": "项目编号",
    "name": "项目名称",
    "year": "建设年度",
    "kind": "建设类型",
    "scale": "建设规模（亩）",
    "district": "区县代码",
}
OVERLAP_TOLERANCE_M2 = float(SQUARE_METRES_PER_MU)
"""Boundaries that share less than one 亩 are taken as drawn edge to edge, not overlapping."""
M2_PER_MU = float(SQUARE_METRES_PER_MU)
ACCEPTED = (Step.ACCEPT.value, Step.EVALUATE.value)
STORAGE_CRS = CRS.from_epsg(STORAGE_EPSG)


def header_key(name: str) -> str:
    """建设规模（亩）, 建设规模(亩), ' 建设规模 ' all read as 建设规模."""
    text = fold(name).replace(" ", "").upper()
    text = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", text)
    # A Shapefile cuts names at 10 bytes: 建设规模(亩) arrives as 建设规模(.
    return re.sub(r"[(\[【].*$", "", text).removesuffix("亩")


@dataclass
class Overlap:
    project: str
    other: str
    area_mu: float
    expected: bool

    def __str__(self) -> str:
        note = "改造提升覆盖以往新建，属正常" if self.expected else "请核实"
        return f"项目 {self.project} 与 {self.other} 重叠 {self.area_mu:.2f} 亩（{note}）"


@dataclass
class BoundaryImport:
    features: int = 0
    imported: int = 0
    unchanged: int = 0
    errors: list[FeatureError] = field(default_factory=list)
    areas: list[dict[str, Any]] = field(default_factory=list)
    overlaps: list[Overlap] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len({error.index for error in self.errors})

    def as_json(self) -> dict[str, Any]:
        return {
            "projects": {
                "imported": self.imported,
                "unchanged": self.unchanged,
                "rejected": self.rejected,
            },
            "errors": [
                {"feature": error.index, "reason": f"{error.field}：{error.reason}"}
                for error in sorted(self.errors, key=lambda e: (e.index, e.field))
            ],
            "areas": self.areas,
        }

    def summary(self) -> str:
        return (
            f"项目边界 {self.features}：导入 {self.imported}，未变 {self.unchanged}，"
            f"拒绝 {self.rejected}"
        )


@dataclass
class Feature:
    position: int
    number: str
    name: str
    year: int
    kind: ProjectKind
    scale_mu: Decimal
    district: str | None
    geometry: Any
    area_m2: float
    box: Box = field(init=False)

    def __post_init__(self) -> None:
        west, south, east, north = shapely.bounds(self.geometry).tolist()
        self.box = Box(west, south, east, north)


def column_map(names: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    keys = {header_key(name): name for name in names}
    for field_name, aliases in FIELDS.items():
        for alias in aliases:
            if header_key(alias) in keys:
                found[field_name] = keys[header_key(alias)]
                break
    missing = [LABELS[name] for name in ("number", "year", "kind", "scale") if name not in found]
    if missing:
        raise InvalidValue("项目边界文件缺少字段：{fields}", fields="、".join(missing))
    return found


def attributes(
    position: int, values: dict[str, str], errors: list[FeatureError]
) -> dict[str, Any] | None:
    """The feature's attributes, or None after recording why it is refused."""
    number = values.get("number", "").strip()
    found: dict[str, Any] = {"number": number, "name": values.get("name", "").strip()}

    def refuse(name: str, reason: str) -> None:
        errors.append(FeatureError(position + 1, LABELS[name], reason))

    if not number:
        refuse("number", "项目编号为空")
    year_text = values.get("year", "").strip().removesuffix("年")
    if not (year_text.isdigit() and 2000 <= int(year_text) <= 2100):
        refuse("year", f"建设年度“{values.get('year', '')}”应为四位年份")
    else:
        found["year"] = int(year_text)
    try:
        found["kind"] = kind_from_text(values.get("kind", ""))
    except InvalidValue as invalid:
        refuse("kind", invalid.message)
    try:
        found["scale"] = projects.decimal_of(values.get("scale", ""), "建设规模（亩）")
    except InvalidValue as invalid:
        refuse("scale", invalid.message)
    district = values.get("district", "").strip()
    if district:
        try:
            found["district"] = region_codes.normalise(district[:6])
        except InvalidValue as invalid:
            refuse("district", invalid.message)
    if any(error.index == position + 1 for error in errors):
        return None
    return found


def import_file(
    session: Session, *, scope: Scope, path: Path, crs: str | None = None
) -> BoundaryImport:
    """Import the project boundaries of ``path``."""
    result = import_layer(session, scope=scope, layer=read_layer(path, crs))
    audit.record_file_import(
        session, scope=scope, action="farmland.boundary_import", path=path, detail=result.summary()
    )
    return result


def import_layer(session: Session, *, scope: Scope, layer: Layer) -> BoundaryImport:
    """Import the project boundaries of a layer already read."""
    result = BoundaryImport(features=len(layer))
    columns = column_map(list(layer.columns))
    checked = check_geometries(layer, result.errors)
    stored_at = {int(p): i for i, p in enumerate(checked.positions)}
    refused_geometry = {error.index - 1 for error in result.errors}
    features: list[Feature] = []
    seen: dict[str, int] = {}
    for position in range(len(layer)):
        values = {name: layer.columns[column][position] for name, column in columns.items()}
        found = attributes(position, values, result.errors)
        if found is None or position in refused_geometry or position not in stored_at:
            continue
        if found["number"] in seen:
            result.errors.append(
                FeatureError(
                    position + 1,
                    "项目编号",
                    f"项目编号 {found['number']} 与第 {seen[found['number']] + 1} 个要素重复",
                )
            )
            continue
        seen[found["number"]] = position
        index = stored_at[position]
        features.append(
            Feature(
                position,
                found["number"],
                found["name"],
                found["year"],
                found["kind"],
                found["scale"],
                found.get("district"),
                checked.geometries[index],
                float(checked.areas[index]),
            )
        )
    kept = save(session, scope, features, result)
    result.areas = [
        {"project": feature.number, "cultivated_mu": round(area / M2_PER_MU, 2)}
        for feature, area in kept
    ]
    return result


def save(
    session: Session, scope: Scope, features: list[Feature], result: BoundaryImport
) -> list[tuple[Feature, float]]:
    kept: list[tuple[Feature, float]] = []
    written: list[tuple[Feature, Project]] = []
    for feature in features:
        parcels = land_parcels.cultivated_in_box(session, scope=scope, box=feature.box)
        pieces = overlay(np.array([feature.geometry]), parcels.geometries, parcels.areas_m2)
        district = feature.district or district_of(
            parcels.villages, pieces.parcel, pieces.overlap_m2
        )
        if district is None:
            result.errors.append(
                FeatureError(
                    feature.position + 1,
                    "区县代码",
                    "边界内没有您辖区内已入库的耕地地块，无法确定所在区县（可在属性表中填写区县代码）",
                )
            )
            continue
        if not scope.covers(district):
            result.errors.append(
                FeatureError(
                    feature.position + 1, "区县代码", f"区县 {district[:6]} 不在您的管辖范围内"
                )
            )
            continue
        stored = session.scalars(select(Project).where(Project.number == feature.number)).first()
        if stored is not None and not scope.covers(stored.region_code):
            result.errors.append(
                FeatureError(
                    feature.position + 1, "项目编号", f"项目 {feature.number} 登记在辖区之外"
                )
            )
            continue
        overlaps = overlaps_of(session, feature, stored, written)
        clash = next(
            (o for o in overlaps if not o.expected and feature.kind is ProjectKind.NEW), None
        )
        if clash is not None:
            result.errors.append(
                FeatureError(
                    feature.position + 1,
                    "几何图形",
                    f"与新建项目 {clash.other} 重叠 {clash.area_mu:.2f} 亩：同一片耕地不能两次新建",
                )
            )
            continue
        if stored is not None and stored.step in ACCEPTED and changed(stored, feature, district):
            result.errors.append(
                FeatureError(
                    feature.position + 1,
                    "项目编号",
                    f"项目 {feature.number} 已竣工验收，边界与属性不能再改",
                )
            )
            continue
        result.overlaps += overlaps
        inside = float(pieces.overlap_m2.sum())
        if stored is None:
            stored = projects.create(
                session,
                scope=scope,
                project_in=projects.ProjectIn(
                    feature.number,
                    feature.name,
                    district,
                    feature.kind.value,
                    feature.year,
                    feature.scale_mu,
                ),
            )
            write(session, stored, feature, parcels, pieces, inside)
            result.imported += 1
        elif changed(stored, feature, district):
            write(session, stored, feature, parcels, pieces, inside)
            result.imported += 1
        else:
            result.unchanged += 1
        written.append((feature, stored))
        kept.append((feature, inside))
    return kept


def district_of(villages: list[str], parcel: np.ndarray, overlap: np.ndarray) -> str | None:
    """The district holding most of the cultivated land inside."""
    totals: dict[str, float] = {}
    for index, area in zip(parcel.tolist(), overlap.tolist(), strict=True):
        district = region_codes.normalise(villages[index][:6])
        totals[district] = totals.get(district, 0.0) + area
    return max(totals, key=lambda code: totals[code]) if totals else None


def changed(stored: Project, feature: Feature, district: str) -> bool:
    if (
        stored.name != (feature.name or feature.number)[:100]
        or stored.kind != feature.kind.value
        or stored.year != feature.year
        or Decimal(str(stored.scale_mu)).quantize(Decimal("0.01"))
        != feature.scale_mu.quantize(Decimal("0.01"))
        or stored.region_code != district
    ):
        return True
    current = stored.geom
    return current is None or not shapely.equals_exact(current, feature.geometry, 1e-10)


def write(
    session: Session,
    project: Project,
    feature: Feature,
    parcels: land_parcels.CultivatedParcels,
    pieces: Any,
    inside: float,
) -> None:
    project.name = (feature.name or feature.number)[:100]
    project.kind = feature.kind.value
    project.year = feature.year
    project.scale_mu = feature.scale_mu
    project.geom = feature.geometry
    project.min_x, project.min_y = feature.box.west, feature.box.south
    project.max_x, project.max_y = feature.box.east, feature.box.north
    project.boundary_m2 = Decimal(str(round(feature.area_m2, 2)))
    project.cultivated_m2 = Decimal(str(round(inside, 2)))
    session.execute(delete(ProjectParcel).where(ProjectParcel.project_id == project.id))
    rows = [
        {
            "project_id": project.id,
            "parcel_id": parcels.ids[int(parcel)],
            "overlap_m2": Decimal(str(round(float(area), 2))),
            "parcel_m2": Decimal(str(round(float(parcels.areas_m2[int(parcel)]), 2))),
        }
        for parcel, area in zip(pieces.parcel, pieces.overlap_m2, strict=True)
    ]
    for chunk in chunks(rows):
        session.execute(insert(ProjectParcel), chunk)
    session.flush()


def overlaps_of(
    session: Session,
    feature: Feature,
    stored: Project | None,
    written: list[tuple[Feature, Project]],
) -> list[Overlap]:
    """Other projects whose boundaries share at least a 亩 with this one."""
    box = feature.box
    others = [
        (other.number, other.kind, other.geom)
        for other in session.scalars(
            select(Project).where(
                Project.geom.is_not(None),
                and_(
                    Project.min_x <= box.east,
                    Project.max_x >= box.west,
                    Project.min_y <= box.north,
                    Project.max_y >= box.south,
                ),
            )
        )
        if other.number != feature.number
    ]
    others += [
        (other.number, other.kind.value, other.geometry)
        for other, _ in written
        if other.number != feature.number
    ]
    found: dict[str, Overlap] = {}
    for number, kind, geometry in others:
        if geometry is None or not shapely.intersects(geometry, feature.geometry):
            continue
        shared = shapely.intersection(geometry, feature.geometry)
        area = float(areas_m2(np.array([shared]), STORAGE_CRS)[0])
        if area < OVERLAP_TOLERANCE_M2:
            continue
        expected = not (kind == ProjectKind.NEW.value and feature.kind is ProjectKind.NEW)
        found[number] = Overlap(feature.number, number, area / M2_PER_MU, expected)
    return list(found.values())
