"""用户管理 beyond the list: adding a user, and one user's page to change the role or region,
disable or enable the account, reset the password and issue or revoke API tokens.

The services decide who may manage whom (officers manage users below their own level, in
their own scope); a refusal there is a 403 or 404 page and is recorded in the audit trail.
A mistake in what was typed shows the form again with the input kept and the reason; a
done action redirects to the user's page with ``done=<action>``, which says what happened.
"""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yunong.core.auth import service as users
from yunong.core.auth.models import User
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue
from yunong.core.masking import mask_phone
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.web import i18n
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render, switcher_options, viewed_region
from yunong.web.params import FormRowId, RowId

router = APIRouter(include_in_schema=False)

DONE = ("create", "role", "disable", "enable", "password", "revoke")
"""Actions whose result the user's page reports after the redirect."""
NO_STORE = {"Cache-Control": "no-store"}
"""For the page that shows a new token's secret: it must not be kept by the browser."""


def assignable_roles(scope: Scope) -> list[Role]:
    """The roles a manager may give: any for a city administrator; below that, roles that
    manage nobody and managing roles of a lower level (a district gives 乡镇干部)."""
    if scope.role is None or scope.role == Role.CITY_ADMIN.value:
        return list(Role)
    own = region_codes.level_of(scope.region_code)
    return [role for role in Role if not role.can_manage_users or min(role.levels) > own]


def region_options(
    request: Request, session: Session, scope: Scope, current: str | None = None
) -> list[Region]:
    """The regions offered for binding: the viewed region's path inside the scope and the
    level below it (switching the viewed region reaches deeper), and the current one."""
    options = switcher_options(session, scope, viewed_region(request, session, scope))
    if current and current not in {region.code for region in options}:
        options.insert(0, regions.get(session, code=current))
    return options


def form_page(
    request: Request,
    session: Session,
    scope: Scope,
    *,
    form: dict[str, str] | None = None,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    users.require_manager(scope)
    chosen = (form or {}).get("region_code") or viewed_region(request, session, scope).code
    return render(
        request,
        session,
        "admin/user_new.html",
        status_code=status_code,
        form=form or {"region_code": chosen},
        error=error,
        roles=assignable_roles(scope),
        region_choices=region_options(request, session, scope, chosen),
    )


@router.get("/users/new", response_class=HTMLResponse)
def new_user(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """The form to add a user inside the manager's scope."""
    return form_page(request, session, scope)


@router.post("/users/new", response_class=HTMLResponse)
def create_user(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    name: Annotated[str, Form()] = "",
    full_name: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    region_code: Annotated[str, Form()] = "",
    household_code: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    user_in = users.UserIn(
        name=name,
        role=role,
        region_code=region_code,
        password=password,
        full_name=full_name,
        phone=phone.strip() or None,
        household_code=household_code.strip() or None,
    )
    try:
        user = users.create(session, scope=scope, user_in=user_in)
    except (InvalidValue, Conflict) as error:
        session.rollback()
        # The password is not sent back into the page.
        kept = {
            "name": name,
            "full_name": full_name,
            "phone": phone,
            "role": role,
            "household_code": household_code,
        }
        return form_page(
            request, session, scope, form=kept | {"region_code": region_code},
            error=i18n.error_text(error), status_code=error.status_code,
        )  # fmt: skip
    return RedirectResponse(f"/users/{user.id}?done=create", status_code=303)


def user_page(
    request: Request,
    session: Session,
    scope: Scope,
    user_id: int,
    *,
    done: str | None = None,
    error: str = "",
    form: dict[str, str] | None = None,
    secret: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    users.require_manager(scope)
    user = users.get(session, scope=scope, user_id=user_id)
    allowed = manages(scope, user) or user.id == scope.user_id
    # A fellow officer's tokens are theirs and their managers' business.
    tokens = users.get_tokens(session, scope=scope, user_id=user.id) if allowed else []
    response = render(
        request,
        session,
        "admin/user.html",
        status_code=status_code,
        user=user,
        phone=mask_phone(user.phone),
        role_name=Role(user.role).label,
        place=place_of(session, user),
        tokens=[(token, users.token_state(token)) for token in tokens],
        done=done if done in DONE else None,
        revoked=revoked_number(request) if done == "revoke" else "",
        error=error,
        form=form or {"role": user.role, "region_code": user.region_code},
        secret=secret,
        is_self=user.id == scope.user_id,
        manages=allowed,
        roles=assignable_roles(scope),
        region_choices=region_options(request, session, scope, user.region_code),
    )
    if secret:
        response.headers.update(NO_STORE)
    return response


def manages(scope: Scope, user: User) -> bool:
    """Whether the caller may change this user, so that the page offers only what works."""
    try:
        users.check_manages(scope, user.region_code, Role(user.role))
    except Forbidden:
        return False
    return True


def revoked_number(request: Request) -> str:
    """The number of the token just revoked, as the redirect gave it; digits only."""
    detail = request.query_params.get("detail", "")
    return detail if detail.isdigit() else ""


def place_of(session: Session, user: User) -> str:
    return regions.get_place_names(session, village_codes={user.region_code})[
        user.region_code
    ].label


@router.get("/users/{user_id}", response_class=HTMLResponse)
def user_detail(
    user_id: RowId, request: Request, session: SessionDep, scope: ScopeDep, done: str | None = None
) -> HTMLResponse:
    """One user in scope: role, region, state and API tokens, with what may be done."""
    return user_page(request, session, scope, user_id, done=done)


def done_redirect(user_id: int, action: str, detail: str = "") -> RedirectResponse:
    suffix = f"&detail={detail}" if detail else ""
    return RedirectResponse(f"/users/{user_id}?done={action}{suffix}", status_code=303)


@router.post("/users/{user_id}/role", response_class=HTMLResponse)
def change_role(
    user_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    role: Annotated[str, Form()] = "",
    region_code: Annotated[str, Form()] = "",
) -> Response:
    """Another role or region; the user's open sessions end with it."""
    try:
        users.set_role(session, scope=scope, user_id=user_id, role=role, region_code=region_code)
    except (InvalidValue, Conflict) as error:
        session.rollback()
        form = {"role": role, "region_code": region_code}
        return user_page(
            request, session, scope, user_id, error=i18n.error_text(error), form=form,
            status_code=error.status_code,
        )  # fmt: skip
    return done_redirect(user_id, "role")


@router.post("/users/{user_id}/status", response_class=HTMLResponse)
def change_status(
    user_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    disabled: Annotated[str, Form()] = "",
) -> Response:
    """Disable (``disabled=1``) or enable the account."""
    disabling = disabled == "1"
    try:
        users.set_disabled(session, scope=scope, user_id=user_id, disabled=disabling)
    except InvalidValue as error:
        session.rollback()
        return user_page(
            request,
            session,
            scope,
            user_id,
            error=i18n.error_text(error),
            status_code=error.status_code,
        )
    return done_redirect(user_id, "disable" if disabling else "enable")


@router.post("/users/{user_id}/password", response_class=HTMLResponse)
def reset_password(
    user_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    password: Annotated[str, Form()] = "",
) -> Response:
    """A new password set by the manager; sessions end and API tokens are revoked."""
    try:
        users.set_password(session, scope=scope, user_id=user_id, password=password)
    except InvalidValue as error:
        session.rollback()
        return user_page(
            request,
            session,
            scope,
            user_id,
            error=i18n.error_text(error),
            status_code=error.status_code,
        )
    return done_redirect(user_id, "password")


@router.post("/users/{user_id}/tokens", response_class=HTMLResponse)
def issue_token(
    user_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    label: Annotated[str, Form()] = "",
    days: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """A new API token; its secret is in this answer only, never stored or shown again."""
    try:
        valid_days = whole_days(days)
        secret = users.create_token(
            session, scope=scope, user_id=user_id, days=valid_days, label=label
        )
    except InvalidValue as error:
        session.rollback()
        form = {"label": label, "days": days}
        return user_page(
            request, session, scope, user_id, error=i18n.error_text(error), form=form,
            status_code=error.status_code,
        )  # fmt: skip
    return user_page(request, session, scope, user_id, secret=secret)


def whole_days(text: str) -> int:
    value = text.strip()
    if not value:
        return users.TOKEN_DAYS
    if not value.isdigit():
        raise InvalidValue(f"有效期“{value}”应为天数，如 90")
    return int(value)


@router.post("/users/{user_id}/tokens/revoke", response_class=HTMLResponse)
def revoke_token(
    user_id: RowId,
    session: SessionDep,
    scope: ScopeDep,
    token_id: FormRowId,
) -> Response:
    """Revoke one token; clients using it are refused from the next request on."""
    record = users.revoke_token(session, scope=scope, user_id=user_id, token_id=token_id)
    return done_redirect(user_id, "revoke", str(record.id))
