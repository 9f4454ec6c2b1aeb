"""The 财务公开 work waiting on one user (待办): the 民主理财小组 approves the disclosures the
accountant generated; the accountant and the town's 经管站 see the quarters whose disclosure
is overdue."""

from datetime import date

from sqlalchemy.orm import Session

from yunong.collective import disclosure
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.core.todo import ITEMS_SHOWN, Item, Todo
from yunong.policy import loader

APPLICATION = "collective"
LATE_WATCHERS = frozenset({Role.COLLECTIVE_ACCOUNTANT.value, Role.TOWN_OFFICER.value})


def todo(session: Session, scope: Scope, today: date | None = None) -> list[Todo]:
    rules = loader.get().collective
    if rules is None or scope.role is None:
        return []
    today = today or date.today()
    if scope.role == Role.FINANCE_GROUP.value:
        waiting = [
            (item, org)
            for item, org in disclosure.get_waiting(session, scope=scope)
            if item.approved_at is None
        ]
        items = [
            Item(
                subject=f"{org.name} {item.period}",
                link=f"/collective/disclosures/{item.id}",
                since=item.generated_at.date(),
            )
            for item, org in waiting[:ITEMS_SHOWN]
        ]
        return [Todo(APPLICATION, "approve", "审核财务公开", len(waiting), items)]
    if scope.role in LATE_WATCHERS:
        late = disclosure.get_overdue(session, scope=scope, today=today, rules=rules)
        items = [
            Item(
                subject=f"{found.org.name} {found.period}",
                link=f"/collective/orgs/{found.org.code}/disclosures",
                due_on=found.due_on,
                level="red",
            )
            for found in late[:ITEMS_SHOWN]
        ]
        return [Todo(APPLICATION, "disclose", "编制财务公开", len(late), items)]
    return []
