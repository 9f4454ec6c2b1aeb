"""Users: create, read within scope, disable, change password, authenticate, API tokens."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.models import ApiToken, User
from yunong.core.auth.passwords import hash_password, password_matches
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound, YunongError
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.regions.codes import CITY_CODE
from yunong.core.scope import Scope
from yunong.core.validators import validate_mobile
from yunong.store.base import utcnow

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
TOKEN_PREFIX = "yn_"
USER_NOT_FOUND = "用户不存在或不在您的管辖范围内"


class LoginRefused(YunongError):
    status_code = 401


def scope_of(user: User) -> Scope:
    role = Role(user.role)
    return Scope(
        actor=user.name,
        region_code=user.region_code,
        role=role.value,
        user_id=user.id,
        can_write=role.can_write,
        can_view_personal_data=role.can_view_personal_data,
        can_manage_users=role.can_manage_users,
    )


def audit_view(user: User) -> dict[str, Any]:
    """The user's fields as digested into the audit trail (never the password hash)."""
    return {
        "name": user.name,
        "full_name": user.full_name,
        "phone": user.phone,
        "role": user.role,
        "region_code": user.region_code,
        "disabled": user.disabled,
    }


def audit_user(session: Session, scope: Scope, user: User, action: str, **extra: Any) -> None:
    """Append an audit record about one user, filed under the user's region."""
    audit.record(
        session,
        scope=scope,
        action=action,
        target_type="user",
        target_id=user.id,
        region_code=user.region_code,
        **extra,
    )


@dataclass(frozen=True)
class UserIn:
    name: str
    role: str
    region_code: str
    password: str
    full_name: str = ""
    phone: str | None = None


def create(session: Session, *, scope: Scope, user_in: UserIn) -> User:
    """Add a user bound to one region inside the caller's scope."""
    require_manager(scope)
    role = Role.from_name(user_in.role)
    region = regions.get(session, code=user_in.region_code)
    scope.check_write(region.code, "区划")
    level = region_codes.Level(region.level)
    if level not in role.levels:
        allowed = "、".join(item.label for item in sorted(role.levels))
        raise InvalidValue(f"{role.label}应绑定到{allowed}级区划，{region.name}是{level.label}级")
    name = user_in.name.strip()
    if not name:
        raise InvalidValue("用户名不能为空")
    if session.scalars(select(User.id).where(User.name == name)).first() is not None:
        raise Conflict(f"用户名“{name}”已存在")
    user = User(
        name=name,
        full_name=user_in.full_name.strip(),
        role=role.value,
        region_code=region.code,
        phone=validate_mobile(user_in.phone) if user_in.phone else None,
        password_hash=hash_password(user_in.password),
    )
    session.add(user)
    session.flush()
    audit_user(
        session,
        scope,
        user,
        "user.create",
        after=audit_view(user),
    )
    return user


def require_manager(scope: Scope) -> None:
    if not scope.can_manage_users:
        raise Forbidden("您的角色不能管理用户")


def get(session: Session, *, scope: Scope, user_id: int) -> User:
    """Oneself, or a user bound inside a manager's scope; anyone else is not found."""
    user = session.get(User, user_id)
    if user is None or not can_see(scope, user):
        raise NotFound(USER_NOT_FOUND)
    return user


def can_see(scope: Scope, user: User) -> bool:
    return user.id == scope.user_id or (scope.can_manage_users and scope.covers(user.region_code))


def get_by_name(session: Session, *, scope: Scope, name: str) -> User:
    user_id = session.scalars(select(User.id).where(User.name == name.strip())).first()
    if user_id is None:
        raise NotFound(USER_NOT_FOUND)
    return get(session, scope=scope, user_id=user_id)


def get_all(session: Session, *, scope: Scope) -> list[User]:
    """Users bound inside the caller's scope, for managers only."""
    require_manager(scope)
    return list(session.scalars(scope.filter(select(User), User.region_code).order_by(User.name)))


def get_active_names(session: Session, *, scope: Scope, role: Role, region_code: str) -> list[str]:
    """Names of the enabled users of ``role`` bound at ``region_code``, for choosing whom to
    send: any role may see who works beside it, not their records."""
    query = scope.filter(select(User.name), User.region_code).where(
        User.role == role.value, User.region_code == region_code, User.disabled.is_(False)
    )
    return list(session.scalars(query.order_by(User.name)))


def view_personal(session: Session, *, scope: Scope, user_id: int) -> User:
    """The whole record with the phone number unmasked; every such view is audited."""
    user = get(session, scope=scope, user_id=user_id)
    if user.id != scope.user_id and not scope.can_view_personal_data:
        raise Forbidden("您的角色不能查看完整个人信息")
    audit_user(
        session,
        scope,
        user,
        "user.view_personal",
    )
    return user


def set_disabled(session: Session, *, scope: Scope, user_id: int, disabled: bool) -> User:
    user = get(session, scope=scope, user_id=user_id)
    require_manager(scope)
    scope.check_write(user.region_code, "用户")
    if user.id == scope.user_id:
        raise InvalidValue("不能停用自己的账号")
    before = audit_view(user)
    user.disabled = disabled
    user.session_epoch += 1
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="user.disable" if disabled else "user.enable",
        target_type="user",
        target_id=user.id,
        region_code=user.region_code,
        before=before,
        after=audit_view(user),
    )
    return user


def set_password(session: Session, *, scope: Scope, user_id: int, password: str) -> User:
    """Change a password (one's own, or as a manager); every open session ends."""
    user = get(session, scope=scope, user_id=user_id)
    if user.id != scope.user_id:
        scope.check_write(user.region_code, "用户")
    user.password_hash = hash_password(password)
    user.session_epoch += 1
    user.failed_logins, user.locked_until = 0, None
    session.flush()
    audit_user(
        session,
        scope,
        user,
        "user.password",
    )
    return user


def authenticate(
    session: Session, *, name: str, password: str, now: datetime | None = None
) -> User:
    """The user for a correct name and password; counts failures and locks after five.

    The caller commits even when this raises, so failures are counted.
    """
    moment = now or utcnow()
    user = session.scalars(select(User).where(User.name == name.strip())).first()
    if user is None:
        audit.record(
            session,
            scope=Scope(actor=name.strip()[:64], region_code=CITY_CODE),
            action="login.failed",
            target_type="user",
            target_id="",
            region_code=None,
            detail="用户名不存在",
        )
        raise LoginRefused("用户名或密码错误")
    locked_until = as_aware(user.locked_until)
    if locked_until is not None and locked_until > moment:
        minutes = max(1, int((locked_until - moment).total_seconds() // 60) + 1)
        raise LoginRefused(f"登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试")
    if not password_matches(user.password_hash, password):
        user.failed_logins += 1
        detail = f"第 {user.failed_logins} 次失败"
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until, user.failed_logins = moment + LOCKOUT, 0
            detail += "，已锁定"
        audit.record(
            session,
            scope=Scope(actor=user.name, region_code=user.region_code),
            action="login.failed",
            target_type="user",
            target_id=user.id,
            region_code=user.region_code,
            detail=detail,
        )
        raise LoginRefused("用户名或密码错误")
    if user.disabled:
        raise LoginRefused("该账号已停用，请联系管理员")
    user.failed_logins, user.locked_until = 0, None
    audit_user(
        session,
        scope_of(user),
        user,
        "login",
    )
    return user


def as_aware(moment: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; every stored time is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, *, scope: Scope, user_id: int) -> str:
    """A new bearer token for the user; it is shown once and only its digest is kept."""
    user = get(session, scope=scope, user_id=user_id)
    if user.id != scope.user_id:
        scope.check_write(user.region_code, "用户")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_digest=token_digest(token)))
    session.flush()
    audit_user(
        session,
        scope,
        user,
        "token.create",
    )
    return token


def get_by_token(session: Session, *, token: str) -> User | None:
    """The active user behind a bearer token, or None."""
    found = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_digest == token_digest(token), ApiToken.revoked_at.is_(None))
    ).first()
    if found is None or found[1].disabled:
        return None
    return found[1]


TOKEN_USE_STEP = timedelta(minutes=5)
"""How precisely a token's last use is kept: a write on every request would make every
reader queue for the write lock."""


def record_token_use(session: Session, *, token: str) -> None:
    """Note that ``token`` was used now, unless that was noted in the last few minutes."""
    now = utcnow()
    session.execute(
        update(ApiToken)
        .where(
            ApiToken.token_digest == token_digest(token),
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOKEN_USE_STEP),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
