"""Read the household workbooks villages keep (one row per person) into whole households.

A household is taken whole or not at all: any bad row refuses its household,
and the report names every refused row with its column and a Chinese reason.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from yunong.core.errors import InvalidValue
from yunong.core.parsing import fold, parse_amount, parse_flag
from yunong.core.regions import codes as region_codes
from yunong.core.regions.codes import Level
from yunong.core.tabular import RowError, read_table
from yunong.core.validators import validate_mobile, validate_resident_id

COLUMNS = {
    "village": ("行政区划代码", "区划代码", "村代码"),
    "number": ("户编号", "户号"),
    "name": ("姓名",),
    "id_number": ("证件号码", "身份证号码", "公民身份号码"),
    "relation": ("与户主关系",),
    "phone": ("联系电话", "手机号码"),
    "disabled": ("是否残疾",),
    "student": ("是否在校生",),
    "migrant": ("是否外出务工", "是否务工"),
    "income": ("家庭年纯收入（元）", "家庭年纯收入"),
    "medical": ("医疗自付费用（元）", "医疗自付费用"),
    "disaster": ("受灾情况",),
}
REQUIRED = ("village", "number", "name", "id_number", "relation")
HEAD_WORDS = {"户主", "本人"}
T = TypeVar("T")
DISASTER_LEVELS = {
    "轻微": "轻微",
    "轻度": "轻微",
    "一般": "一般",
    "中度": "一般",
    "严重": "严重",
    "重度": "严重",
}
NO_DISASTER = {"", "无", "否", "未受灾"}

NOTES = [
    ("行政区划代码", "必填。村的 12 位统计用区划代码，如 500101108201。"),
    ("户编号", "必填。本村内的户编号；同一户的成员填相同户编号。"),
    ("姓名", "必填。"),
    ("证件号码", "必填。18 位公民身份号码，末位 x 大小写均可，全角数字可自动识别。"),
    ("与户主关系", "必填。每户有且只有一行填“户主”（或“本人”），其他填配偶、子女、父母等。"),
    ("联系电话", "选填。11 位手机号，可带空格或短横线。"),
    ("是否残疾", "选填。是 / 否，空白视为否。"),
    ("是否在校生", "选填。是 / 否，空白视为否。"),
    ("是否外出务工", "选填。是 / 否，本年度在县外务工填“是”。"),
    ("家庭年纯收入（元）", "填在户主行。可写 12000、1.2万、1,2000 元；不能为负数。"),
    ("医疗自付费用（元）", "选填。本人本年度医疗费用中个人自付部分。"),
    ("受灾情况", "填在户主行。无 / 轻微 / 一般 / 严重。"),
]


def column_label(field_name: str) -> str:
    return COLUMNS[field_name][0]


@dataclass
class PersonRow:
    line: int
    name: str
    id_number: str
    relation: str
    phone: str | None
    disabled: bool
    student: bool
    migrant: bool
    medical: Decimal

    @property
    def is_head(self) -> bool:
        return self.relation in HEAD_WORDS

    @property
    def birth_date(self) -> date:
        return date(
            int(self.id_number[6:10]), int(self.id_number[10:12]), int(self.id_number[12:14])
        )


@dataclass
class HouseholdRows:
    village: str
    number: str
    persons: list[PersonRow] = field(default_factory=list)
    net_income: Decimal | None = None
    disaster: str | None = None
    lines: list[int] = field(default_factory=list)
    refused: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return self.village, self.number


@dataclass
class ReadResult:
    households: list[HouseholdRows]
    errors: list[RowError]
    rows: int


class Refused(Exception):
    def __init__(self, field_name: str, reason: str) -> None:
        self.field_name, self.reason = field_name, reason


def read_households(path: Path) -> ReadResult:
    """Every household in the file; refused ones carry ``refused`` and their rows' errors."""
    households: dict[tuple[str, str], HouseholdRows] = {}
    errors: list[RowError] = []
    rows = 0
    for line, row in read_table(path, COLUMNS, REQUIRED):
        rows += 1
        village, number = fold(row["village"]), fold(row["number"])
        household = households.setdefault((village, number), HouseholdRows(village, number))
        household.lines.append(line)
        try:
            if not is_village_code(village):
                raise Refused("village", f"“{village}”不是 12 位村级区划代码")
            if not number:
                raise Refused("number", "户编号为空")
            person = read_person(line, row)
            if person.is_head:
                household.net_income = read_field("income", row, parse_amount)
                household.disaster = read_disaster(row.get("disaster", ""))
            household.persons.append(person)
        except Refused as refused:
            household.refused = True
            errors.append(RowError(line, column_label(refused.field_name), refused.reason))
    found = list(households.values())
    errors += check_heads(found) + check_duplicates(found)
    errors.sort(key=lambda error: (error.line, error.column))
    return ReadResult(found, errors, rows)


def is_village_code(text: str) -> bool:
    return len(text) == 12 and text.isdigit() and region_codes.level_of(text) is Level.VILLAGE


def read_field(field_name: str, row: dict[str, str], parse: Callable[[str], T]) -> T:
    try:
        return parse(row.get(field_name, ""))
    except InvalidValue as invalid:
        raise Refused(field_name, invalid.message) from None


def read_person(line: int, row: dict[str, str]) -> PersonRow:
    name = fold(row["name"])
    if not name:
        raise Refused("name", "姓名为空")
    relation = fold(row["relation"])
    if not relation:
        raise Refused("relation", "与户主关系为空")
    phone_text = row.get("phone", "")
    return PersonRow(
        line=line,
        name=name,
        id_number=read_field("id_number", row, validate_resident_id),
        relation="户主" if relation in HEAD_WORDS else relation,
        phone=read_field("phone", row, validate_mobile) if fold(phone_text) else None,
        disabled=read_field("disabled", row, parse_flag),
        student=read_field("student", row, parse_flag),
        migrant=read_field("migrant", row, parse_flag),
        medical=read_field("medical", row, parse_amount) or Decimal(0),
    )


def read_disaster(text: str) -> str | None:
    value = fold(text)
    if value in NO_DISASTER:
        return None
    if value in DISASTER_LEVELS:
        return DISASTER_LEVELS[value]
    raise Refused("disaster", f"“{text.strip()}”应为 无、轻微、一般 或 严重")


def check_heads(households: list[HouseholdRows]) -> list[RowError]:
    errors = []
    for household in households:
        heads = [person for person in household.persons if person.is_head]
        if len(heads) == 1 or household.refused:
            continue
        household.refused = True
        line = heads[1].line if heads else household.lines[0]
        reason = (
            f"户编号 {household.number} 有 {len(heads)} 个户主"
            if heads
            else f"户编号 {household.number} 没有户主"
        )
        errors.append(RowError(line, column_label("relation"), reason))
    return errors


def check_duplicates(households: list[HouseholdRows]) -> list[RowError]:
    """An ID number in two households of one file refuses both; twice in one household, that one."""
    seen: dict[str, list[tuple[HouseholdRows, PersonRow]]] = defaultdict(list)
    for household in households:
        for person in household.persons:
            seen[person.id_number].append((household, person))
    errors = []
    for number, places in seen.items():
        if len(places) < 2:
            continue
        for household, person in places:
            household.refused = True
            other = next(p.line for _, p in places if p.line != person.line)
            errors.append(
                RowError(
                    person.line, column_label("id_number"), f"证件号码 {number} 与第 {other} 行重复"
                )
            )
    return errors


def companion_errors(households: list[HouseholdRows], errors: list[RowError]) -> list[RowError]:
    """The good rows of a refused household are refused too; say why on each of them."""
    named = {error.line for error in errors}
    return [
        RowError(
            line, column_label("number"), f"同户（户编号 {household.number}）其他行有误，整户未导入"
        )
        for household in households
        if household.refused
        for line in household.lines
        if line not in named
    ]
