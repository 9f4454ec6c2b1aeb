"""Deals recorded before the platform, imported from the workbooks the exchanges keep.

A row is one deal. A refused row is reported with its line, column and reason and the
others are kept; a project number already imported with the same content is left as it is,
and with other content is refused rather than overwritten, so importing a file twice
changes nothing and a corrected file never silently rewrites history.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core import clock
from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue
from yunong.core.parsing import fold, parse_amount, parse_date
from yunong.core.regions import codes
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.core.tabular import RowError, read_table
from yunong.exchange.models import Deal
from yunong.policy.schema import Exchange

COLUMNS: dict[str, tuple[str, ...]] = {
    "项目编号": ("项目编号", "交易编号", "项目编码"),
    "标的类型": ("标的类型", "交易品种", "标的物类型", "产权类型"),
    "区县": ("区县", "区（县）", "区县名称"),
    "乡镇": ("乡镇", "乡镇（街道）", "乡镇街道"),
    "坐落": ("坐落", "坐落位置", "标的坐落"),
    "面积(亩)": ("面积(亩)", "面积", "流转面积(亩)", "成交面积(亩)"),
    "流转期限(年)": ("流转期限(年)", "流转期限", "期限(年)"),
    "地类": ("地类", "土地类别", "地类名称"),
    "成交价(元)": ("成交价(元)", "成交价", "成交金额(元)", "成交价格(元)"),
    "成交日期": ("成交日期", "成交时间"),
    "买受方": ("买受方", "受让方", "竞得人"),
}
REQUIRED = ("项目编号", "标的类型", "区县", "面积(亩)", "流转期限(年)", "成交价(元)", "成交日期")
COMPARED = (
    "kind",
    "region_code",
    "town",
    "location",
    "area_mu",
    "term_years",
    "land_class",
    "price_yuan",
    "deal_date",
    "buyer",
)
"""The fields a deal already imported must match for a row to count as unchanged."""
FIELD_COLUMNS = {
    "kind": "标的类型",
    "region_code": "区县",
    "town": "乡镇",
    "location": "坐落",
    "area_mu": "面积(亩)",
    "term_years": "流转期限(年)",
    "land_class": "地类",
    "price_yuan": "成交价(元)",
    "deal_date": "成交日期",
    "buyer": "买受方",
}


@dataclass
class ImportResult:
    imported: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "deals": {
                "imported": self.imported,
                "unchanged": self.unchanged,
                "rejected": self.rejected,
            },
            "errors": [
                {"row": error.line, "reason": f"{error.column}：{error.reason}"}
                for error in self.errors
            ],
        }

    def summary(self) -> str:
        return f"新增 {self.imported}，未变 {self.unchanged}，拒绝 {self.rejected}"


class RowRefused(Exception):
    def __init__(self, column: str, reason: str) -> None:
        self.column = column
        self.reason = reason


def import_file(session: Session, *, scope: Scope, path: Path, rules: Exchange) -> ImportResult:
    """Import the deals of ``path`` inside the caller's scope."""
    scope.check_write(scope.region_code, "区划")
    places = Places.load(session)
    result = ImportResult()
    parsed: dict[str, tuple[int, dict[str, Any]]] = {}
    for line, row in read_table(path, COLUMNS, REQUIRED):
        try:
            values = parse_row(row, rules=rules, places=places, scope=scope)
            earlier = parsed.get(values["project_code"])
            if earlier is not None:
                raise RowRefused("项目编号", f"与第 {earlier[0]} 行的项目编号相同")
        except RowRefused as refused:
            result.errors.append(RowError(line, refused.column, refused.reason))
            continue
        parsed[values["project_code"]] = (line, values)
    save(session, scope=scope, rows=parsed, result=result)
    result.rejected = len({error.line for error in result.errors})
    result.errors.sort(key=lambda error: error.line)
    audit.record_file_import(
        session, scope=scope, action="exchange.deals_imported", path=path, detail=result.summary()
    )
    return result


def save(
    session: Session,
    *,
    scope: Scope,
    rows: dict[str, tuple[int, dict[str, Any]]],
    result: ImportResult,
) -> None:
    """Add the new deals; count the ones already there, refusing those whose content differs.

    Project numbers are unique across the city, so a number imported by another district is
    looked up too: its row is refused without saying what the other district recorded."""
    if not rows:
        return
    stored = {
        deal.project_code: deal
        for deal in session.scalars(select(Deal).where(Deal.project_code.in_(list(rows))))
    }
    for code, (line, values) in rows.items():
        deal = stored.get(code)
        if deal is None:
            session.add(Deal(**values, source="import"))
            result.imported += 1
            continue
        if not scope.covers(deal.region_code):
            reason = f"项目编号“{code}”已由其他区县导入"
            result.errors.append(RowError(line, "项目编号", reason))
            continue
        differing = [
            FIELD_COLUMNS[name] for name in COMPARED if getattr(deal, name) != values[name]
        ]
        if differing:
            reason = "项目编号“{code}”已导入，以下内容与已有记录不同：{fields}".format(
                code=code, fields="、".join(differing)
            )
            result.errors.append(RowError(line, "项目编号", reason))
        else:
            result.unchanged += 1
    session.flush()


def parse_row(
    row: dict[str, str], *, rules: Exchange, places: "Places", scope: Scope
) -> dict[str, Any]:
    """The deal a row describes, or RowRefused naming the first column that is wrong."""

    def value_of(column: str, parse: Any) -> Any:
        try:
            return parse(row.get(column, ""))
        except InvalidValue as error:
            raise RowRefused(column, error.message) from None

    project_code = value_of("项目编号", lambda text: bounded_text(text, 40, required=True))
    kind = value_of("标的类型", lambda text: kind_of(text, rules))
    district = value_of("区县", lambda text: places.district_of(text, scope))
    town_name = value_of("乡镇", lambda text: bounded_text(text, 40))
    area = value_of("面积(亩)", parse_area)
    termless = rules.kinds[kind].termless
    term = value_of("流转期限(年)", lambda text: parse_term(text, rules, termless=termless))
    price = value_of("成交价(元)", parse_price)
    deal_date = value_of("成交日期", parse_deal_date)
    return {
        "project_code": project_code,
        "kind": kind,
        "region_code": places.town_of(district, town_name) or district,
        "town": town_name,
        "location": value_of("坐落", lambda text: bounded_text(text, 200)),
        "area_mu": area,
        "term_years": term,
        "land_class": value_of("地类", lambda text: bounded_text(text, 20)) or None,
        "price_yuan": price,
        "deal_date": deal_date,
        "buyer": value_of("买受方", lambda text: bounded_text(text, 100)),
    }


def bounded_text(text: str, limit: int, *, required: bool = False) -> str:
    value = fold(text)
    if required and not value:
        raise InvalidValue("不能为空")
    if len(value) > limit:
        raise InvalidValue("超过 {limit} 个字", limit=limit)
    return value


def kind_of(text: str, rules: Exchange) -> str:
    """The pack's key of the kind a file names, by its name or one of its other spellings."""
    value = re.sub(r"\s", "", fold(text))
    if not value:
        raise InvalidValue("不能为空")
    for key, kind in rules.kinds.items():
        if value in (kind.name, *kind.aliases):
            return key
    names = "、".join(kind.name for kind in rules.kinds.values())
    raise InvalidValue("标的类型“{kind}”不在策略包的类型中（{names}）", kind=value, names=names)


def parse_area(text: str) -> Decimal:
    value = number(text, unit="亩", what="面积")
    if value <= 0:
        raise InvalidValue("面积应大于 0")
    return value.quantize(Decimal("0.0001"))


def parse_term(text: str, rules: Exchange, *, termless: bool) -> int | None:
    """Whole years; may be empty only for a kind sold outright, such as 地票."""
    if not fold(text):
        if termless:
            return None
        raise InvalidValue("不能为空")
    years = number(text, unit="年", what="流转期限")
    if years != years.to_integral_value():
        raise InvalidValue("流转期限“{text}”应为整年数", text=fold(text))
    if not 0 < years <= rules.max_term_years:
        raise InvalidValue(
            "流转期限应在 1 至 {limit} 年之间，而不是 {years}",
            limit=rules.max_term_years,
            years=int(years),
        )
    return int(years)


def parse_price(text: str) -> Decimal:
    price = parse_amount(text)
    if price is None:
        raise InvalidValue("不能为空")
    if price <= 0:
        raise InvalidValue("成交价应大于 0")
    return price


def parse_deal_date(text: str) -> date:
    if not fold(text):
        raise InvalidValue("不能为空")
    day = parse_date(text)
    if day > clock.today():
        raise InvalidValue("成交日期 {day} 晚于今天", day=day.isoformat())
    return day


def number(text: str, *, unit: str, what: str) -> Decimal:
    """A plain number, with thousands separators and the unit after it allowed."""
    value = re.sub(r"[,，\s]", "", fold(text)).removesuffix(unit)
    if not value:
        raise InvalidValue("不能为空")
    try:
        parsed = Decimal(value)
    except InvalidOperation:
        raise InvalidValue("{what}“{text}”不是数字", what=what, text=fold(text)) from None
    if not parsed.is_finite():
        raise InvalidValue("{what}“{text}”不是数字", what=what, text=fold(text))
    return parsed


@dataclass(frozen=True)
class Places:
    """The districts by name and code, and the towns of each district by name."""

    districts: dict[str, str]
    towns: dict[tuple[str, str], str]

    @classmethod
    def load(cls, session: Session) -> "Places":
        districts: dict[str, str] = {}
        towns: dict[tuple[str, str], str] = {}
        query = select(Region.code, Region.name, Region.level, Region.parent_code).where(
            Region.level.in_((int(codes.Level.DISTRICT), int(codes.Level.TOWN)))
        )
        for code, name, level, parent in session.execute(query):
            if level == codes.Level.DISTRICT:
                districts[fold(name)] = code
                districts[code] = code
            elif parent is not None:
                towns[(parent, fold(name))] = code
        return cls(districts, towns)

    def district_of(self, text: str, scope: Scope) -> str:
        value = fold(text)
        if not value:
            raise InvalidValue("不能为空")
        code = self.districts.get(codes.normalise(value) if value.isdigit() else value)
        if code is None:
            raise InvalidValue("区县“{name}”不存在，请填区县名称或代码", name=value)
        if not scope.covers(code):
            raise InvalidValue("区县“{name}”不在您的管辖范围内", name=value)
        return code

    def town_of(self, district: str, name: str) -> str | None:
        """The town's code when the district has a town of that name; a name the registry
        does not know (a merged or renamed town) is kept as text under the district."""
        return self.towns.get((district, name)) if name else None
