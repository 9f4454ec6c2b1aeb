"""Load the shipped district list and import official statistical division code lists."""

from importlib import resources
from pathlib import Path
from typing import TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.errors import InvalidValue
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.core.tabular import ImportReport, RowError, read_table

COLUMNS = {
    "code": ("统计用区划代码", "区划代码", "代码", "code"),
    "name": ("名称", "name"),
    "parent": ("上级代码", "上级区划代码", "parent", "parent_code"),
    "level": ("级别", "层级", "level"),
    "urban_rural_class": ("城乡分类代码", "城乡分类", "urban_rural_class"),
}

DISTRICTS_FILE = resources.files("yunong.core.regions") / "data" / "chongqing_districts.csv"


def load_districts(session: Session) -> ImportReport:
    """Chongqing and its 38 county-level divisions (GB/T 2260), shipped with the package."""
    with resources.as_file(DISTRICTS_FILE) as path:
        return import_division_codes(session, path=path)


def import_division_codes(session: Session, *, path: Path) -> ImportReport:
    """Import a division code list (CSV: code, name, and parent or level).

    Rows are checked one by one; a bad row is reported with its line, column
    and reason, and the good rows are kept. Importing the same file again
    changes nothing.
    """
    report = ImportReport()
    existing = {region.code: region for region in session.scalars(select(Region))}
    rows = []
    for line, row in read_table(path, COLUMNS, required=("code", "name")):
        try:
            rows.append((line, parse_row(row)))
        except RowRefused as refused:
            report.errors.append(RowError(line, refused.column, refused.reason))
    # Parents first, so a file may list a village before its town.
    rows.sort(key=lambda item: item[1]["level"])
    for line, values in rows:
        parent = values["parent_code"]
        if parent is not None and parent not in existing:
            report.errors.append(RowError(line, "上级代码", f"上级区划 {parent} 不存在"))
            continue
        region = existing.get(values["code"])
        if region is None:
            existing[values["code"]] = region = Region(**values)
            session.add(region)
            report.inserted += 1
        elif any(getattr(region, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(region, key, value)
            report.updated += 1
        else:
            report.unchanged += 1
    session.flush()
    report.errors.sort(key=lambda error: error.line)
    return report


class RowRefused(Exception):
    def __init__(self, column: str, reason: str) -> None:
        self.column, self.reason = column, reason


class RegionValues(TypedDict):
    code: str
    name: str
    level: int
    parent_code: str | None
    urban_rural_class: str | None


def parse_row(row: dict[str, str]) -> RegionValues:
    try:
        code = codes.normalise(row["code"])
    except InvalidValue as error:
        raise RowRefused("代码", error.message) from None
    level = codes.level_of(code)
    name = row["name"]
    if not name:
        raise RowRefused("名称", "名称为空")
    if row.get("level"):
        try:
            stated = Level.from_name(row["level"])
        except InvalidValue as error:
            raise RowRefused("级别", error.message) from None
        if stated is not level:
            raise RowRefused("级别", f"代码 {code} 是{level.label}级，与所填“{row['level']}”不符")
    parent = codes.parent_of(code)
    if row.get("parent"):
        try:
            stated_parent = codes.normalise(row["parent"])
        except InvalidValue as error:
            raise RowRefused("上级代码", error.message) from None
        if stated_parent != parent:
            raise RowRefused("上级代码", f"代码 {code} 的上级应为 {parent}，所填为 {stated_parent}")
    urban_rural = row.get("urban_rural_class") or None
    if urban_rural is not None and not (len(urban_rural) == 3 and urban_rural.isdigit()):
        raise RowRefused("城乡分类代码", f"“{urban_rural}”应为 3 位数字")
    return RegionValues(
        code=code, name=name, level=int(level), parent_code=parent, urban_rural_class=urban_rural
    )
