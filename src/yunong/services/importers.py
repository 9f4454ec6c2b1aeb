"""Import machines and orders as service centres keep them (xlsx or CSV):

* machines: 机具编号, 类型, 作业能力(亩/天), 经度, 纬度, 服务组织, 区划代码 (机手, 状态 optional);
* orders: 订单编号, 作业类型, 面积(亩), 最早日期, 最晚日期, and either 经度 and 纬度 or 地块编码
  (全农码 or 承包地块编码, several separated by 、), 区划代码.

Each refused row is listed with its line, column and reason; the other rows are imported;
the same file twice changes nothing (a row whose code exists updates it). Machine types and
operations are the pack's (``services.machine_types``, ``services.operations``).
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from yunong.core import tabular
from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue, YunongError
from yunong.core.parsing import fold, parse_date
from yunong.core.regions import codes
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.land import service as land
from yunong.policy.schema import Services
from yunong.services.models import Machine, Order, OrderParcel, Provider

M2_PER_MU = Decimal(10000) / Decimal(15)
# Chongqing's extent, with a margin (degrees, CGCS2000).
LONGITUDES = (105.0, 110.5)
LATITUDES = (28.0, 32.5)

MACHINE_COLUMNS = {
    "code": ("机具编号", "编号"),
    "kind": ("类型", "机具类型"),
    "capacity": ("作业能力(亩/天)", "作业能力", "日作业能力"),
    "longitude": ("经度",),
    "latitude": ("纬度",),
    "provider": ("服务组织", "所属组织"),
    "region": ("区划代码", "行政区划代码"),
    "operator": ("机手", "驾驶员"),
    "status": ("状态",),
}
ORDER_COLUMNS = {
    "code": ("订单编号", "编号"),
    "operation": ("作业类型", "作业环节"),
    "area": ("面积(亩)", "面积", "作业面积"),
    "earliest": ("最早日期", "开始日期"),
    "latest": ("最晚日期", "结束日期"),
    "longitude": ("经度",),
    "latitude": ("纬度",),
    "parcels": ("地块编码", "地块"),
    "region": ("区划代码", "行政区划代码"),
}
STATUS_WORDS = {"": "available", "可用": "available", "在用": "available", "维修": "repair"}


class CellError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.reason = column, reason


@dataclass
class Tally:
    """What an import did, by row; refused rows name their line, column and reason."""

    imported: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.errors)

    def as_json(self, key: str) -> dict[str, Any]:
        counts = {"imported": self.imported, "unchanged": self.unchanged, "rejected": self.rejected}
        return {key: counts, "errors": [{"row": row, "reason": why} for row, why in self.errors]}


def header(columns: dict[str, tuple[str, ...]], key: str) -> str:
    return columns[key][0]


def decimal(label: str, text: str) -> Decimal:
    try:
        value = Decimal(fold(text))
    except InvalidOperation:
        raise CellError(label, f"“{text.strip()}”应为数字") from None
    if not value.is_finite() or value <= 0:
        raise CellError(label, f"“{text.strip()}”应为正数")
    return value.quantize(Decimal("0.01"))


def coordinate(label: str, text: str, bounds: tuple[float, float]) -> float:
    try:
        value = float(fold(text))
    except ValueError:
        raise CellError(label, f"“{text.strip()}”应为数字（度）") from None
    if not bounds[0] <= value <= bounds[1]:
        raise CellError(label, f"{value} 不在重庆范围内（{bounds[0]}–{bounds[1]}）")
    return value


def day(label: str, text: str) -> date:
    value = fold(text)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise CellError(label, f"“{text.strip()}”应为 YYYY-MM-DD")
    try:
        return parse_date(value)
    except InvalidValue:
        raise CellError(label, f"“{text.strip()}”不是有效日期") from None


def region(session: Session, scope: Scope, label: str, text: str, known: dict[str, bool]) -> str:
    try:
        code = codes.normalise(text)
    except InvalidValue as error:
        raise CellError(label, error.message) from None
    if code not in known:
        known[code] = session.get(Region, code) is not None
    if not known[code] or not scope.covers(code):
        raise CellError(label, f"区划代码“{code}”不存在或不在您的管辖范围内")
    return code


def same(stored: object, value: object) -> bool:
    if isinstance(value, Decimal) and stored is not None:
        return Decimal(str(stored)) == value
    return stored == value


def save(session: Session, row: Any, model: Any, values: dict[str, Any], tally: Tally) -> Any:
    if row is None:
        row = model(**values)
        session.add(row)
        tally.imported += 1
    elif all(same(getattr(row, key), value) for key, value in values.items()):
        tally.unchanged += 1
    else:
        for key, value in values.items():
            setattr(row, key, value)
        tally.imported += 1
    session.flush()
    return row


def provider_named(session: Session, scope: Scope, name: str, region_code: str) -> Provider:
    """The provider of that name in the scope; a name not yet registered is registered with
    the row's region (its 统一社会信用代码 or ID is added when it registers in full)."""
    found = session.scalars(
        scope.filter(select(Provider), Provider.region_code).where(Provider.name == name)
    ).first()
    if found is None:
        found = Provider(name=name, kind="", region_code=region_code)
        session.add(found)
        try:
            session.flush()
        except IntegrityError:
            raise CellError(MACHINE_COLUMNS["provider"][0], f"“{name}”已在其他区域登记") from None
    return found


def import_machines(session: Session, *, scope: Scope, path: Path, rules: Services) -> Tally:
    """Register machines (建档立卡) from a service centre's table."""
    scope.check_write(scope.region_code, "导入")
    tally, known = Tally(), dict[str, bool]()
    required = ("code", "kind", "capacity", "longitude", "latitude", "provider", "region")
    for line, cells in tabular.read_table(path, MACHINE_COLUMNS, required):
        try:
            with session.begin_nested():
                machine_row(session, scope, rules, cells, tally, known)
        except CellError as error:
            tally.errors.append((line, f"{error.column}：{error.reason}"))
    audit.record_file_import(
        session, scope=scope, action="services.import_machines", path=path,
        detail=f"导入 {tally.imported}，未变 {tally.unchanged}，拒绝 {tally.rejected}",
    )  # fmt: skip
    return tally


def machine_row(
    session: Session, scope: Scope, rules: Services, cells: dict[str, str], tally: Tally,
    known: dict[str, bool],
) -> None:  # fmt: skip
    label = {key: header(MACHINE_COLUMNS, key) for key in MACHINE_COLUMNS}
    code = fold(cells["code"])
    if not code:
        raise CellError(label["code"], "不能为空")
    kind = fold(cells["kind"])
    if kind not in rules.machine_types:
        raise CellError(
            label["kind"], f"“{kind}”不是策略包中的机具类型（{'、'.join(rules.machine_types)}）"
        )
    status = STATUS_WORDS.get(fold(cells.get("status", "")))
    if status is None:
        raise CellError(label["status"], f"“{cells['status']}”应为可用或维修")
    provider = fold(cells["provider"])
    if not provider:
        raise CellError(label["provider"], "不能为空")
    region_code = region(session, scope, label["region"], cells["region"], known)
    existing = session.scalars(select(Machine).where(Machine.code == code)).first()
    if existing is not None and not scope.covers(existing.region_code):
        raise CellError(label["code"], f"机具“{code}”已在其他区域登记")
    values = {
        "code": code,
        "kind": kind,
        "capacity_mu": decimal(label["capacity"], cells["capacity"]),
        "longitude": coordinate(label["longitude"], cells["longitude"], LONGITUDES),
        "latitude": coordinate(label["latitude"], cells["latitude"], LATITUDES),
        "region_code": region_code,
        "operator": fold(cells.get("operator", "")),
        "status": status,
        "provider_id": provider_named(session, scope, provider, region_code).id,
    }
    save(session, existing, Machine, values, tally)


def import_orders(session: Session, *, scope: Scope, path: Path, rules: Services) -> Tally:
    """Orders gathered by a service centre; parcels given by code set the area and position."""
    scope.check_write(scope.region_code, "导入")
    tally, known = Tally(), dict[str, bool]()
    required = ("code", "operation", "earliest", "latest", "region")
    for line, cells in tabular.read_table(path, ORDER_COLUMNS, required):
        try:
            with session.begin_nested():
                order_row(session, scope, rules, cells, tally, known)
        except CellError as error:
            tally.errors.append((line, f"{error.column}：{error.reason}"))
    audit.record_file_import(
        session, scope=scope, action="services.import_orders", path=path,
        detail=f"导入 {tally.imported}，未变 {tally.unchanged}，拒绝 {tally.rejected}",
    )  # fmt: skip
    return tally


@dataclass(frozen=True)
class Place:
    """Where an order is: its parcels (with their areas in 亩), area, position and land type."""

    parcels: dict[str, Decimal]
    area_mu: Decimal
    longitude: float
    latitude: float
    land_type: str


def parcels_place(session: Session, scope: Scope, codes: list[str]) -> Place:
    """The parcels' total area, the centre of their extent and their land classes."""
    found = {}
    boxes, classes = [], []
    for code in codes:
        parcel = land.get(session, scope=scope, code=code)
        found[parcel.code] = (Decimal(str(parcel.area_m2)) / M2_PER_MU).quantize(Decimal("0.01"))
        boxes.append((parcel.min_x, parcel.min_y, parcel.max_x, parcel.max_y))
        if parcel.land_class not in classes:
            classes.append(parcel.land_class)
    if any(None in box for box in boxes):
        raise InvalidValue("地块没有范围，无法定位")
    west = min(float(b[0] or 0) for b in boxes)
    south = min(float(b[1] or 0) for b in boxes)
    east = max(float(b[2] or 0) for b in boxes)
    north = max(float(b[3] or 0) for b in boxes)
    return Place(
        found, sum(found.values(), Decimal(0)), (west + east) / 2, (south + north) / 2,
        "、".join(classes),
    )  # fmt: skip


def order_row(
    session: Session, scope: Scope, rules: Services, cells: dict[str, str], tally: Tally,
    known: dict[str, bool],
) -> None:  # fmt: skip
    label = {key: header(ORDER_COLUMNS, key) for key in ORDER_COLUMNS}
    code = fold(cells["code"])
    if not code:
        raise CellError(label["code"], "不能为空")
    operation = fold(cells["operation"])
    if operation not in rules.operations:
        raise CellError(
            label["operation"],
            f"“{operation}”不是策略包中的作业类型（{'、'.join(rules.operations)}）",
        )
    earliest = day(label["earliest"], cells["earliest"])
    latest = day(label["latest"], cells["latest"])
    if latest < earliest:
        raise CellError(label["latest"], f"{latest} 早于最早日期 {earliest}")
    region_code = region(session, scope, label["region"], cells["region"], known)
    existing = session.scalars(select(Order).where(Order.code == code)).first()
    if existing is not None and not scope.covers(existing.region_code):
        raise CellError(label["code"], f"订单“{code}”已在其他区域登记")
    if existing is not None and existing.status != "open":
        raise CellError(label["code"], f"订单“{code}”已派单，不能再改")
    codes = [c for c in re.split(r"[、,，;；\s]+", fold(cells.get("parcels", ""))) if c]
    parcels: dict[str, Decimal] = {}
    land_type = ""
    if codes:
        try:
            place = parcels_place(session, scope, codes)
        except YunongError as error:
            raise CellError(label["parcels"], error.message) from None
        parcels, land_type = place.parcels, place.land_type
        lon, lat = place.longitude, place.latitude
        area = place.area_mu
        if fold(cells.get("area", "")):
            area = decimal(label["area"], cells["area"])
    else:
        if not fold(cells.get("longitude", "")) or not fold(cells.get("latitude", "")):
            raise CellError(label["parcels"], "应填地块编码，或填经度和纬度")
        lon = coordinate(label["longitude"], cells["longitude"], LONGITUDES)
        lat = coordinate(label["latitude"], cells["latitude"], LATITUDES)
        area = decimal(label["area"], cells.get("area", ""))
    values = {
        "code": code, "operation": operation, "area_mu": area, "earliest": earliest,
        "latest": latest, "longitude": lon, "latitude": lat, "region_code": region_code,
        "land_type": land_type,
    }  # fmt: skip
    before = tally.imported
    order = save(session, existing, Order, values, tally)
    stored = {
        p.parcel_code: p
        for p in session.scalars(select(OrderParcel).where(OrderParcel.order_id == order.id))
    }
    if set(stored) != set(parcels) or any(
        not same(stored[c].area_mu, a) for c, a in parcels.items()
    ):
        for row in stored.values():
            session.delete(row)
        session.flush()
        session.add_all(
            OrderParcel(order_id=order.id, parcel_code=c, area_mu=a) for c, a in parcels.items()
        )
        session.flush()
        if tally.imported == before:
            tally.unchanged -= 1
            tally.imported += 1
