"""What every page shows around its content: navigation with each application's count of
待办 and the badge of new items, region breadcrumb and switcher."""

from functools import cached_property
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from yunong import apps
from yunong.core import todo_seen
from yunong.core.auth.roles import Role
from yunong.core.regions import service as regions
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.core.todo import Todo
from yunong.web import i18n
from yunong.web.auth import read_session


def viewed_region(request: Request, session: Session, scope: Scope) -> Region:
    """The region the user is looking at: the one chosen in the switcher, else their own."""
    chosen = read_session(request).region
    if chosen and scope.covers(chosen):
        return regions.get(session, code=chosen)
    return regions.get(session, code=scope.region_code)


def breadcrumb(session: Session, scope: Scope, region: Region) -> list[Region]:
    """From the top of the user's scope down to the viewed region."""
    path = regions.get_ancestors(session, code=region.code) + [region]
    return [item for item in path if scope.covers(item.code)]


def switcher_options(session: Session, scope: Scope, region: Region) -> list[Region]:
    """The regions the switcher offers: the path within scope and the next level down."""
    return breadcrumb(session, scope, region) + regions.get_children(
        session, scope=scope, code=region.code
    )


def waiting_work(request: Request, session: Session, scope: Scope) -> list[Todo]:
    """The user's 待办, asked of the applications' providers once per request: the menu's
    counts, its badge and the home page's list share it."""
    found: list[Todo] | None = getattr(request.state, "todo", None)
    if found is None:
        found = apps.todo(session, scope)
        request.state.todo = found
    return found


class WorkMenu:
    """The menu's figures, worked out only when a page draws the menu (a fragment swapped in
    by HTMX does not) and after the handler is done (the home page marks its items seen
    first, so its own badge shows none)."""

    def __init__(self, request: Request, session: Session, scope: Scope) -> None:
        self.request, self.session, self.scope = request, session, scope

    @cached_property
    def counts(self) -> dict[str, int]:
        """Items waiting in each application, by the path of its menu entry."""
        return apps.menu_counts(self.scope.role, self.work)

    @cached_property
    def new(self) -> int:
        """Items listed on the home page since the user last opened it."""
        return len(todo_seen.new_keys(self.session, user_id=self.scope.user_id, todo=self.work))

    @property
    def work(self) -> list[Todo]:
        return waiting_work(self.request, self.session, self.scope)


def render(
    request: Request, session: Session, template: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    scope: Scope | None = getattr(request.state, "scope", None)
    region = viewed_region(request, session, scope) if scope else None
    base = {
        "scope": scope,
        "display_name": getattr(request.state, "display_name", ""),
        "role_label": Role(scope.role).label if scope and scope.role else "",
        "navigation": apps.navigation(scope.role) if scope else [],
        "work_menu": WorkMenu(request, session, scope) if scope else None,
        "language": i18n.current_language.get(),
        "languages": i18n.LANGUAGES,
        "csrf_token": read_session(request).csrf,
        "region": region,
        "breadcrumb": breadcrumb(session, scope, region) if scope and region else [],
        "switcher": switcher_options(session, scope, region) if scope and region else [],
        "path": request.url.path,
    }
    return request.app.state.templates.TemplateResponse(
        request, template, base | context, status_code=status_code
    )
