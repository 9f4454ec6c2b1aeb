"""Points for good conduct (积分制): village rules as pack data, points recorded per household
with evidence, reviewed by the village, published month by month, and spent at the village
points shop.

- The items and their points are the pack's ``governance.points_items`` (defaults that each
  village sets by its 村规民约).
- A grid worker or a village cadre records an entry for a household: the item, a note and
  optionally a photo. It waits (``pending``) until a village cadre approves it or refuses it
  with a reason. Nothing unreviewed is public.
- Publishing a month books the approved entries recorded in that month into the ledger
  together (``published``); the public board of the village lists each household's published
  total, the head's name masked (张*华).
- The ledger is append-only: earned points, redemptions at the points shop, and reversing
  entries that correct either. A household's balance is the sum of its rows, so published
  earnings minus redemptions; a redemption beyond the balance is refused.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.governance import households
from yunong.governance.models import PointsEntry, PointsLedger
from yunong.monitor import households as monitor_households
from yunong.policy.schema import Governance, PointsItem
from yunong.store.base import utcnow

RECORDERS = frozenset({Role.GRID_WORKER, Role.VILLAGE_CADRE})
REVIEWERS = frozenset({Role.VILLAGE_CADRE})
"""The village reviews, publishes and keeps the points shop."""
STATE_LABELS = {
    "pending": "待审核",
    "approved": "已通过",
    "refused": "未通过",
    "published": "已公布",
}
LEDGER_LABELS = {"earned": "获得积分", "redeemed": "积分兑换", "reversal": "冲正"}
PUBLIC = Scope(actor="anonymous", region_code=region_codes.CITY_CODE, can_write=False)
"""Anyone reading a village's public board: published totals only."""


@dataclass
class EntryIn:
    household: str
    """全农码, or 户编号 of ``village``."""
    item: str
    """The item's key or name."""
    note: str = ""
    recorded_on: date | None = None
    village: str = ""


@dataclass(frozen=True)
class Balance:
    earned: int
    redeemed: int

    @property
    def balance(self) -> int:
        return self.earned - self.redeemed


def check_role(scope: Scope, allowed: frozenset[Role], message: str) -> None:
    if not scope.can_write or (scope.role is not None and Role(scope.role) not in allowed):
        raise Forbidden(message)


def item_of(rules: Governance, text: str) -> PointsItem:
    wanted = text.strip()
    for item in rules.points_items:
        if wanted in (item.key, item.name):
            return item
    raise InvalidValue("积分条目“{item}”不在本村的积分规则中", item=text)


def village_of(scope: Scope, village: str) -> str:
    """户编号 are numbered within a village: the one given, or the caller's own."""
    if village.strip():
        return region_codes.normalise(village.strip())
    return scope.region_code if len(scope.prefix) == 12 else ""


def record(
    session: Session,
    *,
    scope: Scope,
    rules: Governance,
    entry_in: EntryIn,
    photo: bytes | None = None,
) -> PointsEntry:
    """Record points for a household, waiting for the village's review."""
    household = households.find(
        session, scope=scope, key=entry_in.household, village=village_of(scope, entry_in.village)
    )
    check_role(scope, RECORDERS, "积分由网格员或村干部登记")
    scope.check_write(household.village_code, "农户")
    item = item_of(rules, entry_in.item)
    day = entry_in.recorded_on or date.today()
    if day > date.today():
        raise InvalidValue("登记日期不能晚于今天")
    note = entry_in.note.strip()
    if len(note) > 300:
        raise InvalidValue("说明不能超过 300 字")
    if not note and photo is None:
        raise InvalidValue("请写明事由或附上照片作为依据")
    entry = PointsEntry(
        village_code=household.village_code,
        household_id=household.id,
        item_key=item.key,
        item_name=item.name,
        points=item.points,
        note=note,
        photo=photo,
        recorded_on=day,
        recorded_by=scope.actor,
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="governance.points_record",
        target_type="governance_points_entry",
        target_id=entry.id,
        region_code=entry.village_code,
        detail=f"{household.code} {item.name} {item.points}",
    )
    return entry


def get_entry(session: Session, *, scope: Scope, entry_id: int) -> PointsEntry:
    entry = session.get(PointsEntry, entry_id)
    if entry is None or not scope.covers(entry.village_code):
        raise NotFound("没有这条积分记录")
    return entry


def review(
    session: Session, *, scope: Scope, entry_id: int, approve: bool, reason: str = ""
) -> PointsEntry:
    """Approve an entry, or refuse it with a reason."""
    entry = get_entry(session, scope=scope, entry_id=entry_id)
    check_role(scope, REVIEWERS, "积分由村干部审核")
    scope.check_write(entry.village_code, "积分记录")
    if entry.state != "pending":
        raise Conflict("这条积分记录已经审核过")
    reason = reason.strip()
    if not approve and not reason:
        raise InvalidValue("不通过时请写明理由")
    entry.state = "approved" if approve else "refused"
    entry.reviewed_by, entry.reviewed_at, entry.reason = scope.actor, utcnow(), reason[:200]
    audit.record(
        session,
        scope=scope,
        action="governance.points_review",
        target_type="governance_points_entry",
        target_id=entry.id,
        region_code=entry.village_code,
        detail=STATE_LABELS[entry.state],
    )
    return entry


def month_bounds(month: str) -> tuple[date, date]:
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except ValueError:
        raise InvalidValue("月份“{month}”应写作如 2024-05", month=month) from None
    return first, date(year + number // 12, number % 12 + 1, 1)


def publish(session: Session, *, scope: Scope, village: str, month: str) -> int:
    """Publish the approved entries of ``village`` recorded in ``month`` together: each is
    booked into the ledger. Returns how many were published."""
    region = regions.get_visible(session, scope=scope, code=village)
    if region_codes.level_of(region.code) is not region_codes.Level.VILLAGE:
        raise InvalidValue("积分按村公布，“{code}”不是村", code=village)
    check_role(scope, REVIEWERS, "积分由村干部公布")
    scope.check_write(region.code, "村")
    first, following = month_bounds(month)
    query = scope.filter(
        select(PointsEntry).where(
            PointsEntry.village_code == region.code,
            PointsEntry.state == "approved",
            PointsEntry.recorded_on >= first,
            PointsEntry.recorded_on < following,
        ),
        PointsEntry.village_code,
    )
    entries = list(session.scalars(query.order_by(PointsEntry.id)))
    for entry in entries:
        entry.state = "published"
        session.add(
            PointsLedger(
                village_code=entry.village_code,
                household_id=entry.household_id,
                kind="earned",
                points=entry.points,
                item=entry.item_name,
                entry_id=entry.id,
                month=f"{first:%Y-%m}",
                booked_on=date.today(),
                booked_by=scope.actor,
            )
        )
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="governance.points_publish",
        target_type="region",
        target_id=region.code,
        region_code=region.code,
        detail=f"{first:%Y-%m}：{len(entries)} 条",
    )
    return len(entries)


def balance_of(session: Session, *, scope: Scope, household_id: int) -> Balance:
    """Published earnings and redemptions (each with its reversals) of one household."""
    query = scope.filter(
        select(PointsLedger).where(PointsLedger.household_id == household_id),
        PointsLedger.village_code,
    )
    rows = list(session.scalars(query))
    kinds = {row.id: row.kind for row in rows}
    earned = redeemed = 0
    for row in rows:
        original = kinds.get(row.reverses_id or 0, "") if row.kind == "reversal" else row.kind
        if original == "earned":
            earned += row.points
        else:
            redeemed -= row.points
    return Balance(earned, redeemed)


def redeem(
    session: Session, *, scope: Scope, household: str, item: str, points: int, village: str = ""
) -> PointsLedger:
    """Take goods at the village points shop: the points leave the household's balance,
    which may not go below zero."""
    found = households.find(session, scope=scope, key=household, village=village_of(scope, village))
    check_role(scope, REVIEWERS, "积分兑换由村干部登记")
    scope.check_write(found.village_code, "农户")
    goods = item.strip()
    if not goods or len(goods) > 60:
        raise InvalidValue("兑换的物品应为 1 到 60 个字")
    if points <= 0:
        raise InvalidValue("兑换的积分应为正整数")
    held = balance_of(session, scope=scope, household_id=found.id).balance
    if points > held:
        raise InvalidValue(
            "积分不足：农户 {code} 现有 {held} 分，兑换“{goods}”需 {points} 分",
            code=found.code, held=held, goods=goods, points=points,
        )  # fmt: skip
    row = PointsLedger(
        village_code=found.village_code,
        household_id=found.id,
        kind="redeemed",
        points=-points,
        item=goods,
        booked_on=date.today(),
        booked_by=scope.actor,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="governance.points_redeem",
        target_type="governance_points_ledger",
        target_id=row.id,
        region_code=row.village_code,
        detail=f"{found.code} {goods} {points}",
    )
    return row


def reverse(
    session: Session, *, scope: Scope, ledger_id: int, note: str, household: str = ""
) -> PointsLedger:
    """Correct a ledger row by a reversing entry; the row itself stays as it was. With
    ``household`` (a household's code, as on its page) the row must be that household's."""
    row = session.get(PointsLedger, ledger_id)
    if row is None or not scope.covers(row.village_code):
        raise NotFound("台账中没有这一行")
    if household and households.find(session, scope=scope, key=household).id != row.household_id:
        raise NotFound("这户的台账中没有第 {id} 行", id=ledger_id)
    check_role(scope, REVIEWERS, "积分台账由村干部冲正")
    scope.check_write(row.village_code, "积分台账")
    if row.kind == "reversal":
        raise Conflict("冲正记录不能再冲正")
    reversed_already = select(PointsLedger.id).where(PointsLedger.reverses_id == row.id)
    if session.scalars(reversed_already).first() is not None:
        raise Conflict("台账第 {id} 行已冲正", id=row.id)
    if not note.strip():
        raise InvalidValue("请写明冲正的原因")
    held = balance_of(session, scope=scope, household_id=row.household_id).balance
    if held - row.points < 0:
        raise InvalidValue("冲正后积分余额将为负数，请先冲正相应的兑换")
    reversal = PointsLedger(
        village_code=row.village_code,
        household_id=row.household_id,
        kind="reversal",
        points=-row.points,
        item=row.item,
        reverses_id=row.id,
        month=row.month,
        booked_on=date.today(),
        booked_by=scope.actor,
        note=note.strip()[:200],
    )
    session.add(reversal)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="governance.points_reverse",
        target_type="governance_points_ledger",
        target_id=reversal.id,
        region_code=row.village_code,
        detail=f"冲正第 {row.id} 行",
    )
    return reversal


@dataclass(frozen=True)
class EntryRow:
    entry: PointsEntry
    household: str
    head: str


def waiting_review(
    session: Session, *, scope: Scope, limit: int = 200
) -> tuple[int, list[EntryRow]]:
    """Entries in scope waiting for review, oldest first: how many, and the first ``limit``."""
    query = scope.filter(
        select(PointsEntry).where(PointsEntry.state == "pending"), PointsEntry.village_code
    )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    entries = list(
        session.scalars(query.order_by(PointsEntry.recorded_on, PointsEntry.id).limit(limit))
    )
    return total, entry_rows(session, scope, entries)


def entry_rows(session: Session, scope: Scope, entries: list[PointsEntry]) -> list[EntryRow]:
    ids = [entry.household_id for entry in entries]
    found = households.get_many(session, scope=scope, household_ids=ids)
    heads = households.masked_heads(session, scope=scope, household_ids=ids)
    return [
        EntryRow(entry, found[entry.household_id].code, heads.get(entry.household_id, ""))
        for entry in entries
    ]


@dataclass(frozen=True)
class HouseholdPoints:
    code: str
    number: str
    village: str
    head: str
    balance: Balance
    ledger: list[PointsLedger]
    entries: list[PointsEntry]


def household_view(session: Session, *, scope: Scope, code: str) -> HouseholdPoints:
    found = households.find(session, scope=scope, key=code)
    ledger = session.scalars(
        scope.filter(
            select(PointsLedger).where(PointsLedger.household_id == found.id),
            PointsLedger.village_code,
        ).order_by(PointsLedger.id)
    )
    entries = session.scalars(
        scope.filter(
            select(PointsEntry).where(PointsEntry.household_id == found.id),
            PointsEntry.village_code,
        ).order_by(PointsEntry.recorded_on.desc(), PointsEntry.id.desc())
    )
    heads = households.masked_heads(session, scope=scope, household_ids=[found.id])
    return HouseholdPoints(
        found.code,
        found.number,
        regions.get(session, code=found.village_code).name,
        heads.get(found.id, ""),
        balance_of(session, scope=scope, household_id=found.id),
        list(ledger),
        list(entries),
    )


def photo_of(session: Session, *, scope: Scope, entry_id: int) -> bytes:
    entry = get_entry(session, scope=scope, entry_id=entry_id)
    if not entry.photo:
        raise NotFound("这条积分记录没有照片")
    # The photo may show people of the household: every view is recorded.
    audit.record(
        session,
        scope=scope,
        action="governance.points_photo_view",
        target_type="governance_points_entry",
        target_id=entry.id,
        region_code=entry.village_code,
    )
    return entry.photo


@dataclass(frozen=True)
class BoardRow:
    head: str
    """The head's name as the public sees it (张*华)."""
    number: str
    earned: int


@dataclass(frozen=True)
class Board:
    village: str
    months: list[str]
    rows: list[BoardRow]


def public_board(session: Session, *, scope: Scope, village: str) -> Board:
    """A village's published points: each household's published total (with corrections),
    the head's name masked; nothing that waits for review or was refused. ``scope`` is
    :data:`PUBLIC` for the public board."""
    try:
        scope = scope.narrowed_to(village)
    except InvalidValue:
        raise NotFound("没有这个村的积分公示") from None
    region = regions.get_visible(session, scope=scope, code=village)
    if region_codes.level_of(region.code) is not region_codes.Level.VILLAGE:
        raise NotFound("没有这个村的积分公示")
    earned = scope.filter(
        select(
            PointsLedger.id, PointsLedger.household_id, PointsLedger.points, PointsLedger.month
        ).where(PointsLedger.kind == "earned"),
        PointsLedger.village_code,
    )
    rows = session.execute(earned).tuples().all()
    corrections = scope.filter(
        select(PointsLedger.reverses_id, PointsLedger.points).where(
            PointsLedger.kind == "reversal"
        ),
        PointsLedger.village_code,
    )
    reversed_points = dict(session.execute(corrections).tuples().all())
    totals: dict[int, int] = defaultdict(int)
    for row_id, household_id, points, _month in rows:
        totals[household_id] += points + reversed_points.get(row_id, 0)
    ids = list(totals)
    names = monitor_households.head_names(session, scope=scope, household_ids=ids)
    found = households.get_many(session, scope=scope, household_ids=ids)
    board = [
        BoardRow(households.public_name(names.get(key, "")), found[key].number, total)
        for key, total in totals.items()
    ]
    board.sort(key=lambda row: (-row.earned, row.number))
    months = sorted({month for *_rest, month in rows}, reverse=True)
    return Board(region.name, months, board)


def villages_published(session: Session, *, scope: Scope, year: int) -> set[str]:
    """Villages in scope with at least one entry published in ``year``."""
    query = scope.filter(
        select(PointsLedger.village_code)
        .where(
            PointsLedger.kind == "earned",
            PointsLedger.month.between(f"{year}-01", f"{year}-12"),
        )
        .distinct(),
        PointsLedger.village_code,
    )
    return set(session.scalars(query))
