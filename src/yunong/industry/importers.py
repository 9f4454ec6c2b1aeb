"""`yunong industry import`: dated observations from xlsx or CSV (日期, 指标, 区划, 数值, 单位,
来源), one row each, refused row by row with the row, the field and the reason in Chinese.

Headers are matched without width, case or spaces, a unit in the header (数值（元/斤）) is the
unit of rows that give none, and a title row above the header is skipped. A weekly series is
dated by its week's Monday, a monthly one by its month's first day. Values are converted to
the series' unit from the pack (元/斤 → 元/公斤, 头 → 万头, 吨 → 万吨). The same file imported
twice changes nothing; every import re-evaluates the warning rules.
"""

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core import files
from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue
from yunong.core.regions import codes
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.core.tabular import RowError, csv_rows, xlsx_rows
from yunong.industry import warnings
from yunong.industry.catalogue import Catalogue, catalogue, fold, parse_day, parse_value, period_of
from yunong.industry.models import Observation
from yunong.policy.schema import Pack

COLUMNS: dict[str, tuple[str, ...]] = {
    "日期": ("日期", "时间", "统计日期", "统计时间", "监测日期", "报告期", "期间", "周", "月份"),
    "指标": ("指标", "指标名称", "监测指标", "品种", "项目"),
    "区划": (
        "区划",
        "区划代码",
        "区划名称",
        "行政区划",
        "行政区划代码",
        "地区",
        "地区名称",
        "地区代码",
        "区县",
        "区县代码",
        "区域",
    ),
    "数值": ("数值", "值", "指标值", "监测值", "数据", "价格", "数量"),
    "单位": ("单位", "计量单位"),
    "来源": ("来源", "数据来源", "填报单位"),
}
REQUIRED = ("日期", "指标", "区划", "数值")
HEADER_SEARCH = 10
"""Rows looked at for the header: a title (and a blank line) may stand above it."""
BRACKETED = re.compile(r"^(.*?)[(\[【](.*)[)\]】]$")
CITY_NAMES = ("重庆市", "重庆", "全市")

NOTES = [
    (
        "日期",
        "观测日期，如 2024-03-04、2024/3/4、2024年3月4日；"
        "按周的指标记在该周周一，按月的记在该月一日",
    ),
    ("指标", "策略包中的指标名称，如 生猪价格、玉米价格、能繁母猪存栏、蔬菜价格"),
    ("区划", "区划代码（6、9 或 12 位）或名称（如 万州区、重庆市）"),
    ("数值", "数字，不为负"),
    ("单位", "可不填（即指标的单位）；元/斤 换算为 元/公斤，头 换算为 万头，吨 换算为 万吨"),
    ("来源", "数据来源，可不填"),
]


@dataclass
class ImportResult:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    alerts: int = 0
    """Warnings standing after the import (all rules, all regions)."""

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": [
                {"row": error.line, "field": error.column, "reason": error.reason}
                for error in self.errors
            ],
            "alerts": self.alerts,
        }

    def summary(self) -> str:
        return (
            f"新增 {self.imported}，更新 {self.updated}，未变 {self.unchanged}，"
            f"拒绝 {self.rejected}；现有预警 {self.alerts} 条"
        )


@dataclass(frozen=True)
class Parsed:
    line: int
    series: str
    region_code: str
    period: date
    source: str
    value: float

    @property
    def key(self) -> tuple[str, str, date, str]:
        return (self.series, self.region_code, self.period, self.source)


class RowRefused(Exception):
    def __init__(self, column: str, error: InvalidValue) -> None:
        self.column = column
        self.reason = error.message


def import_file(session: Session, *, scope: Scope, path: Path, pack: Pack) -> ImportResult:
    """Import ``path``'s observations inside the caller's scope, then evaluate the rules."""
    scope.check_write(scope.region_code, "区划")
    known = catalogue(pack)
    regions = RegionNames.load(session)
    result = ImportResult()
    kept: dict[tuple[str, str, date, str], Parsed] = {}
    for line, row, header_unit in read_rows(path):
        try:
            parsed = parse_row(known, regions, scope, line, row, header_unit)
        except RowRefused as refused:
            result.errors.append(RowError(line, refused.column, refused.reason))
            continue
        earlier = kept.get(parsed.key)
        if earlier is not None and not math.isclose(earlier.value, parsed.value, rel_tol=1e-9):
            reason = f"与第 {earlier.line} 行是同一指标、区划、周期和来源，数值不同"
            result.errors.append(RowError(line, "数值", reason))
            continue
        kept.setdefault(parsed.key, parsed)
    result.rejected = len({error.line for error in result.errors})
    save(session, scope=scope, rows=list(kept.values()), result=result)
    result.alerts = warnings.evaluate(session, scope=warnings.EVALUATOR, pack=pack).standing
    audit.record_file_import(
        session, scope=scope, action="industry.imported", path=path, detail=result.summary()
    )
    return result


def save(session: Session, *, scope: Scope, rows: list[Parsed], result: ImportResult) -> None:
    if not rows:
        return
    existing = {
        (row.series, row.region_code, row.period, row.source): row
        for row in session.scalars(
            scope.filter(select(Observation), Observation.region_code).where(
                Observation.series.in_({row.series for row in rows}),
                Observation.period.between(
                    min(r.period for r in rows), max(r.period for r in rows)
                ),
            )
        )
    }
    for row in rows:
        stored = existing.get(row.key)
        if stored is None:
            session.add(
                Observation(
                    series=row.series,
                    region_code=row.region_code,
                    period=row.period,
                    source=row.source,
                    value=row.value,
                )
            )
            result.imported += 1
        elif math.isclose(stored.value, row.value, rel_tol=1e-9, abs_tol=1e-12):
            result.unchanged += 1
        else:
            stored.value = row.value
            result.updated += 1
    session.flush()


def parse_row(
    known: Catalogue,
    regions: "RegionNames",
    scope: Scope,
    line: int,
    row: dict[str, str],
    header_unit: str,
) -> Parsed:
    def field_value(column: str, parse: Any) -> Any:
        try:
            return parse(row.get(column, ""))
        except InvalidValue as error:
            raise RowRefused(column, error) from None

    key, series = field_value("指标", known.series_named)
    day = field_value("日期", parse_day)
    region_code = field_value("区划", lambda text: regions.code_of(text, scope))
    number, written_unit = field_value("数值", split_value)
    unit = row.get("单位", "") or written_unit or header_unit
    key, series = known.in_unit(key, series, unit)
    factor = field_value("单位", lambda _: known.factor(series, unit))
    return Parsed(
        line=line,
        series=key,
        region_code=region_code,
        period=period_of(day, series.frequency),
        source=row.get("来源", "").strip()[:100],
        value=number * factor,
    )


@dataclass(frozen=True)
class RegionNames:
    """Regions of the city, districts and towns by name; any region by code."""

    by_name: dict[str, list[str]]
    by_code: frozenset[str]

    @classmethod
    def load(cls, session: Session) -> "RegionNames":
        by_name: dict[str, list[str]] = {}
        every: set[str] = set()
        for code, name, level in session.execute(select(Region.code, Region.name, Region.level)):
            every.add(code)
            if level <= codes.Level.TOWN:
                by_name.setdefault(fold(name), []).append(code)
        return cls(by_name, frozenset(every))

    def code_of(self, text: str, scope: Scope) -> str:
        value = fold(text)
        if not value:
            raise InvalidValue("区划为空")
        if value.isdigit():
            code = codes.normalise(value)
            if code not in self.by_code:
                raise InvalidValue("区划代码“{code}”不存在", code=text.strip())
        else:
            found = self.by_name.get(value) or ([codes.CITY_CODE] if value in CITY_NAMES else [])
            if not found:
                raise InvalidValue("区划“{name}”不存在，请填区划代码或区县名称", name=text.strip())
            if len(found) > 1:
                raise InvalidValue("区划名称“{name}”不止一处，请填区划代码", name=text.strip())
            code = found[0]
        if not scope.covers(code):
            raise InvalidValue("区划“{name}”不在您的管辖范围内", name=text.strip())
        return code


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str], str]]:
    """``(line, {column: text}, unit given in the value's header)`` for each non-empty row."""
    if not path.exists():
        raise InvalidValue("找不到文件“{path}”", path=str(path))
    suffix = path.suffix.lower()
    rows = xlsx_rows(path) if suffix in (".xlsx", ".xlsm") else csv_rows(path)
    rows = files.count_rows(rows, path.name)
    first: list[str] | None = None
    for line, values in enumerate(rows, start=1):
        if line > HEADER_SEARCH:
            break
        if not any(value.strip() for value in values):
            continue
        first = first or values
        positions, unit = header_positions(values)
        if all(name in positions for name in REQUIRED):
            yield from data_rows(rows, line, positions, unit)
            return
    if first is None:
        raise InvalidValue("文件“{name}”是空的", name=path.name)
    found, _ = header_positions(first)
    missing = "、".join(name for name in REQUIRED if name not in found)
    raise InvalidValue("文件“{name}”缺少列：{missing}", name=path.name, missing=missing)


def data_rows(
    rows: Iterator[list[str]], header_line: int, positions: dict[str, int], unit: str
) -> Iterator[tuple[int, dict[str, str], str]]:
    for line, values in enumerate(rows, start=header_line + 1):
        if not any(value.strip() for value in values):
            continue
        yield (
            line,
            {
                name: values[index].strip() if index < len(values) else ""
                for name, index in positions.items()
            },
            unit,
        )


def header_positions(header: list[str]) -> tuple[dict[str, int], str]:
    """Each column's index in ``header`` and the unit written in the value's header."""
    positions: dict[str, int] = {}
    value_unit = ""
    for index, text in enumerate(header):
        name, unit = split_unit(text)
        for column, aliases in COLUMNS.items():
            if column not in positions and name in {fold(alias) for alias in aliases}:
                positions[column] = index
                if column == "数值":
                    value_unit = unit
                break
    return positions, value_unit


VALUE_WITH_UNIT = re.compile(r"^\s*([-+]?[\d,，.]+)\s*([^\d.,，\s].*?)\s*$")


def split_value(text: str) -> tuple[float, str]:
    """A value and the unit written after it in the same cell (15.2元/公斤, 104.9%)."""
    folded = unicodedata.normalize("NFKC", text).strip()
    found = VALUE_WITH_UNIT.match(folded)
    if found:
        return parse_value(found.group(1)), found.group(2)
    return parse_value(text), ""


def split_unit(text: str) -> tuple[str, str]:
    """数值（元/斤） → (数值, 元/斤); a header without brackets has no unit."""
    folded = fold(text)
    bracketed = BRACKETED.match(folded)
    if bracketed:
        return bracketed.group(1), bracketed.group(2)
    return folded, ""
