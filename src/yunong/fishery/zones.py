"""禁捕水域: the ban zones from a vector file, and reading them back in the caller's scope.

The file (GeoJSON, GeoPackage, Shapefile with GBK attributes …; CGCS2000 or Gauss–Krüger,
read by :mod:`yunong.land.readers`) carries per feature 水域编号, 水域名称, 水域类型
(长江干流 / 支流 / 保护区) and 区县代码, and optionally 禁捕依据, 起始日期 and 截止日期. A zone
belongs to the district whose stretch it is, so a zone crossing districts is drawn as one
feature per district. Dates not in the file come from the pack's ban periods. Every feature
is checked and refused with its number and a Chinese reason; the others create or update
their zone. The same file twice changes nothing.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue, NotFound
from yunong.core.parsing import fold, parse_date
from yunong.core.regions import codes as region_codes
from yunong.core.regions import geography
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.fishery.models import BanZone
from yunong.land.checks import FeatureError, check_geometries
from yunong.land.readers import Layer, read_layer
from yunong.land.spatial import Box
from yunong.policy.schema import Fishery


class ZoneKind(StrEnum):
    MAIN_STREAM = "main_stream"
    TRIBUTARY = "tributary"
    RESERVE = "reserve"


KIND_LABELS = {
    ZoneKind.MAIN_STREAM: "长江干流",
    ZoneKind.TRIBUTARY: "支流",
    ZoneKind.RESERVE: "水生生物保护区",
}
KIND_WORDS = {
    "干流": ZoneKind.MAIN_STREAM,
    "长江干流": ZoneKind.MAIN_STREAM,
    "支流": ZoneKind.TRIBUTARY,
    "重要支流": ZoneKind.TRIBUTARY,
    "保护区": ZoneKind.RESERVE,
    "水生生物保护区": ZoneKind.RESERVE,
}
FIELDS = {
    "number": ("水域编号", "SYBH", "编号", "NUMBER", "CODE", "ID"),
    "name": ("水域名称", "SYMC", "名称", "NAME"),
    "kind": ("水域类型", "SYLX", "类型", "KIND", "TYPE"),
    "district": ("区县代码", "XZQDM", "行政区划代码", "DISTRICT"),
    "basis": ("禁捕依据", "JBYJ", "依据"),
    "starts": ("起始日期", "QSRQ", "禁捕起始日期"),
    "ends": ("截止日期", "JZRQ", "禁捕截止日期"),
}
LABELS = {
    "number": "水域编号",
    "name": "水域名称",
    "kind": "水域类型",
    "district": "区县代码",
    "basis": "禁捕依据",
    "starts": "起始日期",
    "ends": "截止日期",
}
REQUIRED = ("number", "name", "kind", "district")
"""Each must not be empty where its column is given. A file without a column: the number is
the file's name and the feature's place (禁捕水域-3), the name is the number, the kind is
长江干流, and the district is the one whose outline holds most of the zone."""


def header_key(name: str) -> str:
    return re.sub(r"[(（].*$", "", fold(name).replace(" ", "").upper())


def column_map(names: list[str]) -> dict[str, str]:
    keys = {header_key(name): name for name in names}
    found: dict[str, str] = {}
    for name, aliases in FIELDS.items():
        column = next((keys[header_key(a)] for a in aliases if header_key(a) in keys), None)
        if column is not None:
            found[name] = column
    return found


@dataclass
class ZoneImport:
    features: int = 0
    imported: int = 0
    unchanged: int = 0
    errors: list[FeatureError] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len({error.index for error in self.errors})

    def as_json(self) -> dict[str, Any]:
        return {
            "zones": {
                "imported": self.imported,
                "unchanged": self.unchanged,
                "rejected": self.rejected,
            },
            "errors": [
                {"feature": error.index, "reason": f"{error.field}：{error.reason}"}
                for error in sorted(self.errors, key=lambda e: (e.index, e.field))
            ],
        }

    def summary(self) -> str:
        return (
            f"禁捕水域 {self.features}：导入 {self.imported}，未变 {self.unchanged}，"
            f"拒绝 {self.rejected}"
        )


@dataclass
class ZoneIn:
    number: str
    name: str
    kind: ZoneKind
    district: str
    basis: str
    starts_on: date
    ends_on: date | None


def kind_from_text(text: str) -> ZoneKind:
    word = fold(text).strip()
    if word in KIND_WORDS:
        return KIND_WORDS[word]
    try:
        return ZoneKind(word)
    except ValueError:
        raise InvalidValue("水域类型“{kind}”应为 长江干流、支流 或 保护区", kind=text) from None


def attributes(
    position: int, values: dict[str, str], rules: Fishery, errors: list[FeatureError]
) -> ZoneIn | None:
    """The feature's attributes, or None after recording why it is refused."""
    number = position + 1
    before = len(errors)

    def refuse(name: str, reason: str) -> None:
        errors.append(FeatureError(number, LABELS[name], reason))

    for name in REQUIRED:
        if name in values and not values[name].strip():
            refuse(name, f"{LABELS[name]}为空")
    kind: ZoneKind | None = ZoneKind.MAIN_STREAM if "kind" not in values else None
    district = values.get("district") if "district" not in values else None
    if values.get("kind", "").strip():
        try:
            kind = kind_from_text(values["kind"])
        except InvalidValue as invalid:
            refuse("kind", invalid.message)
    if values.get("district", "").strip():
        text = values["district"].strip()
        try:
            district = region_codes.normalise(text[:6])
            if region_codes.level_of(district) != region_codes.Level.DISTRICT:
                raise InvalidValue(f"“{text}”不是区县代码")
        except InvalidValue as invalid:
            refuse("district", invalid.message)
            district = None
    dates: dict[str, date | None] = {"starts": None, "ends": None}
    for name in dates:
        text = values.get(name, "").strip()
        if text:
            try:
                dates[name] = parse_date(text)
            except InvalidValue:
                refuse(name, f"{LABELS[name]}“{text}”应为日期，如 2021-01-01")
    if len(errors) > before or kind is None or (district is None and "district" in values):
        return None
    period = rules.periods[kind.value]
    starts = dates["starts"] or period.starts_on
    ends = dates["ends"] or default_end(starts, period.years)
    if ends <= starts:
        refuse("ends", f"截止日期 {ends} 不晚于起始日期 {starts}")
        return None
    return ZoneIn(
        values["number"].strip()[:40],
        (values.get("name") or values["number"]).strip()[:100],
        kind,
        district or "",
        values.get("basis", "").strip()[:200],
        starts,
        ends,
    )


def district_holding(outlines: dict[str, shapely.Geometry], zone: shapely.Geometry) -> str | None:
    """The district whose outline holds most of the zone."""
    shares = {
        code: shapely.intersection(outline, zone).area
        for code, outline in outlines.items()
        if shapely.intersects(outline, zone)
    }
    best = max(shares, key=lambda code: shares[code], default=None)
    return best if best is not None and shares[best] > 0 else None


def default_end(starts: date, years: int) -> date:
    """The last day of a ban of ``years`` years from ``starts`` (2021-01-01, 10 → 2030-12-31)."""
    return date.fromordinal(starts.replace(year=starts.year + years).toordinal() - 1)


def import_file(
    session: Session, *, scope: Scope, rules: Fishery, path: Path, crs: str | None = None
) -> ZoneImport:
    """Import the ban zones of ``path``."""
    layer = read_layer(path, crs)
    result = import_layer(session, scope=scope, rules=rules, layer=layer, stem=path.stem)
    audit.record_file_import(
        session, scope=scope, action="fishery.zone_import", path=path, detail=result.summary()
    )
    return result


def import_layer(
    session: Session, *, scope: Scope, rules: Fishery, layer: Layer, stem: str = "禁捕水域"
) -> ZoneImport:
    result = ZoneImport(features=len(layer))
    columns = column_map(list(layer.columns))
    checked = check_geometries(layer, result.errors)
    stored_at = {int(p): i for i, p in enumerate(checked.positions)}
    seen: dict[str, int] = {}
    outlines: dict[str, shapely.Geometry] | None = None
    for position in range(len(layer)):
        values = {name: layer.columns[column][position] for name, column in columns.items()}
        values.setdefault("number", f"{stem}-{position + 1}")
        zone_in = attributes(position, values, rules, result.errors)
        if zone_in is not None and not zone_in.district and position in stored_at:
            if outlines is None:
                outlines = geography.get_district_outlines(session, scope=scope)
            found = district_holding(outlines, checked.geometries[stored_at[position]])
            if found is None:
                result.errors.append(
                    FeatureError(
                        position + 1, "区县代码", "不在您辖区内任何区县的范围内，请填写区县代码"
                    )
                )
                continue
            zone_in.district = found
        if zone_in is None or position not in stored_at:
            continue
        if zone_in.number in seen:
            result.errors.append(
                FeatureError(
                    position + 1,
                    "水域编号",
                    f"水域编号 {zone_in.number} 与第 {seen[zone_in.number]} 个要素重复",
                )
            )
            continue
        seen[zone_in.number] = position + 1
        index = stored_at[position]
        save(
            session,
            scope,
            position + 1,
            zone_in,
            checked.geometries[index],
            float(checked.areas[index]),
            result,
        )
    session.flush()
    return result


def save(
    session: Session,
    scope: Scope,
    number: int,
    zone_in: ZoneIn,
    geometry: shapely.Geometry,
    area_m2: float,
    result: ZoneImport,
) -> None:
    if not scope.covers(zone_in.district):
        result.errors.append(
            FeatureError(number, "区县代码", f"区县 {zone_in.district[:6]} 不在您的管辖范围内")
        )
        return
    try:
        regions.get(session, code=zone_in.district)
    except NotFound:
        result.errors.append(
            FeatureError(number, "区县代码", f"区县代码 {zone_in.district[:6]} 不存在")
        )
        return
    stored = session.scalars(select(BanZone).where(BanZone.number == zone_in.number)).first()
    if stored is not None and not scope.covers(stored.region_code):
        result.errors.append(
            FeatureError(number, "水域编号", f"水域 {zone_in.number} 登记在辖区之外")
        )
        return
    values = {
        "name": zone_in.name,
        "kind": zone_in.kind.value,
        "region_code": zone_in.district,
        "basis": zone_in.basis,
        "starts_on": zone_in.starts_on,
        "ends_on": zone_in.ends_on,
    }
    if stored is not None and not changed(stored, values, geometry):
        result.unchanged += 1
        return
    if stored is None:
        stored = BanZone(number=zone_in.number)
        session.add(stored)
    for name, value in values.items():
        setattr(stored, name, value)
    west, south, east, north = shapely.bounds(geometry).tolist()
    stored.geom = geometry
    stored.min_x, stored.min_y, stored.max_x, stored.max_y = west, south, east, north
    stored.area_m2 = Decimal(str(round(area_m2, 2)))
    result.imported += 1


def changed(stored: BanZone, values: dict[str, Any], geometry: shapely.Geometry) -> bool:
    if any(getattr(stored, name) != value for name, value in values.items()):
        return True
    return stored.geom is None or not shapely.equals_exact(stored.geom, geometry, 1e-10)


def published_to(scope: Scope) -> Scope:
    """The scope the ban zones are read in: the caller's district, read-only. The zones are
    published waters (the ban is a public notice), so a town's or village's patrollers see
    and are measured against their district's zones; nothing else is read with it."""
    if region_codes.level_of(scope.region_code) <= region_codes.Level.DISTRICT:
        return scope
    district = region_codes.prefix_of(scope.region_code)[:6].ljust(12, "0")
    return Scope(actor=scope.actor, region_code=district, role=scope.role, can_write=False)


def in_box(session: Session, *, scope: Scope, box: Box) -> list[BanZone]:
    """The zones in scope whose box meets ``box``."""
    query = scope.filter(
        select(BanZone).where(
            BanZone.min_x <= box.east,
            BanZone.max_x >= box.west,
            BanZone.min_y <= box.north,
            BanZone.max_y >= box.south,
        ),
        BanZone.region_code,
    )
    return list(session.scalars(query.order_by(BanZone.number)))


def get_all(session: Session, *, scope: Scope) -> list[BanZone]:
    query = scope.filter(select(BanZone), BanZone.region_code)
    return list(session.scalars(query.order_by(BanZone.region_code, BanZone.number)))


def get_by_number(session: Session, *, scope: Scope, number: str) -> BanZone:
    zone = session.scalars(select(BanZone).where(BanZone.number == number)).first()
    if zone is None or not scope.covers(zone.region_code):
        raise NotFound("没有编号为 {number} 的禁捕水域", number=number)
    return zone


def geometries(zones: list[BanZone]) -> np.ndarray:
    return np.array([zone.geom for zone in zones], dtype=object)
