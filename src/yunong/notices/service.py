"""Notices (通知公告): an office publishes a notice to its region; every user of the roles it is
for, bound inside the region, reads it, and the read is the receipt (签收).

Who may publish: the officers of a city, district or town (:data:`PUBLISHERS`), to the
region they are bound to. Who receives it: every enabled user of the chosen roles bound
inside that region. Who may open it: its recipients, and anybody whose scope holds the
region it went to (the offices that follow it up).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden, InvalidValue, NotFound
from yunong.core.regions import codes
from yunong.core.regions import service as regions
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.notices.models import Notice, NoticeAudience, NoticeReceipt
from yunong.store.base import utcnow

PUBLISHERS = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER})
ADDRESSED = tuple(role for role in Role if role != Role.FARMER)
"""The roles a notice may be sent to: the staff and partners who work on the platform, not
the households that use it for their own affairs."""
"""Roles that publish notices to their region; the others receive them."""
TITLE_LENGTH = 100
BODY_LENGTH = 4000
NOT_FOUND = "通知不存在或不在您的管辖范围内"
CHINA = timezone(timedelta(hours=8))


def today() -> date:
    """Today in China, whatever the server's zone: deadlines are Beijing days."""
    return datetime.now(CHINA).date()


def in_china(moment: datetime) -> datetime:
    """A stored time in Beijing time (SQLite keeps UTC times without their zone)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(CHINA)


def day_of(moment: datetime) -> date:
    """The Beijing day of a stored time."""
    return in_china(moment).date()


@dataclass(frozen=True)
class NoticeIn:
    """A notice as typed in the 发布通知 form; empty ``roles`` means every role."""

    title: str
    body: str
    roles: tuple[str, ...] = ()
    due_on: str = ""
    """签收期限 as typed (2024-12-31), or empty for none."""


class Refused(InvalidValue):
    """A notice refused as a whole, with one reason per field; nothing was published."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(
            "未发布：" + "；".join(f"【{name}】{reason}" for name, reason in errors.items())
        )
        self.errors = errors


@dataclass(frozen=True)
class Checked:
    title: str
    body: str
    roles: tuple[str, ...]
    due_on: date | None = None
    errors: dict[str, str] = field(default_factory=dict)


def may_publish(scope: Scope) -> bool:
    """Whether the caller is offered the 发布通知 form."""
    try:
        check_publisher(scope)
    except Forbidden:
        return False
    return True


def check_publisher(scope: Scope) -> None:
    """Officers of a city, district or town publish; command-line operators (no role) too."""
    if scope.role is None:
        return
    if not scope.can_write or Role(scope.role) not in PUBLISHERS:
        names = "、".join(role.label for role in Role if role in PUBLISHERS)
        raise Forbidden(f"通知公告由{names}发布，{Role(scope.role).label}不能发布")


def check_notice(notice_in: NoticeIn, today: date) -> Checked:
    """The notice's fields cleaned, and what is wrong with each, by its label."""
    errors: dict[str, str] = {}
    title = " ".join(notice_in.title.split())
    if not title:
        errors["标题"] = "请填写标题"
    elif len(title) > TITLE_LENGTH:
        errors["标题"] = f"最多 {TITLE_LENGTH} 个字，现有 {len(title)} 个字"
    body = notice_in.body.replace("\r\n", "\n").strip()
    if not body:
        errors["正文"] = "请填写正文"
    elif len(body) > BODY_LENGTH:
        errors["正文"] = f"最多 {BODY_LENGTH} 个字，现有 {len(body)} 个字"
    every_role: tuple[str, ...] = tuple(role.value for role in ADDRESSED)
    unknown = [role for role in notice_in.roles if role not in every_role]
    if unknown:
        shown = "、".join(role[:32] for role in unknown[:3])
        errors["接收角色"] = f"“{shown}”不是平台的角色"
    roles = tuple(role for role in every_role if role in notice_in.roles) or every_role
    due_on = None
    if notice_in.due_on.strip():
        try:
            due_on = date.fromisoformat(notice_in.due_on.strip())
        except ValueError:
            errors["签收期限"] = f"“{notice_in.due_on.strip()}”不是日期，应如 2024-12-31"
        else:
            if due_on < today:
                errors["签收期限"] = f"{due_on} 已经过去，应不早于今天（{today}）"
    return Checked(title, body, roles, due_on, errors)


def publish(session: Session, *, scope: Scope, notice_in: NoticeIn, today: date) -> Notice:
    """Publish the notice to the caller's region for the chosen roles; audited."""
    check_publisher(scope)
    checked = check_notice(notice_in, today)
    if checked.errors:
        raise Refused(checked.errors)
    notice = Notice(
        region_code=scope.region_code,
        title=checked.title,
        body=checked.body,
        due_on=checked.due_on,
        published_by=scope.actor,
        published_at=utcnow(),
    )
    session.add(notice)
    session.flush()
    session.add_all(NoticeAudience(notice_id=notice.id, role=role) for role in checked.roles)
    audit.record(
        session,
        scope=scope,
        action="notice.published",
        target_type="notice",
        target_id=notice.id,
        region_code=notice.region_code,
        after={"title": notice.title, "roles": ",".join(checked.roles)},
        detail=notice.title,
    )
    session.flush()
    return notice


def regions_above(region_code: str) -> list[str]:
    """The region and every region it lies in, up to the city: where notices to it come from."""
    found = [region_code]
    while (parent := codes.parent_of(found[-1])) is not None:
        found.append(parent)
    return found


def addressed(scope: Scope) -> ColumnElement[bool]:
    """Notices the caller receives: sent to their region or one above it, for their role."""
    if scope.role is None or scope.user_id is None:
        return Notice.id.is_(None)  # an operator receives nothing
    for_role = exists().where(
        NoticeAudience.notice_id == Notice.id, NoticeAudience.role == scope.role
    )
    return and_(Notice.region_code.in_(regions_above(scope.region_code)), for_role)


def visible(scope: Scope) -> ColumnElement[bool]:
    """Notices the caller may open: those they receive, and those sent inside their scope."""
    return or_(addressed(scope), scope.condition(Notice.region_code))


def unread(scope: Scope) -> ColumnElement[bool]:
    """No receipt of the caller's yet."""
    return ~exists().where(
        NoticeReceipt.notice_id == Notice.id, NoticeReceipt.user_id == scope.user_id
    )


def get(session: Session, *, scope: Scope, notice_id: int) -> Notice:
    notice = session.scalars(
        select(Notice).where(Notice.id == notice_id, visible(scope))
    ).one_or_none()
    if notice is None:
        raise NotFound(NOT_FOUND)
    return notice


def is_recipient(scope: Scope, notice: Notice, roles: list[str]) -> bool:
    return (
        scope.user_id is not None
        and scope.role in roles
        and notice.region_code in regions_above(scope.region_code)
    )


def region_of(session: Session, notice: Notice) -> Region:
    """The region the notice went to, which the caller was allowed to open it in."""
    return regions.get(session, code=notice.region_code)


def home_region(session: Session, scope: Scope) -> Region:
    """The region the caller publishes to: the one they are bound to."""
    return regions.get(session, code=scope.region_code)


def audience(session: Session, notice: Notice) -> list[str]:
    """The roles the notice is for, in the platform's order of roles."""
    chosen = set(
        session.scalars(select(NoticeAudience.role).where(NoticeAudience.notice_id == notice.id))
    )
    return [role.value for role in ADDRESSED if role.value in chosen]


@dataclass(frozen=True)
class Opened:
    """A notice as its page shows it to the caller."""

    notice: Notice
    roles: list[str]
    recipient: bool
    read_at: datetime | None
    """When the caller's receipt was recorded (this opening, or an earlier one), Beijing time."""
    first_read: bool
    """Whether this opening recorded the receipt."""


def open_notice(session: Session, *, scope: Scope, notice_id: int) -> Opened:
    """The notice, and the caller's receipt: recorded now if they receive it and had not
    opened it yet. Reading is the receipt, so a read-only role signs for it too."""
    notice = get(session, scope=scope, notice_id=notice_id)
    roles = audience(session, notice)
    if not is_recipient(scope, notice, roles):
        return Opened(notice, roles, False, None, False)
    receipt = session.get(NoticeReceipt, (notice.id, scope.user_id))
    if receipt is not None:
        return Opened(notice, roles, True, in_china(receipt.read_at), False)
    receipt = NoticeReceipt(notice_id=notice.id, user_id=scope.user_id, read_at=utcnow())
    session.add(receipt)
    session.flush()
    return Opened(notice, roles, True, in_china(receipt.read_at), True)
