"""Users: create, read within scope, disable, change password or role, authenticate, API tokens."""

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth import sessions, throttle
from yunong.core.auth.models import ApiToken, User
from yunong.core.auth.passwords import hash_password, password_matches, spend_a_check
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound, YunongError
from yunong.core.identity import service as identity
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.regions.codes import CITY_CODE
from yunong.core.scope import Scope
from yunong.core.validators import validate_mobile
from yunong.store.base import utcnow

TOKEN_PREFIX = "yn_"
TOKEN_DAYS = 90
USER_NOT_FOUND = "用户不存在或不在您的管辖范围内"
LOGIN_REFUSED = "用户名或密码错误，或账号已停用"
"""One answer for a wrong name, a wrong password and a disabled account alike."""
LOGIN_LOCKED = "登录失败次数过多，请稍后再试"


class LoginRefused(YunongError):
    status_code = 401

    def __init__(self, message: str, *, retry_minutes: int = 0) -> None:
        super().__init__(message)
        self.retry_minutes = retry_minutes


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
        household_code=user.household_code,
    )


def audit_view(user: User) -> dict[str, Any]:
    """The user's fields as digested into the audit trail (never the password hash)."""
    return {
        "name": user.name,
        "full_name": user.full_name,
        "phone": user.phone,
        "role": user.role,
        "region_code": user.region_code,
        "household_code": user.household_code,
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
    household_code: str | None = None
    """For a 农户 account: the 全农码 of the household of its village it acts for."""


def create(session: Session, *, scope: Scope, user_in: UserIn) -> User:
    """Add a user bound to one region inside the caller's scope."""
    require_manager(scope)
    role = Role.from_name(user_in.role)
    region = regions.get(session, code=user_in.region_code)
    scope.check_write(region.code, "区划")
    check_level(role, region)
    check_manages(scope, region.code, role)
    name = user_in.name.strip()
    if not name:
        raise InvalidValue("用户名不能为空")
    if session.scalars(select(User.id).where(User.name == name)).first() is not None:
        raise Conflict("用户名“{name}”已存在", name=name)
    user = User(
        name=name,
        full_name=user_in.full_name.strip(),
        role=role.value,
        region_code=region.code,
        household_code=household_of(session, scope, role, region, user_in.household_code),
        phone=validate_mobile(user_in.phone) if user_in.phone else None,
        password_hash=hash_password(user_in.password, user_inputs=(name, user_in.full_name)),
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


def household_of(
    session: Session, scope: Scope, role: Role, region: Any, code: str | None
) -> str | None:
    """The household a 农户 account acts for: a registered household of the account's village.
    Other roles act for nobody."""
    text = (code or "").strip()
    if role != Role.FARMER:
        if text:
            raise InvalidValue("只有农户账号绑定农户的全农码")
        return None
    if not text:
        raise InvalidValue("农户账号须填写所代表农户的全农码")
    found = identity.get(session, scope=scope, code=text)
    if found.entity_type != "household" or found.region_code != region.code:
        raise InvalidValue("全农码“{code}”不是{village}的农户", code=text, village=region.name)
    return found.code


def check_level(role: Role, region: Any) -> None:
    level = region_codes.Level(region.level)
    if level not in role.levels:
        allowed = "、".join(item.label for item in sorted(role.levels))
        raise InvalidValue(
            "{role}应绑定到{allowed}级区划，{region}是{level}级",
            role=role.label,
            allowed=allowed,
            region=region.name,
            level=level.label,
        )


def require_manager(scope: Scope) -> None:
    if not scope.can_manage_users:
        raise Forbidden("您的角色不能管理用户")


def check_manages(scope: Scope, region_code: str, role: Role) -> None:
    """A manager acts on users bound below their own level inside their scope, and on users
    at their own level who manage nobody (a district's bank viewer); fellow officers at the
    same level are managed from above. City administrators, with nobody above them, manage
    each other, and command-line operators (no role) manage everyone."""
    require_manager(scope)
    scope.check_write(region_code, "用户")
    if scope.role is None or scope.role == Role.CITY_ADMIN.value:
        return
    if role.can_manage_users and region_codes.level_of(region_code) <= region_codes.level_of(
        scope.region_code
    ):
        raise Forbidden(
            "不能管理同级的{role}账号，同级管理人员的账号由上级管理员管理", role=role.label
        )


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
    """Disable or enable a user. Disabling ends their sessions and revokes their API tokens,
    so that enabling the account again revives neither."""
    user = get(session, scope=scope, user_id=user_id)
    check_manages(scope, user.region_code, Role(user.role))
    if user.id == scope.user_id:
        raise InvalidValue("不能停用自己的账号")
    before = audit_view(user)
    user.disabled = disabled
    if disabled:
        sessions.end_all(session, user_id=user.id, reason=sessions.ENDED_BY_DISABLE)
        revoke_all_tokens(session, user_id=user.id, reason="disabled")
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
    """Change a password (one's own, or as a manager); every open session ends and every
    API token is revoked."""
    user = get(session, scope=scope, user_id=user_id)
    if user.id != scope.user_id:
        check_manages(scope, user.region_code, Role(user.role))
    user.password_hash = hash_password(password, user_inputs=(user.name, user.full_name))
    sessions.end_all(session, user_id=user.id, reason=sessions.ENDED_BY_PASSWORD)
    revoked = revoke_all_tokens(session, user_id=user.id, reason="password")
    session.flush()
    audit_user(session, scope, user, "user.password", detail=f"吊销 API 令牌 {revoked} 个")
    return user


def set_role(
    session: Session, *, scope: Scope, user_id: int, role: str, region_code: str | None = None
) -> User:
    """Give a user another role (and region); their open sessions end, so that pages and
    menus of the old role are not kept."""
    user = get(session, scope=scope, user_id=user_id)
    if user.id == scope.user_id:
        raise InvalidValue("不能修改自己的角色")
    check_manages(scope, user.region_code, Role(user.role))
    new_role = Role.from_name(role)
    moved = region_code not in (None, user.region_code)
    if Role.FARMER in (new_role, Role(user.role)) and (new_role != Role(user.role) or moved):
        # A farmer's account speaks for one household; it never becomes another account.
        raise InvalidValue("农户账号不能改变角色或区划，请另建账号")
    region = regions.get(session, code=region_code or user.region_code)
    check_level(new_role, region)
    check_manages(scope, region.code, new_role)
    before = audit_view(user)
    user.role, user.region_code = new_role.value, region.code
    sessions.end_all(session, user_id=user.id, reason=sessions.ENDED_BY_ROLE)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="user.role",
        target_type="user",
        target_id=user.id,
        region_code=user.region_code,
        before=before,
        after=audit_view(user),
    )
    return user


def authenticate(
    session: Session,
    *,
    name: str,
    password: str,
    client: str = "local",
    now: datetime | None = None,
) -> User:
    """The user for a correct name and password, or :class:`LoginRefused`.

    Every attempt checks a password hash, so that an unknown name takes as long as a known
    one; a wrong name, a wrong password and a disabled account get the same answer. Failed
    attempts are counted per name and client (see :mod:`throttle`). The caller commits even
    when this raises, so failures are counted.
    """
    moment = now or utcnow()
    account = name.strip()[:64]
    user = session.scalars(select(User).where(User.name == account)).first()
    if user is None:
        spend_a_check(password)
        matches = False
    else:
        matches = password_matches(user.password_hash, password)
    until = throttle.locked_until(session, account=account, client=client, now=moment)
    if until is not None:
        minutes = max(1, math.ceil((until - moment).total_seconds() / 60))
        refuse_login(session, account, user, f"锁定中，还有 {minutes} 分钟")
        raise LoginRefused(LOGIN_LOCKED, retry_minutes=minutes)
    if not matches or user is None or user.disabled:
        failures = throttle.count_failure(session, account=account, client=client, now=moment)
        refuse_login(session, account, user, f"第 {failures.failures} 次失败")
        raise LoginRefused(LOGIN_REFUSED)
    throttle.clear(session, account=account, client=client)
    audit_user(session, scope_of(user), user, "login")
    return user


def refuse_login(session: Session, account: str, user: User | None, detail: str) -> None:
    reason = "用户名不存在" if user is None else ("账号已停用" if user.disabled else "")
    audit.record(
        session,
        scope=Scope(actor=account, region_code=user.region_code if user else CITY_CODE),
        action="login.failed",
        target_type="user",
        target_id=user.id if user else "",
        region_code=user.region_code if user else None,
        detail="，".join(part for part in (reason, detail) if part),
    )


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_token_owner(scope: Scope, user: User) -> None:
    """Oneself, or a user one manages."""
    if user.id != scope.user_id:
        check_manages(scope, user.region_code, Role(user.role))


def create_token(
    session: Session, *, scope: Scope, user_id: int, days: int = TOKEN_DAYS, label: str = ""
) -> str:
    """A new bearer token for the user, valid for ``days``; it is shown once and only its
    digest is kept."""
    user = get(session, scope=scope, user_id=user_id)
    check_token_owner(scope, user)
    if not 1 <= days <= 3650:
        raise InvalidValue("令牌有效期应为 1—3650 天，不是 {days} 天", days=days)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    record = ApiToken(
        user_id=user.id,
        token_digest=token_digest(token),
        label=label.strip()[:64],
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(record)
    session.flush()
    audit_user(
        session, scope, user, "token.create", detail=f"令牌 {record.id}，{days} 天，{record.label}"
    )
    return token


def get_tokens(session: Session, *, scope: Scope, user_id: int) -> list[ApiToken]:
    """A user's tokens, newest first: their numbers, labels and times, never the secret."""
    user = get(session, scope=scope, user_id=user_id)
    check_token_owner(scope, user)
    query = select(ApiToken).where(ApiToken.user_id == user.id)
    return list(session.scalars(query.order_by(ApiToken.id.desc())))


def revoke_token(session: Session, *, scope: Scope, user_id: int, token_id: int) -> ApiToken:
    """Revoke one of a user's tokens; revoking it again changes nothing."""
    user = get(session, scope=scope, user_id=user_id)
    check_token_owner(scope, user)
    record = session.get(ApiToken, token_id)
    if record is None or record.user_id != user.id:
        raise NotFound(
            "用户 {name} 没有编号为 {number} 的 API 令牌", name=user.name, number=token_id
        )
    if record.revoked_at is None:
        record.revoked_at, record.revoke_reason = utcnow(), "revoked"
        session.flush()
        audit_user(session, scope, user, "token.revoke", detail=f"令牌 {record.id}")
    return record


def revoke_all_tokens(session: Session, *, user_id: int, reason: str) -> int:
    """Revoke every live token of a user; returns how many there were."""
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoke_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def token_state(record: ApiToken, now: datetime | None = None) -> str:
    """有效, 已过期 or 已吊销, as shown in token lists."""
    if record.revoked_at is not None:
        return "已吊销"
    expires = throttle.as_aware(record.expires_at)
    return "已过期" if expires is not None and expires <= (now or utcnow()) else "有效"


def get_by_token(session: Session, *, token: str, now: datetime | None = None) -> User | None:
    """The active user behind a live (not revoked, not expired) bearer token, or None."""
    found = session.execute(
        select(User)
        .join(ApiToken, User.id == ApiToken.user_id)
        .where(
            ApiToken.token_digest == token_digest(token),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > (now or utcnow()),
            User.disabled.is_(False),
        )
    ).first()
    return None if found is None else found[0]


TOKEN_USE_STEP = timedelta(minutes=1)
"""How precisely a token's last use is kept: a write on every request would make every
reader queue for the write lock."""


def record_token_use(session: Session, *, token: str) -> None:
    """Note that ``token`` was used now, unless that was noted in the last minute."""
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
