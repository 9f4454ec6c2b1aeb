"""The 财务公开 work waiting on one user (待办): the 民主理财小组 approves the disclosures the
accountant generated; the accountant and the town's 经管站 see the quarters whose disclosure
is overdue; the accountant also the contract payments to collect and the contracts ending."""

from datetime import date

from sqlalchemy.orm import Session

from yunong.collective import contracts, disclosure
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
        found = [Todo(APPLICATION, "disclose", "编制财务公开", len(late), items)]
        if scope.role == Role.COLLECTIVE_ACCOUNTANT.value:
            found += contract_work(session, scope, today)
        return found
    return []


def contract_work(session: Session, scope: Scope, today: date) -> list[Todo]:
    """Contract payments to collect (overdue in red, due within 30 days in yellow) and
    contracts ending within 90 days."""
    payments, ends = contracts.get_watched(session, scope=scope, today=today)

    def item(watched: contracts.Watched, level: str) -> Item:
        return Item(
            subject=f"{watched.org.name} {watched.contract.number} {watched.contract.counterparty}",
            link=f"/collective/orgs/{watched.org.code}/contracts",
            due_on=watched.due_on,
            level=level,
        )

    collect = [item(found, "red" if found.overdue else "yellow") for found in payments]
    ending = [item(found, "yellow") for found in ends]
    found = [
        Todo(APPLICATION, "collect", "收取合同款", len(collect), collect[:ITEMS_SHOWN]),
        Todo(APPLICATION, "renew", "处理到期合同", len(ending), ending[:ITEMS_SHOWN]),
    ]
    # An accountant without contracts is not shown two empty kinds of work.
    return [work for work in found if work.total]
