"""Who has read a notice (签收情况): for the offices whose scope holds the region it went to.

The recipients are worked out when asked (every enabled user of the notice's roles bound
inside its region), so an account created after publishing receives it too. Names are
shown, never phones.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.auth.models import User
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden
from yunong.core.regions import codes
from yunong.core.regions import service as regions
from yunong.core.regions.codes import PREFIX_LENGTHS, Level
from yunong.core.scope import Scope
from yunong.notices import service
from yunong.notices.models import Notice, NoticeReceipt

UNREAD_SHOWN = 200
"""Names of those who have not read listed on the page; the count says how many in all."""


@dataclass(frozen=True)
class Recipient:
    name: str
    full_name: str
    role: str
    region_code: str
    read_at: datetime | None


@dataclass(frozen=True)
class RegionCount:
    """Recipients bound in one region just below the notice's (or in the notice's own)."""

    code: str
    name: str
    total: int
    read: int


@dataclass(frozen=True)
class Unread:
    name: str
    full_name: str
    role_label: str
    region_name: str


@dataclass(frozen=True)
class Receipts:
    total: int
    read: int
    by_region: list[RegionCount]
    unread: list[Unread]
    """The first :data:`UNREAD_SHOWN` who have not read it, by region and name."""


def may_follow(scope: Scope, notice: Notice) -> bool:
    """Whether the caller sees the receipts: an office (or operator) whose scope holds the
    region the notice went to."""
    return scope.covers(notice.region_code) and service.may_publish(scope)


def recipients(
    session: Session, *, scope: Scope, notice: Notice, roles: list[str]
) -> list[Recipient]:
    """Every enabled user of the notice's roles bound inside its region, with their receipt."""
    if not may_follow(scope, notice):
        raise Forbidden("只有发布单位及其上级可以查看签收情况")
    within = scope.narrowed_to(notice.region_code)
    query = within.filter(
        select(User.name, User.full_name, User.role, User.region_code, NoticeReceipt.read_at)
        .outerjoin(
            NoticeReceipt,
            (NoticeReceipt.user_id == User.id) & (NoticeReceipt.notice_id == notice.id),
        )
        .where(User.role.in_(roles), User.disabled.is_(False)),
        User.region_code,
    )
    return [Recipient(*row) for row in session.execute(query.order_by(User.region_code, User.name))]


def summarise(session: Session, *, scope: Scope, notice: Notice, roles: list[str]) -> Receipts:
    """How many of how many have read it, by region one level below the notice's, and who
    has not."""
    found = recipients(session, scope=scope, notice=notice, roles=roles)
    below = {
        region.code: region.name
        for region in regions.get_children(session, scope=scope, code=notice.region_code)
    }
    own = regions.get(session, code=notice.region_code)
    names = below | {own.code: own.name}
    counts: dict[str, list[int]] = {}
    for recipient in found:
        counted = counts.setdefault(part_of(notice.region_code, recipient.region_code), [0, 0])
        counted[0] += 1
        counted[1] += recipient.read_at is not None
    by_region = [
        RegionCount(code, names.get(code, code), total, read)
        for code, (total, read) in sorted(counts.items())
    ]
    waiting = [recipient for recipient in found if recipient.read_at is None]
    unread = [
        Unread(
            recipient.name,
            recipient.full_name,
            Role(recipient.role).label,
            names.get(part_of(notice.region_code, recipient.region_code), ""),
        )
        for recipient in waiting[:UNREAD_SHOWN]
    ]
    return Receipts(len(found), len(found) - len(waiting), by_region, unread)


def part_of(notice_region: str, region_code: str) -> str:
    """The region one level below ``notice_region`` that holds ``region_code`` (a user bound
    at the notice's own level counts under the notice's region)."""
    level = codes.level_of(notice_region)
    if level is Level.VILLAGE or region_code == notice_region:
        return notice_region
    length = PREFIX_LENGTHS[Level(level + 1)]
    return region_code[:length].ljust(12, "0")
