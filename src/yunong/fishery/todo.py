"""The 长江治渔 work waiting on one user (待办): public tips to answer (the district), cases
whose next step the user's role takes, retired fishers due for their yearly visit."""

from datetime import date, timedelta

from sqlalchemy.orm import Session

from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.core.todo import ITEMS_SHOWN, Item, Todo
from yunong.fishery import cases, fishers, tips
from yunong.fishery.indicators import fishery_rules

APPLICATION = "fishery"
CLOSE = timedelta(days=1)


def todo(session: Session, scope: Scope, today: date | None = None) -> list[Todo]:
    if scope.role is None or not scope.can_write:
        return []
    today = today or date.today()
    rules = fishery_rules()
    found: list[Todo] = []
    if Role(scope.role) in tips.ANSWERING:
        waiting = tips.waiting(session, scope=scope)
        items = []
        for tip in waiting[:ITEMS_SHOWN]:
            received = tips.aware(tip.received_at).astimezone(tips.CHINA).date()
            answer_by = received + timedelta(days=rules.tip_answer_days)
            link = f"/fishery/tips/{tip.id}"
            subject = tip.place or tip.reference
            items.append(Item(subject, link, received, answer_by, warning(answer_by, today)))
        found.append(Todo(APPLICATION, "tip", "处理群众举报", len(waiting), items))
    open_cases = cases.waiting_on(session, scope=scope)
    case_items = [
        Item(
            case.number,
            f"/fishery/cases/{case.number}",
            case.found_on,
            cases.deadline(case, rules.case_close_days),
            warning(cases.deadline(case, rules.case_close_days), today),
        )
        for case in open_cases[:ITEMS_SHOWN]
    ]
    found.append(Todo(APPLICATION, "case", "办理非法捕捞案件", len(open_cases), case_items))
    if Role(scope.role) in fishers.VISITORS:
        due = fishers.due_visits(session, scope=scope, today=today, days=rules.visit_days)
        visit_items = [
            Item(name, f"/fishery/fishers/{fisher_id}", None, due_on, warning(due_on, today))
            for fisher_id, name, due_on in due[:ITEMS_SHOWN]
        ]
        found.append(Todo(APPLICATION, "visit", "回访退捕渔民", len(due), visit_items))
    return found


def warning(due_on: date, today: date) -> str:
    if due_on < today:
        return "red"
    return "yellow" if due_on - today <= CLOSE else "green"
