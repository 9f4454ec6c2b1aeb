"""Read the registers districts keep (xlsx, or CSV in UTF-8 or GBK) the way they are written.

The header may sit below a title row; a header names its field with or without a unit in
brackets of either width (``透明度(cm)``, ``透明度（厘米）``, ``透明度``), and a unit in the
header converts the column (``面积（亩）``, ``水深(m)``). Cells may carry the unit too
(``30cm``). Dates come as Excel dates, Excel serial numbers or text (2024-03-04, 2024/3/4,
2024年3月4日).
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from yunong.core import files
from yunong.core.errors import InvalidValue
from yunong.core.parsing import fold, parse_date
from yunong.core.tabular import csv_rows, fold_header, xlsx_rows

HEADER_SEARCH = 10
"""Rows above the header (a title, a date line) looked through to find it."""
BRACKETS = re.compile(r"[(\[【].*?[)\]】]")
NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(.*)$")
EXCEL_EPOCH = date(1899, 12, 30)

# A unit, as written, and the factor to the stored unit of its kind.
LENGTH = {
    "cm": 1,
    "厘米": 1,
    "公分": 1,
    "m": 100,
    "米": 100,
    "mm": Decimal("0.1"),
    "毫米": Decimal("0.1"),
}
AREA = {
    "平方米": 1,
    "m2": 1,
    "m²": 1,
    "㎡": 1,
    "平米": 1,
    "亩": Decimal(10000) / 15,
    "公顷": 10000,
    "hm2": 10000,
    "hm²": 10000,
}
CONCENTRATION = {"mg/l": 1, "毫克/升": 1, "mg/升": 1}
VOLUME_PER_DAY = {"m3/d": 1, "m³/d": 1, "吨/天": 1, "t/d": 1, "立方米/天": 1, "立方米/日": 1}
UNITS: dict[str, Mapping[str, object]] = {
    "length": LENGTH,
    "area": AREA,
    "concentration": CONCENTRATION,
    "flow": VOLUME_PER_DAY,
}


@dataclass(frozen=True)
class Column:
    """A field of a register: the headers it goes by, its unit kind (if a number)."""

    label: str
    """The header as the issue and the template write it."""
    names: tuple[str, ...]
    units: str | None = None
    required: bool = True


@dataclass(frozen=True)
class Found:
    index: int
    factor: Decimal | None
    """The header's unit converted to the stored unit; None when the header names none."""


class CellError(InvalidValue):
    """A refused cell: its column's label and the reason."""

    def __init__(self, column: Column, reason: str) -> None:
        super().__init__(reason)
        self.column = column


def base_name(header: str) -> tuple[str, str]:
    """(name, unit) of a header: ``透明度（cm）`` → (透明度, cm)."""
    folded = fold_header(header)
    units = re.findall(r"[(\[【](.*?)[)\]】]", folded)
    return BRACKETS.sub("", folded), (units[-1] if units else "")


def unit_factor(unit: str, kind: str | None) -> Decimal | None:
    if not unit or kind is None:
        return None
    table = UNITS[kind]
    key = unit.lower().replace(" ", "")
    if key in table:
        return Decimal(str(table[key]))
    return None


def unit_suffix(name: str, unit: str, kind: str | None) -> tuple[str, str]:
    """A unit written after the name without brackets (``透明度cm``) is the header's unit."""
    if unit or kind is None:
        return name, unit
    for written in sorted(UNITS[kind], key=len, reverse=True):
        if name.endswith(written.lower()) and len(name) > len(written):
            return name[: -len(written)].rstrip("/"), written
    return name, unit


def locate(header: list[str], columns: Mapping[str, Column]) -> dict[str, Found] | None:
    """Where each field is in ``header``; None when a required field is missing."""
    names = [base_name(text) for text in header]
    found: dict[str, Found] = {}
    for key, column in columns.items():
        wanted = {fold_header(name) for name in column.names}
        for index, (name, unit) in enumerate(names):
            name, unit = unit_suffix(name, unit, column.units)
            if name in wanted:
                found[key] = Found(index, unit_factor(unit, column.units))
                break
    if any(column.required and key not in found for key, column in columns.items()):
        return None
    return found


def read(
    path: Path, columns: Mapping[str, Column]
) -> Iterator[tuple[int, dict[str, tuple[str, Decimal | None]]]]:
    """Yield ``(line, {field: (text, unit factor)})`` for each non-empty row below the header.

    The header is the first of the top rows that names every required field; lines are
    counted as the spreadsheet shows them (the first row of the sheet is line 1).
    """
    if not path.exists():
        raise InvalidValue(f"找不到文件“{path}”")
    suffix = path.suffix.lower()
    rows = xlsx_rows(path) if suffix in (".xlsx", ".xlsm") else csv_rows(path)
    rows = files.count_rows(rows, path.name)
    found = None
    line = 0
    for line, values in enumerate(rows, start=1):
        found = locate(values, columns)
        if found is not None or line >= HEADER_SEARCH:
            break
    if found is None:
        missing = "、".join(column.label for column in columns.values() if column.required)
        raise InvalidValue(f"文件“{path.name}”找不到表头（应有列：{missing}）")
    for number, values in enumerate(rows, start=line + 1):
        if not any(value.strip() for value in values):
            continue
        yield (
            number,
            {
                key: (values[at.index].strip() if at.index < len(values) else "", at.factor)
                for key, at in found.items()
            },
        )


def text(column: Column, value: str, *, longest: int) -> str:
    cleaned = fold(value)
    if not cleaned and column.required:
        raise CellError(column, "不能为空")
    if len(cleaned) > longest:
        raise CellError(column, f"不能超过 {longest} 个字")
    return cleaned


def number(
    column: Column, value: str, factor: Decimal | None, *, required: bool = True
) -> Decimal | None:
    """A non-negative number in the column's stored unit; a unit in the cell converts it."""
    cleaned = fold(value).replace(",", "").replace("，", "")
    if not cleaned:
        if required:
            raise CellError(column, "不能为空")
        return None
    match = NUMBER.match(cleaned)
    if match is None:
        raise CellError(column, f"“{value.strip()}”不是数字")
    try:
        amount = Decimal(match.group(1))
    except InvalidOperation:
        raise CellError(column, f"“{value.strip()}”不是数字") from None
    unit = match.group(2).strip()
    if unit:
        cell_factor = unit_factor(unit, column.units)
        if cell_factor is None:
            raise CellError(column, f"“{value.strip()}”的单位无法识别")
        factor = cell_factor
    if amount < 0:
        raise CellError(column, f"“{value.strip()}”不能为负数")
    return amount * (factor if factor is not None else 1)


def day(column: Column, value: str, *, today: date) -> date:
    """A date from an Excel cell, an Excel serial number or text; not after ``today``."""
    cleaned = fold(value)
    if not cleaned:
        raise CellError(column, "不能为空")
    try:
        if re.fullmatch(r"\d{5}(\.0+)?", cleaned):
            found = EXCEL_EPOCH + timedelta(days=int(float(cleaned)))
        else:
            found = parse_date(cleaned.split("T")[0].split(" ")[0])
    except InvalidValue:
        raise CellError(column, f"日期“{value.strip()}”无法识别，应如 2024-03-04") from None
    if found > today:
        raise CellError(column, f"日期 {found.isoformat()} 晚于今天")
    return found
