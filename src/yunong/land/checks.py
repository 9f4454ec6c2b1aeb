"""Checks every feature goes through before it is written: its geometry, its place, its code.

Each refusal names the feature's number in the file (from 1), the field and the reason in
Chinese; refused features are dropped from the mapping they were checked in.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.land.geometry import areas_m2, inside_chongqing, to_storage
from yunong.land.readers import Layer, Unreadable
from yunong.store.bulk import chunks

GEOMETRY_FIELD = "几何图形"
INVALID_REASONS = {
    "Self-intersection": "自相交",
    "Ring Self-intersection": "环自相交",
    "Too few points": "顶点过少",
    "Hole lies outside shell": "内环在外环之外",
    "Nested shells": "外环嵌套",
    "Interior is disconnected": "内部不连通",
    "Duplicate Rings": "环重复",
    "Invalid Coordinate": "坐标无效",
    "Nested holes": "内环嵌套",
}


@dataclass(frozen=True)
class FeatureError:
    """One refused feature: its number in the file (from 1), the field and the reason."""

    index: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"第 {self.index} 个要素【{self.field}】：{self.reason}"


@dataclass
class Checked:
    """Features that passed the geometry checks: their positions, shapes and areas."""

    positions: np.ndarray
    geometries: np.ndarray
    areas: np.ndarray


def check_geometries(layer: Layer, errors: list[FeatureError]) -> Checked:
    """Refuse empty, unreadable, non-polygonal, invalid and out-of-Chongqing geometries."""
    raw = layer.geometries
    usable = np.array([isinstance(g, shapely.Geometry) for g in raw], dtype=bool)
    geometries = raw.copy()
    geometries[~usable] = None
    empty = shapely.is_missing(geometries) | shapely.is_empty(geometries)
    kinds = shapely.get_type_id(geometries)
    polygonal = np.isin(kinds, (3, 6))
    valid = shapely.is_valid(geometries)
    for position in np.flatnonzero(~usable | empty | ~polygonal | ~valid):
        number = int(position) + 1
        if isinstance(raw[position], Unreadable):
            reason = "WKT 文本无法解析"
        elif not usable[position] or empty[position]:
            reason = "几何图形为空"
        elif not polygonal[position]:
            reason = f"几何类型应为面（Polygon 或 MultiPolygon），实为 {raw[position].geom_type}"
        else:
            reason = f"几何图形无效：{invalid_reason(raw[position])}"
        errors.append(FeatureError(number, GEOMETRY_FIELD, reason))
    good = np.flatnonzero(usable & ~empty & polygonal & valid)
    # Normalised (ring orientation, first vertex) so that every format reads back the same.
    stored = shapely.normalize(to_storage(geometries[good], layer.crs))
    areas = areas_m2(geometries[good], layer.crs)
    inside = inside_chongqing(stored) if len(stored) else np.zeros(0, dtype=bool)
    for position in good[~inside]:
        errors.append(FeatureError(int(position) + 1, GEOMETRY_FIELD, "位于重庆市范围之外"))
    return Checked(good[inside], stored[inside], areas[inside])


def invalid_reason(geometry: shapely.Geometry) -> str:
    reason = shapely.is_valid_reason(geometry)
    name = reason.split("[")[0].strip()
    chinese = INVALID_REASONS.get(name)
    return f"{chinese}（{reason}）" if chinese else reason


def known_villages(session: Session, codes: set[str]) -> set[str]:
    return {
        code
        for chunk in chunks(sorted(codes))
        for code in session.scalars(select(Region.code).where(Region.code.in_(chunk)))
    }


def refuse_places(
    session: Session,
    scope: Scope,
    items: dict[int, Any],
    region_of: Any,
    field_of: Any,
    errors: list[FeatureError],
) -> None:
    """Drop items whose region is unknown or outside the scope, each with its reason."""
    known = known_villages(session, {region_of(item) for item in items.values()})
    for position, item in list(items.items()):
        region = region_of(item)
        if region in known and scope.covers(region):
            continue
        if region not in known:
            reason = f"未知的区划代码 {region}"
        elif not scope.covers(region):
            reason = f"区划 {region} 不在您的管辖范围内"
        else:
            continue
        errors.append(FeatureError(position + 1, field_of(item), reason))
        del items[position]


def refuse_duplicates(items: dict[int, Any], errors: list[FeatureError]) -> None:
    """A key or code twice in one file refuses every feature that carries it."""
    seen: dict[str, list[int]] = defaultdict(list)
    for position, item in items.items():
        seen[item.source_key].append(position)
        if item.code:
            seen[item.code].append(position)
    for key, positions in seen.items():
        if len(set(positions)) < 2:
            continue
        numbers = sorted({position + 1 for position in positions})
        for position in sorted(set(positions)):
            if position not in items:
                continue
            others = "、".join(str(n) for n in numbers if n != position + 1)
            errors.append(
                FeatureError(position + 1, "编码", f"编码 {key} 与第 {others} 个要素重复")
            )
            del items[position]


def refuse_foreign(
    scope: Scope, parcels: dict[int, Any], existing: dict[str, Any], errors: list[FeatureError]
) -> None:
    """A stored unit may be changed only by someone whose scope covers where it is stored."""
    for position, item in list(parcels.items()):
        stored = existing.get(item.code or "") or existing.get(item.source_key)
        region = getattr(stored, "village_code", None) or getattr(stored, "region_code", None)
        if stored is not None and not scope.covers(region):
            errors.append(
                FeatureError(position + 1, "编码", f"编码 {item.source_key} 已登记在辖区之外")
            )
            del parcels[position]


def differs(stored: Any, values: dict[str, Any]) -> bool:
    for key, value in values.items():
        current = getattr(stored, key)
        if key == "geom":
            if bytes(shapely.to_wkb(current)) != bytes(shapely.to_wkb(value)):
                return True
        elif isinstance(value, Decimal) or isinstance(current, Decimal | float):
            if value is None or current is None:
                if value is not current:
                    return True
            elif Decimal(str(current)).quantize(Decimal("0.01")) != Decimal(str(value)):
                return True
        elif current != value:
            return True
    return False
