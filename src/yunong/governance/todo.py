"""The matters waiting on one user (待办): 大事 on the town's officers, 小事 on the village's
cadres and the town, until closed; matters from the public page on the village's cadres,
until classed."""

from datetime import date, timedelta

from sqlalchemy.orm import Session

from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.core.todo import ITEMS_SHOWN, Item, Todo
from yunong.governance import matters, points

APPLICATION = "governance"
CLOSE = timedelta(days=2)


def todo(session: Session, scope: Scope, today: date | None = None) -> list[Todo]:
    if scope.role is None or not scope.can_write:
        return []
    role = Role(scope.role)
    today = today or date.today()
    waiting = [
        matter
        for matter in matters.waiting(session, scope=scope)
        if role in matters.CLOSERS[matter.kind]
    ]
    items = [
        Item(
            matter.text[:20],
            f"/governance/matters/{matter.number}",
            matter.reported_on,
            matter.due_on,
            "red"
            if matter.due_on < today
            else "yellow"
            if matter.due_on - today <= CLOSE
            else "green",
        )
        for matter in waiting[:ITEMS_SHOWN]
    ]
    found = [Todo(APPLICATION, "matter", "办理群众反映的事项", len(waiting), items)]
    if role is Role.VILLAGE_CADRE:
        unclassed = matters.waiting_class(session, scope=scope)
        found.append(
            Todo(
                APPLICATION,
                "class",
                "分类群众反映的事项",
                len(unclassed),
                [
                    Item(
                        matter.text[:20],
                        f"/governance/matters/{matter.number}",
                        matter.reported_on,
                        matter.due_on,
                        warning(matter.due_on, today),
                    )
                    for matter in unclassed[:ITEMS_SHOWN]
                ],
            )
        )
        total, entries = points.waiting_review(session, scope=scope, limit=ITEMS_SHOWN)
        found.append(
            Todo(
                APPLICATION,
                "points",
                "审核积分",
                total,
                [
                    Item(
                        f"{row.head} {row.entry.item_name}",
                        f"/governance/points#entry-{row.entry.id}",
                        row.entry.recorded_on,
                    )
                    for row in entries
                ],
            )
        )
    return found


def warning(due_on: date, today: date) -> str:
    if due_on < today:
        return "red"
    return "yellow" if due_on - today <= CLOSE else "green"
