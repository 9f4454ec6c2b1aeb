"""三事分流: a matter reported by a resident or a grid worker is classed and routed.

- 大事 (``big``, government's business) goes to the village's town, to one sector of its
  command centre (the pack's ``governance.sectors``), and is closed by the town;
- 小事 (``small``, the village's and its groups' business) stays with the village, which
  closes it;
- 私事 (``private``, the household's own) is answered with guidance on the spot: it is closed
  when it is reported, the guidance being its feedback.

Each class has its time limit in the pack (``governance.matter_days``); a matter closed on or
before its due day is closed in time. The reporter's feedback is what the closing says.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.governance.models import Matter
from yunong.policy.schema import Governance

KIND_LABELS = {"big": "大事", "small": "小事", "private": "私事"}
KINDS_BY_LABEL = {label: kind for kind, label in KIND_LABELS.items()}
SOURCES = {"resident": "村民", "grid": "网格员"}
PENDING = "pending"
"""The class of a matter reported on the public page until the village classes it."""
CLASS_LABELS = KIND_LABELS | {PENDING: "待分类"}
CLOSERS = {
    "big": frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER}),
    "small": frozenset({Role.TOWN_OFFICER, Role.VILLAGE_CADRE}),
    "private": frozenset(),
    PENDING: frozenset(),
}
CLASSERS = frozenset({Role.TOWN_OFFICER, Role.VILLAGE_CADRE})


@dataclass
class MatterIn:
    village: str
    kind: str
    text: str
    reporter: str
    source: str = "grid"
    sector: str = ""
    guidance: str = ""
    reported_on: date | None = None


def kind_of(text: str) -> str:
    value = text.strip()
    if value in KIND_LABELS:
        return value
    if value in KINDS_BY_LABEL:
        return KINDS_BY_LABEL[value]
    raise InvalidValue("事项类别“{kind}”应为 大事、小事 或 私事", kind=text)


def report(session: Session, *, scope: Scope, rules: Governance, matter_in: MatterIn) -> Matter:
    """Record a matter and route it by its class."""
    village = regions.get_visible(session, scope=scope, code=matter_in.village)
    if region_codes.level_of(village.code) is not region_codes.Level.VILLAGE:
        raise InvalidValue("事项应登记到村")
    scope.check_write(village.code, "事项")
    kind = kind_of(matter_in.kind)
    text = matter_in.text.strip()
    if len(text) < 4:
        raise InvalidValue("请写明反映的事项（至少 4 个字）")
    if not matter_in.reporter.strip():
        raise InvalidValue("请写明反映人")
    if matter_in.source not in SOURCES:
        raise InvalidValue("反映渠道“{source}”应为 村民 或 网格员", source=matter_in.source)
    day = matter_in.reported_on or date.today()
    if day > date.today():
        raise InvalidValue("反映日期不能晚于今天")
    matter = Matter(
        number=f"TMP{village.code}{len(text)}",
        village_code=village.code,
        source=matter_in.source,
        reporter=matter_in.reporter.strip()[:40],
        text=text,
        reported_on=day,
    )
    route(matter, rules, kind, matter_in.sector, matter_in.guidance)
    session.add(matter)
    session.flush()
    # Numbered by its row id, so no other region's matters are read to number it.
    matter.number = f"SF{day.year}{matter.id:07d}"
    audit.record(
        session,
        scope=scope,
        action="governance.matter_report",
        target_type="governance_matter",
        target_id=matter.number,
        region_code=village.code,
        detail=KIND_LABELS[kind],
    )
    return matter


def route(matter: Matter, rules: Governance, kind: str, sector: str, guidance: str) -> None:
    """Class ``matter`` as ``kind`` and send it where 三事分流 sends it: a 大事 to a sector of
    the town's command centre, a 小事 to the village, a 私事 closed with guidance that day.
    Its due day counts from the day it was reported."""
    sector = sector.strip()
    if kind == "big" and sector not in rules.sectors:
        raise InvalidValue(
            "大事应分派到镇街指挥中心的板块：{sectors}", sectors="、".join(rules.sectors)
        )
    if kind == "private" and not guidance.strip():
        raise InvalidValue("私事由农户自己办理，请写明给出的指导意见")
    town = region_codes.parent_of(matter.village_code) or matter.village_code
    matter.kind = kind
    matter.handled_by = town if kind == "big" else matter.village_code
    matter.sector = sector if kind == "big" else ""
    matter.due_on = matter.reported_on + timedelta(days=rules.matter_days[kind])  # type: ignore[index]
    if kind == "private":
        matter.closed_on = matter.reported_on
        matter.feedback = guidance.strip()[:300]


def classify(
    session: Session,
    *,
    scope: Scope,
    rules: Governance,
    number: str,
    kind: str,
    sector: str = "",
    guidance: str = "",
) -> Matter:
    """Class a matter reported on the public page, which routes it (:func:`route`); a 私事
    is answered that day with the guidance."""
    matter = get(session, scope=scope, number=number)
    if not scope.can_write or (scope.role is not None and Role(scope.role) not in CLASSERS):
        raise Forbidden("群众反映的事项由村干部或乡镇干部分类")
    scope.check_write(matter.village_code, "事项")
    if matter.kind != PENDING:
        raise Conflict("事项 {number} 已分类", number=number)
    route(matter, rules, kind_of(kind), sector, guidance)
    if matter.kind == "private":
        matter.closed_on = date.today()
    audit.record(
        session,
        scope=scope,
        action="governance.matter_class",
        target_type="governance_matter",
        target_id=matter.number,
        region_code=matter.village_code,
        detail=KIND_LABELS[matter.kind],
    )
    return matter


def get(session: Session, *, scope: Scope, number: str) -> Matter:
    matter = session.scalars(select(Matter).where(Matter.number == number)).first()
    if matter is None or not scope.covers(matter.village_code):
        raise NotFound("没有编号为 {number} 的事项", number=number)
    return matter


def close(
    session: Session, *, scope: Scope, number: str, feedback: str, closed_on: date | None = None
) -> Matter:
    """Close a 大事 (the town) or a 小事 (the village) with the feedback the reporter gets."""
    matter = get(session, scope=scope, number=number)
    if matter.closed_on is not None:
        raise Conflict("事项 {number} 已办结", number=number)
    if matter.kind == PENDING:
        raise Conflict("事项 {number} 尚未分类，请先分类", number=number)
    allowed = CLOSERS[matter.kind]
    if not scope.can_write or (scope.role is not None and Role(scope.role) not in allowed):
        raise Forbidden(
            "{kind}由{who}办结", kind=KIND_LABELS[matter.kind],
            who="乡镇（街道）指挥中心" if matter.kind == "big" else "村",
        )  # fmt: skip
    if not scope.covers(matter.handled_by):
        raise Forbidden("事项 {number} 由其他单位办理", number=number)
    if not feedback.strip():
        raise InvalidValue("请写明办理结果，反馈给反映人")
    day = closed_on or date.today()
    if day < matter.reported_on or day > date.today():
        raise InvalidValue("办结日期应在反映日期与今天之间")
    matter.closed_on, matter.feedback = day, feedback.strip()[:300]
    audit.record(
        session,
        scope=scope,
        action="governance.matter_close",
        target_type="governance_matter",
        target_id=matter.number,
        region_code=matter.village_code,
    )
    return matter


@dataclass(frozen=True)
class ClassSummary:
    kind: str
    reported: int
    closed: int
    closed_in_time: int
    open: int
    overdue: int


def monthly_summary(
    session: Session, *, scope: Scope, town: str, month: str, today: date | None = None
) -> list[ClassSummary]:
    """A town's matters reported in ``month`` (YYYY-MM), by class: how many were reported,
    closed, closed in time, still open, and open past their due day (as of ``today``)."""
    region = regions.get_visible(session, scope=scope, code=town)
    if region_codes.level_of(region.code) is not region_codes.Level.TOWN:
        raise InvalidValue("“{code}”不是乡镇（街道）", code=town)
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except ValueError:
        raise InvalidValue("月份“{month}”应写作如 2024-05", month=month) from None
    following = date(year + number // 12, number % 12 + 1, 1)
    query = scope.narrowed_to(region.code).filter(
        select(Matter).where(Matter.reported_on >= first, Matter.reported_on < following),
        Matter.village_code,
    )
    found = list(session.scalars(query))
    today = today or date.today()
    summary = []
    for kind in KIND_LABELS:
        rows = [m for m in found if m.kind == kind]
        closed = [m for m in rows if m.closed_on is not None]
        summary.append(
            ClassSummary(
                kind,
                len(rows),
                len(closed),
                sum(1 for m in closed if m.closed_on is not None and m.closed_on <= m.due_on),
                len(rows) - len(closed),
                sum(1 for m in rows if m.closed_on is None and m.due_on < today),
            )
        )
    return summary


def waiting(session: Session, *, scope: Scope) -> list[Matter]:
    """Open matters the caller's region handles, oldest first."""
    query = scope.filter(
        select(Matter).where(Matter.closed_on.is_(None)), Matter.handled_by
    ).order_by(Matter.due_on, Matter.id)
    return list(session.scalars(query))


@dataclass(frozen=True)
class MatterView:
    matter: Matter
    village: str
    handled_by: str
    may_close: bool
    may_class: bool
    has_photo: bool


def view(session: Session, *, scope: Scope, number: str) -> MatterView:
    matter = get(session, scope=scope, number=number)
    may = (
        matter.closed_on is None
        and matter.kind != PENDING
        and scope.can_write
        and (scope.role is None or Role(scope.role) in CLOSERS[matter.kind])
        and scope.covers(matter.handled_by)
    )
    may_class = (
        matter.kind == PENDING
        and scope.can_write
        and (scope.role is None or Role(scope.role) in CLASSERS)
    )
    return MatterView(
        matter,
        regions.get(session, code=matter.village_code).name,
        regions.get(session, code=matter.handled_by).name,
        may,
        may_class,
        matter.photo is not None,
    )


def waiting_class(session: Session, *, scope: Scope) -> list[Matter]:
    """Matters from the public page in scope waiting to be classed, oldest first."""
    query = scope.filter(
        select(Matter).where(Matter.kind == PENDING), Matter.village_code
    ).order_by(Matter.reported_on, Matter.id)
    return list(session.scalars(query))


def photo_of(session: Session, *, scope: Scope, number: str) -> bytes:
    matter = get(session, scope=scope, number=number)
    if not matter.photo:
        raise NotFound("事项 {number} 没有照片", number=number)
    # The photo may show residents or their homes: every view is recorded.
    audit.record(
        session,
        scope=scope,
        action="governance.matter_photo_view",
        target_type="governance_matter",
        target_id=matter.number,
        region_code=matter.village_code,
    )
    return matter.photo
