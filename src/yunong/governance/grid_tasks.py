"""A grid worker's tasks across applications in one place: the 待办 every application offers
the grid worker (visits of 防返贫监测, inspections, patrols, matters …), grouped by
application, as the grid's page and the grid worker's own page show them."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong import apps
from yunong.core.auth import service as users
from yunong.core.auth.models import User
from yunong.core.scope import Scope
from yunong.core.todo import Todo
from yunong.governance.models import Grid


@dataclass(frozen=True)
class TaskGroup:
    application: str
    title: str
    kinds: list[Todo]

    @property
    def total(self) -> int:
        return sum(kind.total for kind in self.kinds)


def worker_scope(session: Session, *, scope: Scope, grid: Grid) -> Scope | None:
    """The grid worker's own scope, when their account is in use and inside ``scope``."""
    query = scope.filter(
        select(User).where(User.name == grid.worker, User.disabled.is_(False)), User.region_code
    )
    user = session.scalars(query).first()
    return users.scope_of(user) if user is not None else None


def of_worker(session: Session, *, scope: Scope, grid: Grid) -> list[TaskGroup]:
    """The 待办 of the grid's worker, by application in menu order."""
    worker = worker_scope(session, scope=scope, grid=grid)
    return grouped(apps.todo(session, worker)) if worker is not None else []


def grouped(todo: list[Todo]) -> list[TaskGroup]:
    groups: dict[str, list[Todo]] = {}
    for kind in todo:
        groups.setdefault(kind.application, []).append(kind)
    titles = {app.key: app.title for app in apps.installed()}
    return [TaskGroup(key, titles.get(key, key), kinds) for key, kinds in groups.items()]
