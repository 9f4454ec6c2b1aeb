"""Pages: the region overview, the region switcher, language, applications, users."""

from typing import Annotated
from urllib.parse import unquote, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from yunong.core import todo_seen
from yunong.core.auth import lists as user_lists
from yunong.core.auth import service as users
from yunong.core.auth import sessions as login_sessions
from yunong.core.regions import service as regions
from yunong.core.regions.codes import CITY_CODE, Level
from yunong.core.scope import Scope
from yunong.web import admin, i18n
from yunong.web.auth import (
    NotAuthenticated,
    ScopeDep,
    current_user,
    read_session,
    remember_viewer,
)
from yunong.web.deps import SessionDep
from yunong.web.layout import render, viewed_region, waiting_work
from yunong.web.listing import list_view, page_of, scope_of

router = APIRouter(include_in_schema=False)
PUBLIC = Scope(actor="anonymous", region_code=CITY_CODE, can_write=False)


def safe_next(target: str | None) -> str:
    """The target if it is a path on this site, else the home page.

    Browsers take ``//host``, ``///host`` and ``/\\host`` for another site and drop tabs
    and newlines before reading a location, so a target is kept only when it starts with
    one ``/`` and holds no backslash, scheme, host or control character, encoded or not.
    """
    if not target:
        return "/"
    for form in (target, unquote(target)):
        if not form.startswith("/") or form.startswith("//") or "\\" in form:
            return "/"
        if any(ord(char) < 0x20 or ord(char) == 0x7F for char in form):
            return "/"
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return "/"
    return target


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep) -> HTMLResponse:
    """The viewed region and its children with counts; the public city overview without login."""
    try:
        user = current_user(request, session, "")
        remember_viewer(request, user)
        scope = users.scope_of(user)
        region = viewed_region(request, session, scope)
    except NotAuthenticated:
        scope, region = PUBLIC, regions.get(session, code=CITY_CODE)
    children = regions.summarize_children(session, scope=scope, code=region.code)
    todo = waiting_work(request, session, scope) if scope is not PUBLIC else []
    # The page marks the items new since the last visit; the menu's badge, drawn after they
    # are kept as seen, drops to none.
    new_items = todo_seen.mark_seen(session, user_id=scope.user_id, todo=todo)
    return render(
        request,
        session,
        "home.html",
        todo=todo,
        new_items=new_items,
        todo_key=todo_seen.key_of,
        overview=region,
        children=children,
        child_level=Level(min(region.level + 1, Level.VILLAGE)).label,
        # Town counts only say something when the children are districts.
        total_towns=sum(child.towns for child in children) if region.level == Level.CITY else 0,
        total_villages=sum(child.villages for child in children),
    )


@router.post("/region")
def switch_region(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    code: Annotated[str, Form()],
    next_page: Annotated[str, Form(alias="next")] = "/",
) -> RedirectResponse:
    """Look at another region inside one's own scope, for the rest of the login session."""
    region_code = code if len(code) == 12 else code.ljust(12, "0")
    scope.check_read(region_code, f"区划“{code}”")
    web_session = read_session(request)
    if web_session.secret is not None:
        login_sessions.view_region(session, secret=web_session.secret, region_code=region_code)
    web_session.region = region_code
    return RedirectResponse(safe_next(next_page), status_code=303)


@router.get("/lang/{language}")
def switch_language(language: str, next: str = "/") -> RedirectResponse:
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        i18n.COOKIE,
        i18n.choose_language(language),
        max_age=365 * 86400,
        httponly=True,
        samesite="lax",
    )
    return response


@router.get("/users", response_class=HTMLResponse)
def user_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """Users in scope as a paged list; phones masked, as in every list."""
    page = page_of(request, user_lists.USERS)
    found = user_lists.get_users(session, scope=scope_of(request, session, scope, page), page=page)
    view = list_view(request, session, scope, found, user_lists.USERS)
    return render(request, session, "users.html", view=view)


# Adding and editing users, 操作日志 and the dictionaries, beside the users list.
router.include_router(admin.router)
