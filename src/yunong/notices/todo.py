"""The notices waiting on one user (待办): those sent to them they have not opened yet.

A notice with a 签收期限 is to be signed for (签收通知), one without is to be read (阅读通知);
opening it is the receipt, so the item goes as soon as the notice's page is opened.
"""

from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from yunong.core.scope import Scope
from yunong.core.todo import ITEMS_SHOWN, Item, Todo
from yunong.notices import service
from yunong.notices.models import Notice

APPLICATION = "notices"
CLOSE = timedelta(days=2)
"""A deadline this near turns the item yellow."""


def todo(session: Session, scope: Scope) -> list[Todo]:
    if scope.user_id is None:
        return []
    waiting = select(Notice).where(service.addressed(scope), service.unread(scope))
    today = service.today()
    return [
        notice_list(
            session, waiting.where(Notice.due_on.is_not(None)), today,
            kind="sign", action="签收通知",
        ),
        notice_list(
            session, waiting.where(Notice.due_on.is_(None)), today, kind="read", action="阅读通知"
        ),
    ]  # fmt: skip


def notice_list(session: Session, query: Select, today: date, *, kind: str, action: str) -> Todo:
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    order = (Notice.due_on.asc().nulls_last(), Notice.published_at.desc(), Notice.id)
    notices = list(session.scalars(query.order_by(*order).limit(ITEMS_SHOWN)))
    items = [
        Item(
            subject=notice.title,
            link=f"/notices/{notice.id}",
            since=service.day_of(notice.published_at),
            due_on=notice.due_on,
            level=warning(notice.due_on, today),
        )
        for notice in notices
    ]
    return Todo(APPLICATION, kind, action, total, items)


def warning(due_on: date | None, today: date) -> str:
    if due_on is None:
        return ""
    if due_on < today:
        return "red"
    return "yellow" if due_on - today <= CLOSE else "green"
