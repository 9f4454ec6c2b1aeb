"""Notices for tests: published through the service by the world's accounts."""

from datetime import date

from sqlalchemy.orm import Session

from tests.factories import World
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.notices import service
from yunong.notices.models import Notice

TODAY = date(2024, 11, 18)
TITLE = "关于开展2024年防止返贫集中排查的通知"
BODY = "各乡镇、村：\n请于月底前完成集中排查，如实填写走访记录。"


def scope_of(session: Session, world: World, role: Role) -> Scope:
    """The scope a signed-in user of ``role`` in the world gets."""
    return users.scope_of(
        users.get(session, scope=Scope.system(), user_id=world.accounts[role].user_id)
    )


def published(
    session: Session,
    world: World,
    by: Role = Role.DISTRICT_OFFICER,
    *,
    roles: tuple[str, ...] = (),
    due_on: str = "2024-11-30",
    title: str = TITLE,
) -> Notice:
    notice_in = service.NoticeIn(title, BODY, roles, due_on)
    return service.publish(
        session, scope=scope_of(session, world, by), notice_in=notice_in, today=TODAY
    )
