"""Department screening feeds (部门筛查预警): each row of a list keyed by 证件号码 is one Signal.

A person, a day and a kind make one signal: importing the same file again changes
nothing, and a row that disagrees with a signal already stored is reported, not applied.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue
from yunong.core.parsing import fold, parse_amount, parse_date
from yunong.core.scope import ReadOnly, Scope
from yunong.core.tabular import RowError, read_table, write_workbook
from yunong.core.validators import validate_resident_id
from yunong.monitor.models import Household, Person, Signal
from yunong.store.bulk import chunks

ID_HEADERS = ("证件号码", "身份证号码", "公民身份号码", "身份证号")
T = TypeVar("T")
Key = tuple[int | None, date, str]
"""Person id, signal date and signal kind: one signal per key within a source."""


@dataclass(frozen=True)
class Feed:
    """What one department's list looks like and how its rows become signals."""

    label: str
    date: str
    choice: str
    kinds: Mapping[str, str]
    """Accepted value of the ``choice`` column → ``Signal.kind``."""
    choice_note: str = ""
    aliases: Mapping[str, str] = field(default_factory=dict)
    amount: str | None = None
    total: str | None = None
    days: str | None = None
    detail_is_choice: bool = False
    layout: tuple[str, ...] = ("date", "choice")
    """The template's columns after 证件号码 and 姓名, in the order departments send them."""

    def columns(self) -> dict[str, tuple[str, ...]]:
        named = {"date": self.date, "choice": self.choice, "amount": self.amount}
        named |= {"total": self.total, "days": self.days}
        found = {"id_number": ID_HEADERS, "name": ("姓名",)}
        return found | {key: (named[key] or key,) for key in self.layout}

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(key for key in self.columns() if key not in ("name", "total"))

    @property
    def headers(self) -> list[str]:
        return [labels[0] for labels in self.columns().values()]


FEEDS: dict[str, Feed] = {
    "medical_insurance": Feed(
        label="医保报销",
        date="就诊日期",
        choice="类别",
        kinds={"疾病": "illness", "意外伤害": "accident"},
        aliases={"意外": "意外伤害", "因病": "疾病"},
        amount="个人自付（元）",
        total="医疗总费用（元）",
        layout=("date", "total", "amount", "choice"),
    ),
    "disaster": Feed(
        label="灾情名单",
        date="受灾日期",
        choice="灾害类型",
        kinds=dict.fromkeys(("洪涝", "干旱", "地质灾害", "风雹", "其他"), "disaster"),
        aliases={"洪水": "洪涝", "内涝": "洪涝", "旱灾": "干旱", "滑坡": "地质灾害"},
        amount="损失金额（元）",
        detail_is_choice=True,
        layout=("date", "choice", "amount"),
    ),
    "civil_affairs": Feed(
        label="民政救助",
        date="起始日期",
        choice="救助类别",
        kinds={"低保": "dibao", "特困": "tekun", "低保边缘": "dibao_edge", "临时救助": "temporary"},
        aliases={"特困供养": "特困", "低边": "低保边缘"},
        layout=("choice", "date"),
    ),
    "housing": Feed(
        label="住房安全等级",
        date="鉴定日期",
        choice="安全等级",
        kinds={"A": "grade_a", "B": "grade_b", "C": "grade_c", "D": "grade_d"},
        choice_note="A 级安全，B 级基本安全，C 级局部危险，D 级整体危险；写“C级”亦可。",
        aliases={f"{grade}级": grade for grade in "ABCD"},
    ),
    "water": Feed(
        label="饮水问题",
        date="发现日期",
        choice="问题",
        kinds={"断水": "cut", "水质": "quality", "水量": "quantity", "取水距离": "distance"},
        aliases={"水质不达标": "水质", "水量不足": "水量", "取水远": "取水距离"},
        days="持续天数",
        layout=("date", "choice", "days"),
    ),
    "employment": Feed(
        label="就业变化",
        date="变化日期",
        choice="变化",
        kinds={"失业": "unemployed", "返乡": "returned", "降薪": "pay_cut", "务工": "employed"},
        aliases={"就业": "务工", "再就业": "务工", "返乡回流": "返乡"},
    ),
}


@dataclass
class FeedReport:
    inserted: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "inserted": self.inserted,
            "unchanged": self.unchanged,
            "errors": [{"row": e.line, "field": e.column, "reason": e.reason} for e in self.errors],
        }


@dataclass(frozen=True)
class FeedRow:
    line: int
    id_number: str
    signal_date: date
    kind: str
    amount: Decimal | None
    days: int | None
    detail: str

    @property
    def values(self) -> tuple[Decimal | None, int | None, str]:
        return self.amount, self.days, self.detail


class Refused(Exception):
    """A bad value: ``args`` are the column and the reason."""


def get_feed(kind: str) -> tuple[str, Feed]:
    """The feed named by its key or its Chinese label; InvalidValue lists the kinds."""
    for key, feed in FEEDS.items():
        if kind.strip() in (key, feed.label):
            return key, feed
    known = "、".join(f"{key}（{feed.label}）" for key, feed in FEEDS.items())
    raise InvalidValue(f"未知的数据类别“{kind}”，应为：{known}")


def import_feed(session: Session, *, scope: Scope, kind: str, path: Path) -> FeedReport:
    """Add one signal per new row of a department list; see docs/monitor.md for the columns."""
    source, feed = get_feed(kind)
    if not scope.can_write:
        raise ReadOnly("您的角色只能查看，不能修改")
    report = FeedReport()
    rows = read_rows(feed, path, report.errors)
    owners = find_owners(session, scope, sorted({row.id_number for row in rows}))
    existing = existing_signals(session, source, sorted({pid for pid, _ in owners.values()}))
    pending: dict[Key, FeedRow] = {}
    for row in rows:
        if row.id_number not in owners:
            reason = f"证件号码 {row.id_number} 不在您管辖范围的农户花名册中"
            report.errors.append(RowError(row.line, ID_HEADERS[0], reason))
            continue
        key = (owners[row.id_number][0], row.signal_date, row.kind)
        conflict = compare(feed, row, existing.get(key), pending.get(key))
        if conflict is not None:
            report.errors.append(conflict)
        elif key in existing or key in pending:
            report.unchanged += 1
        else:
            pending[key] = row
    save(session, source, owners, pending)
    report.inserted = len(pending)
    report.errors.sort(key=lambda error: (error.line, error.column))
    audit.record_file_import(
        session,
        scope=scope,
        action="monitor.feed_import",
        path=path,
        detail=f"{source}（{feed.label}）：新增 {report.inserted}，未变 {report.unchanged}，"
        f"拒绝 {len(report.errors)}",
    )
    return report


def read_rows(feed: Feed, path: Path, errors: list[RowError]) -> list[FeedRow]:
    rows = []
    for line, row in read_table(path, feed.columns(), feed.required):
        try:
            rows.append(parse_row(feed, line, row))
        except Refused as refused:
            errors.append(RowError(line, *refused.args))
    return rows


def parse_row(feed: Feed, line: int, row: dict[str, str]) -> FeedRow:
    id_number = read_field(ID_HEADERS[0], row["id_number"], validate_resident_id)
    signal_date = read_field(feed.date, row["date"], parse_past_date)
    choice = read_choice(feed, row["choice"])
    amount = read_field(feed.amount, row["amount"], parse_amount) if feed.amount else None
    if feed.total and amount is not None and row.get("total", "").strip():
        total = read_field(feed.total, row["total"], parse_amount)
        if total is not None and amount > total:
            raise Refused(feed.total, f"个人自付 {amount} 元大于医疗总费用 {total} 元")
    days = read_field(feed.days, row["days"], parse_days) if feed.days else None
    detail = choice if feed.detail_is_choice else ""
    return FeedRow(line, id_number, signal_date, feed.kinds[choice], amount, days, detail)


def read_field(column: str, text: str, parse: Callable[[str], T]) -> T:
    if not fold(text):
        raise Refused(column, f"{column}为空")
    try:
        return parse(text)
    except InvalidValue as invalid:
        raise Refused(column, invalid.message) from None


def read_choice(feed: Feed, text: str) -> str:
    value = feed.aliases.get(key := fold(text).replace(" ", "").upper(), key)
    if value not in feed.kinds:
        shown = f"“{text.strip()}”" if text.strip() else "空白"
        accepted = "、".join(feed.kinds)
        raise Refused(feed.choice, f"{shown}不是可接受的{feed.choice}，应为 {accepted} 之一")
    return value


def parse_past_date(text: str) -> date:
    value = parse_date(text)
    if value > date.today():
        raise InvalidValue(f"日期 {value.isoformat()} 晚于今天")
    return value


def parse_days(text: str) -> int:
    value = fold(text).replace(" ", "").removesuffix("天")
    if not value.isdigit():
        raise InvalidValue(f"天数“{text.strip()}”应为不小于 0 的整数")
    return int(value)


def compare(
    feed: Feed, row: FeedRow, stored: tuple[Any, ...] | None, earlier: FeedRow | None
) -> RowError | None:
    """A refusal when the row disagrees with the signal stored or read earlier for its key."""
    column = feed.amount or feed.days or feed.choice
    day = row.signal_date.isoformat()
    if stored is not None and tuple(stored) != row.values:
        reason = f"{day} 的这条记录已导入（{describe(feed, stored)}），与本行不同，未改动"
        return RowError(row.line, column, reason)
    if stored is None and earlier is not None and earlier.values != row.values:
        reason = f"与第 {earlier.line} 行是同一人同一天的同类记录，但内容不同，请合并为一行"
        return RowError(row.line, column, reason)
    return None


def describe(feed: Feed, values: Sequence[Any]) -> str:
    amount, days, detail = values
    parts = [detail] if detail else []
    parts += [f"{amount} 元"] if amount is not None else []
    parts += [f"{days} 天"] if days is not None else []
    return "，".join(parts) or feed.label


def find_owners(session: Session, scope: Scope, numbers: list[str]) -> dict[str, tuple[int, int]]:
    """ID number → (person id, household id) for persons in households inside the scope."""
    owners: dict[str, tuple[int, int]] = {}
    for chunk in chunks(numbers):
        query = (
            select(Person.id_number, Person.id, Person.household_id)
            .join(Household, Household.id == Person.household_id)
            .where(Person.id_number.in_(chunk))
        )
        query = scope.filter(query, Household.village_code)
        owners |= {number: (pid, hid) for number, pid, hid in session.execute(query)}
    return owners


def existing_signals(
    session: Session, source: str, person_ids: list[int]
) -> dict[Key, tuple[Any, ...]]:
    found: dict[Key, tuple[Any, ...]] = {}
    for chunk in chunks(person_ids):
        query = select(Signal).where(Signal.source == source, Signal.person_id.in_(chunk))
        for signal in session.scalars(query):
            found[signal.person_id, signal.signal_date, signal.kind] = (
                signal.amount,
                signal.days,
                signal.detail,
            )
    return found


def save(
    session: Session,
    source: str,
    owners: dict[str, tuple[int, int]],
    rows: dict[Key, FeedRow],
) -> None:
    values = [
        {"household_id": owners[row.id_number][1], "person_id": person_id, "source": source}
        | {"year": row.signal_date.year, "kind": row.kind, "signal_date": row.signal_date}
        | {"amount": row.amount, "days": row.days, "detail": row.detail}
        for (person_id, _, _), row in rows.items()
    ]
    for chunk in chunks(values):
        session.execute(insert(Signal), list(chunk))


def write_template(kind: str, path: Path) -> None:
    """A blank xlsx for one feed: bold, frozen header row and a 说明 sheet on every column."""
    _, feed = get_feed(kind)
    notes = {
        "id_number": "必填。18 位公民身份号码，末位 x 大小写均可，全角数字、空格可自动识别。"
        "须是已导入农户花名册、在您管辖范围内的人员，否则该行被拒绝并列入错误清单。",
        "name": "选填，便于核对。系统只按证件号码匹配人员。",
        "date": "必填。如 2024-03-05、2024/3/5、2024年3月5日；不能晚于今天。",
        "choice": f"必填。填 {'、'.join(feed.kinds)} 之一。{feed.choice_note}",
        "total": "选填。单位元，写法同个人自付；填写时个人自付不能大于医疗总费用。",
        "amount": "必填。单位元；可写 12000、1.2万、3千、12,000 元；不能为负数。",
        "days": "必填。整数天数，问题仍在持续的填至今天数；可写 45 或 45天。",
    }
    columns = feed.columns()
    write_workbook(
        path, feed.headers, notes=[(columns[key][0], notes[key].strip()) for key in columns]
    )
