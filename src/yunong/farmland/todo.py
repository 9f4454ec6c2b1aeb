"""The damage reports waiting on one user (待办): 整改高标准农田损毁, in the region of the
party responsible, until closed with a photo."""

from datetime import date, timedelta

from sqlalchemy.orm import Session

from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.core.todo import ITEMS_SHOWN, Item, Todo
from yunong.farmland import maintenance

APPLICATION = "farmland"
CLOSE = timedelta(days=3)


def todo(session: Session, scope: Scope, today: date | None = None) -> list[Todo]:
    if scope.role is None or Role(scope.role) not in maintenance.KEEPERS:
        return []
    today = today or date.today()
    reports = maintenance.open_reports(session, scope=scope)
    names = {
        project.id: project.name
        for project in maintenance.projects_of(session, reports=reports[:ITEMS_SHOWN])
    }
    items = [
        Item(
            subject=names.get(report.project_id, ""),
            link=f"/farmland/reports/{report.id}",
            since=report.reported_on,
            due_on=report.deadline,
            level=warning(report.deadline, today),
        )
        for report in reports[:ITEMS_SHOWN]
    ]
    return [Todo(APPLICATION, "repair", "整改高标准农田损毁", len(reports), items)]


def warning(due_on: date | None, today: date) -> str:
    if due_on is None:
        return ""
    if due_on < today:
        return "red"
    return "yellow" if due_on - today <= CLOSE else "green"
