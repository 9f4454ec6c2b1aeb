"""Reported data sets: a unit fills a period's values, submits; the level above approves
(locking them) or returns them with a comment. Every change is audited.

States: ``draft`` → ``submitted`` → ``approved``; ``submitted`` → ``returned`` → ``submitted``.
Values can change only in ``draft`` and ``returned``. A unit reports for itself; any level
above it (the city for a district, the district for a town, the town for a village)
approves or returns.

Who does what is also a matter of role (see ``FILLERS``, ``SUBMITTERS``, ``APPROVERS``): a
unit's officers and its collective accountant type the figures in, only its officers send
them up, and only the officers of a level above approve or return them. Grid workers, bank
viewers and producers take no part.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.assess.catalogue import Item, item_map
from yunong.assess.models import DataSet, Value
from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.parsing import fold, parse_flag
from yunong.core.regions import codes
from yunong.core.regions import service as regions
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.core.tabular import RowError
from yunong.policy.schema import Pack
from yunong.store.base import utcnow

STATES = {
    "draft": "填报中",
    "submitted": "已报送待审核",
    "returned": "已退回",
    "approved": "已审核锁定",
}
EDITABLE = ("draft", "returned")
OFFICERS = frozenset(
    {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE}
)
FILLERS = OFFICERS | {Role.COLLECTIVE_ACCOUNTANT}
"""Roles that type a unit's figures in: its officers, and the accountant who keeps its books."""
SUBMITTERS = OFFICERS
"""Roles that answer for a unit's figures and send them up."""
APPROVERS = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER})
"""Roles that approve or return the figures of the units below them."""


class Refused(InvalidValue):
    """Values refused as a whole, one reason per row and field; nothing was saved."""

    def __init__(self, errors: list[RowError]) -> None:
        shown = "；".join(describe(error) for error in errors[:10])
        more = f"；另有 {len(errors) - 10} 处" if len(errors) > 10 else ""
        super().__init__(f"未保存，{len(errors)} 处有误：{shown}{more}")
        self.errors = errors


def describe(error: RowError) -> str:
    """A row error as shown: a form's fields have no line number."""
    return str(error) if error.line else f"【{error.column}】：{error.reason}"


class Locked(Conflict):
    """A change to values that are submitted or approved."""


@dataclass(frozen=True)
class Entry:
    """A value as typed: ``line`` names where it came from (a row of a file, or 0 for a form)."""

    item: str
    value: str
    unit: str = ""
    line: int = 0


@dataclass
class SaveReport:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def state_label(state: str) -> str:
    return STATES.get(state, state)


def find(session: Session, *, period: int, region_code: str) -> DataSet | None:
    return session.scalars(
        select(DataSet).where(DataSet.period == period, DataSet.region_code == region_code)
    ).one_or_none()


def get(session: Session, *, scope: Scope, period: int, region_code: str) -> DataSet | None:
    """The unit's data set for the period (None when nothing was entered yet)."""
    code = codes.normalise(region_code)
    scope.check_read(code, f"{period} 年“{region_code}”的填报")
    regions.get(session, code=code)
    return find(session, period=period, region_code=code)


def get_all(
    session: Session, *, scope: Scope, period: int, level: Level | None = None
) -> list[DataSet]:
    """Data sets of the period inside the caller's scope, by region code."""
    query = scope.filter(select(DataSet).where(DataSet.period == period), DataSet.region_code)
    found = list(session.scalars(query.order_by(DataSet.region_code)))
    if level is None:
        return found
    return [data_set for data_set in found if codes.level_of(data_set.region_code) == level]


def values_of(session: Session, data_set: DataSet | None) -> dict[str, Decimal]:
    if data_set is None:
        return {}
    rows = session.scalars(select(Value).where(Value.data_set_id == data_set.id))
    return {row.item: row.value for row in rows}


def check_role(scope: Scope, roles: frozenset[Role], action: str) -> None:
    """Refuse unless the caller holds one of ``roles``; command-line operators (no role)
    may do everything."""
    if scope.role is None or Role(scope.role) in roles:
        return
    names = "、".join(role.label for role in Role if role in roles)
    raise Forbidden(
        "{action}考核数据由{names}办理，{role}不能办理",
        action=action,
        names=names,
        role=Role(scope.role).label,
    )


def check_own_unit(scope: Scope, region_code: str) -> None:
    if scope.role is not None and scope.region_code != region_code:
        raise Forbidden("只有本级单位可以填报和报送本级数据，上级单位负责审核")


def check_reporter(scope: Scope, region_code: str) -> None:
    """Whether the caller may fill in (type or upload) the unit's values: a filler of the
    unit itself."""
    scope.check_write(region_code, "填报单位")
    check_role(scope, FILLERS, "填报")
    check_own_unit(scope, region_code)


def check_submitter(scope: Scope, region_code: str) -> None:
    """Whether the caller may send the unit's values up: an officer of the unit itself."""
    scope.check_write(region_code, "填报单位")
    check_role(scope, SUBMITTERS, "报送")
    check_own_unit(scope, region_code)


def check_approver(scope: Scope, region_code: str) -> None:
    """An officer of the level above the unit (or higher) approves or returns; nobody
    approves their own data."""
    scope.check_write(region_code, "填报单位")
    check_role(scope, APPROVERS, "审核或退回")
    if region_code == codes.CITY_CODE:
        return  # the top of the hierarchy approves its own figures, as in DHIS2
    if scope.region_code == region_code or not codes.level_of(scope.region_code) < codes.level_of(
        region_code
    ):
        raise Forbidden("只有上级单位可以审核或退回本级报送的数据")


def allows(check: Callable[[Scope, str], None], scope: Scope, region_code: str) -> bool:
    """Whether ``check`` lets the caller act on the unit: which buttons a page shows."""
    try:
        check(scope, region_code)
    except (Forbidden, NotFound):
        return False
    return True


def parse_value(item: Item, entry: Entry) -> tuple[Decimal | None, RowError | None]:
    """The entry's value checked against the item's unit and valid range."""
    field = item.name
    given_unit = fold(entry.unit).replace("％", "%")
    if given_unit and given_unit != fold(item.unit):
        return None, RowError(entry.line, field, f"单位应为“{item.unit}”，不是“{entry.unit}”")
    text = fold(entry.value).replace(",", "").replace("，", "")
    if not text:
        return None, None
    if item.is_flag:
        try:
            return Decimal(int(parse_flag(text))), None
        except InvalidValue as error:
            return None, RowError(entry.line, field, error.message)
    if item.unit == "%":
        text = text.removesuffix("%")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, RowError(entry.line, field, f"“{entry.value}”不是数字")
    if not number.is_finite():
        return None, RowError(entry.line, field, f"“{entry.value}”不是数字")
    low, high = item.valid
    if not low <= number <= high:
        return None, RowError(
            entry.line, field, f"{number:f} 不在有效范围 {low:g}—{high:g}（{item.unit}）内"
        )
    return number.quantize(Decimal("0.0001")), None


def check_values(
    pack: Pack, period: int, region_code: str, entries: Iterable[Entry]
) -> dict[str, Decimal]:
    """Every entry parsed, or :class:`Refused` naming each bad one."""
    known = item_map(pack, codes.level_of(region_code), period, region_code)
    parsed: dict[str, Decimal] = {}
    errors: list[RowError] = []
    for entry in entries:
        item = known.get(entry.item.strip())
        if item is None:
            errors.append(RowError(entry.line, "指标标识", f"“{entry.item}”不是本表的指标"))
            continue
        value, error = parse_value(item, entry)
        if error is not None:
            errors.append(error)
        elif value is not None:
            if item.key in parsed and parsed[item.key] != value:
                errors.append(RowError(entry.line, item.name, "同一指标填了两个不同的数值"))
            parsed[item.key] = value
    if errors:
        raise Refused(errors)
    return parsed


def editable(data_set: DataSet) -> None:
    if data_set.state not in EDITABLE:
        raise Locked(
            f"{data_set.period} 年的数据{state_label(data_set.state)}，不能修改"
            + ("；如需修改，请上级单位退回" if data_set.state == "submitted" else "")
        )


def save(
    session: Session,
    *,
    scope: Scope,
    pack: Pack,
    period: int,
    region_code: str,
    entries: Iterable[Entry],
) -> SaveReport:
    """Check every entry and save them all, or none (:class:`Refused`). Saving the same
    values again changes nothing."""
    code = codes.normalise(region_code)
    check_reporter(scope, code)
    regions.get(session, code=code)
    data_set = find(session, period=period, region_code=code)
    if data_set is not None:
        editable(data_set)
    parsed = check_values(pack, period, code, entries)
    if data_set is None:
        data_set = DataSet(period=period, region_code=code, state="draft", updated_by=scope.actor)
        session.add(data_set)
        session.flush()
    existing = {
        row.item: row
        for row in session.scalars(select(Value).where(Value.data_set_id == data_set.id))
    }
    before = {key: str(row.value) for key, row in existing.items()}
    report = SaveReport()
    for key, value in parsed.items():
        row = existing.get(key)
        if row is None:
            session.add(Value(data_set_id=data_set.id, item=key, value=value))
            report.inserted += 1
        elif row.value != value:
            row.value = value
            report.updated += 1
        else:
            report.unchanged += 1
    if report.inserted or report.updated:
        data_set.updated_by = scope.actor
        data_set.updated_at = utcnow()
        session.flush()
        after = before | {key: str(value) for key, value in parsed.items()}
        record(session, scope, data_set, "assess.values.saved", before=before, after=after)
    return report


def require(session: Session, period: int, region_code: str) -> DataSet:
    data_set = find(session, period=period, region_code=region_code)
    if data_set is None:
        raise InvalidValue(f"{period} 年“{region_code}”还没有填报数据")
    return data_set


def submit(session: Session, *, scope: Scope, pack: Pack, period: int, region_code: str) -> DataSet:
    """Send the values up for approval; every required item must be filled."""
    code = codes.normalise(region_code)
    check_submitter(scope, code)
    data_set = require(session, period, code)
    editable(data_set)
    missing = missing_items(session, pack, data_set)
    if missing:
        raise InvalidValue(
            "还有 {count} 项未填：{names}", count=len(missing), names="、".join(missing[:10])
        )
    return change_state(session, scope, data_set, "submitted", "assess.submitted")


def missing_items(session: Session, pack: Pack, data_set: DataSet) -> list[str]:
    """The names of the required items the data set has no value for yet: it cannot be sent
    up before they are filled."""
    filled = values_of(session, data_set)
    code = data_set.region_code
    known = item_map(pack, codes.level_of(code), data_set.period, code)
    return [item.name for item in known.values() if item.required and item.key not in filled]


def approve(session: Session, *, scope: Scope, period: int, region_code: str) -> DataSet:
    """Approve submitted values; from now on they are locked and count in the scores."""
    code = codes.normalise(region_code)
    check_approver(scope, code)
    data_set = require(session, period, code)
    if data_set.state != "submitted":
        raise Conflict("只能审核已报送的数据，当前状态：{state}", state=state_label(data_set.state))
    return change_state(session, scope, data_set, "approved", "assess.approved")


def send_back(
    session: Session, *, scope: Scope, period: int, region_code: str, comment: str
) -> DataSet:
    """Return submitted values to the unit with the reason, so it can correct them."""
    code = codes.normalise(region_code)
    check_approver(scope, code)
    data_set = require(session, period, code)
    if data_set.state != "submitted":
        raise Conflict("只能退回已报送的数据，当前状态：{state}", state=state_label(data_set.state))
    reason = comment.strip()
    if not reason:
        raise InvalidValue("退回时请写明原因")
    data_set.comment = reason[:400]
    return change_state(session, scope, data_set, "returned", "assess.returned", detail=reason)


def change_state(
    session: Session, scope: Scope, data_set: DataSet, state: str, action: str, detail: str = ""
) -> DataSet:
    before = {"state": data_set.state}
    data_set.state = state
    now = utcnow()
    if state == "submitted":
        data_set.submitted_by, data_set.submitted_at = scope.actor, now
        data_set.comment = ""
    else:
        data_set.decided_by, data_set.decided_at = scope.actor, now
    session.flush()
    record(session, scope, data_set, action, before=before, after={"state": state}, detail=detail)
    return data_set


def record(
    session: Session,
    scope: Scope,
    data_set: DataSet,
    action: str,
    *,
    before: dict[str, str],
    after: dict[str, str],
    detail: str = "",
) -> None:
    audit.record(
        session,
        scope=scope,
        action=action,
        target_type="assess_data_set",
        target_id=data_set.id,
        region_code=data_set.region_code,
        before=before,
        after=after,
        detail=detail or f"{data_set.period} 年",
    )


def approved_values(
    session: Session, *, scope: Scope, period: int, keys: Iterable[str] | None = None
) -> dict[str, dict[str, float]]:
    """Approved values of the period for units inside the scope: {region code: {item: value}}."""
    query = scope.filter(
        select(DataSet.region_code, Value.item, Value.value)
        .join(Value, Value.data_set_id == DataSet.id)
        .where(DataSet.period == period, DataSet.state == "approved"),
        DataSet.region_code,
    )
    if keys is not None:
        query = query.where(Value.item.in_(list(keys)))
    found: dict[str, dict[str, float]] = {}
    for code, item, value in session.execute(query):
        found.setdefault(code, {})[item] = float(value)
    return found
