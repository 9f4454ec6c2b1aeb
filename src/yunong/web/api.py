"""Core JSON API: health, the caller, users, regions, 全农码 lookup and the audit trail."""

from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

import yunong
from yunong import apps
from yunong.core import todo_seen
from yunong.core.audit import service as audit
from yunong.core.auth import service as users
from yunong.core.auth.models import User
from yunong.core.auth.roles import Role
from yunong.core.identity import codes, lookup
from yunong.core.masking import mask_phone
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.regions.models import Region
from yunong.core.todo import Todo
from yunong.store import health as store_health
from yunong.web.auth import ScopeDep, UserDep
from yunong.web.deps import READS_ONLY, SessionDep

router = APIRouter(prefix="/api")
UserId = Annotated[int, Path(ge=1, le=2_147_483_647, description="用户编号")]


class Problem(BaseModel):
    detail: str


PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem} for status in (401, 403, 404, 409, 422)
}


class Health(BaseModel):
    status: str
    version: str
    database: str


class RegionOut(BaseModel):
    code: str
    name: str
    level: int
    level_name: str
    parent_code: str | None


class UserOut(BaseModel):
    id: int
    name: str
    full_name: str
    role: str
    role_name: str
    region_code: str
    phone: str = Field(description="手机号码：列表与概要中为脱敏形式")
    disabled: bool


class UserIn(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    role: str = Field(description="角色英文标识或中文名称", max_length=32)
    region_code: str = Field(max_length=12)
    password: str = Field(min_length=8, max_length=200)
    full_name: str = Field(default="", max_length=64)
    phone: str | None = Field(default=None, max_length=20)
    household_code: str | None = Field(
        default=None, max_length=40, description="农户账号所代表农户的全农码（仅农户账号）"
    )


class UserPatch(BaseModel):
    disabled: bool


class CodeLink(BaseModel):
    relation: str
    from_code: str
    to_code: str


class CodeOut(BaseModel):
    code: str
    kind: str
    kind_name: str
    region: RegionOut
    entity_type: str
    national_code: str | None
    issued_at: datetime
    retired: bool
    links: list[CodeLink]


class AuditOut(BaseModel):
    seq: int
    at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    region_code: str | None
    detail: str


def region_out(region: Region) -> RegionOut:
    level = region_codes.Level(region.level)
    return RegionOut(
        code=region.code,
        name=region.name,
        level=level.value,
        level_name=level.label,
        parent_code=region.parent_code,
    )


def user_out(user: User, *, whole_phone: bool = False) -> UserOut:
    return UserOut(
        id=user.id,
        name=user.name,
        full_name=user.full_name,
        role=user.role,
        role_name=Role(user.role).label,
        region_code=user.region_code,
        phone=(user.phone or "") if whole_phone else mask_phone(user.phone),
        disabled=user.disabled,
    )


@router.get("/health", response_model=Health, tags=["系统"], dependencies=[READS_ONLY])
def health(session: SessionDep) -> Health:
    """服务与数据库是否可用（无需登录）。"""
    database = store_health.database_name(session)
    return Health(status="ok", version=yunong.__version__, database=database)


@router.get("/me", response_model=UserOut, responses=PROBLEMS, tags=["用户"])
def me(user: UserDep) -> UserOut:
    """当前登录用户。"""
    return user_out(user)


class TodoItemOut(BaseModel):
    subject: str = Field(description="办理对象（户主与村、批次、单位），以名称表示")
    link: str = Field(description="办理页面")
    since: date | None = Field(description="起始日期")
    due_on: date | None = Field(description="办理期限")
    level: str = Field(description="red 已超时、yellow 临近时限、green 正常；无期限为空")
    new: bool = Field(description="上次打开首页以来新出现的事项")


class TodoOut(BaseModel):
    application: str
    kind: str
    action: str = Field(description="要办的事")
    total: int = Field(description="此类事项的总数（items 只列最紧急的若干条）")
    level: str
    items: list[TodoItemOut]


@router.get(
    "/me/todo",
    response_model=list[TodoOut],
    responses=PROBLEMS,
    tags=["用户"],
    dependencies=[READS_ONLY],
)
def my_todo(session: SessionDep, scope: ScopeDep) -> list[TodoOut]:
    """待办：各应用中等待当前用户办理的事项，按事项分组，最紧急的在前；new 标出上次打开首页
    以来新出现的事项（读取本接口不算看过）。"""
    todo = apps.todo(session, scope)
    new = todo_seen.new_keys(session, user_id=scope.user_id, todo=todo)
    return [todo_out(kind, new) for kind in todo]


def todo_out(kind: Todo, new: set[str]) -> TodoOut:
    items = [
        TodoItemOut(**asdict(item), new=todo_seen.key_of(kind, item) in new) for item in kind.items
    ]
    return TodoOut(
        application=kind.application,
        kind=kind.kind,
        action=kind.action,
        total=kind.total,
        level=kind.level,
        items=items,
    )


@router.get("/users", response_model=list[UserOut], responses=PROBLEMS, tags=["用户"])
def list_users(session: SessionDep, scope: ScopeDep) -> list[UserOut]:
    """管辖范围内的用户（手机号脱敏）。"""
    return [user_out(user) for user in users.get_all(session, scope=scope)]


@router.post("/users", response_model=UserOut, status_code=201, responses=PROBLEMS, tags=["用户"])
def create_user(user_in: UserIn, session: SessionDep, scope: ScopeDep) -> UserOut:
    """在管辖范围内新增用户。"""
    user = users.create(session, scope=scope, user_in=users.UserIn(**user_in.model_dump()))
    return user_out(user)


@router.get("/users/{user_id}", response_model=UserOut, responses=PROBLEMS, tags=["用户"])
def get_user(user_id: UserId, session: SessionDep, scope: ScopeDep) -> UserOut:
    """一个用户（手机号脱敏）。"""
    return user_out(users.get(session, scope=scope, user_id=user_id))


@router.get("/users/{user_id}/personal", response_model=UserOut, responses=PROBLEMS, tags=["用户"])
def get_user_personal(user_id: UserId, session: SessionDep, scope: ScopeDep) -> UserOut:
    """一个用户的完整信息（不脱敏；每次查看均记入审计）。"""
    return user_out(users.view_personal(session, scope=scope, user_id=user_id), whole_phone=True)


@router.patch("/users/{user_id}", response_model=UserOut, responses=PROBLEMS, tags=["用户"])
def patch_user(user_id: UserId, patch: UserPatch, session: SessionDep, scope: ScopeDep) -> UserOut:
    """停用或启用用户。"""
    user = users.set_disabled(session, scope=scope, user_id=user_id, disabled=patch.disabled)
    return user_out(user)


@router.get("/regions", response_model=list[RegionOut], responses=PROBLEMS, tags=["区划"])
def list_regions(
    session: SessionDep,
    scope: ScopeDep,
    level: Annotated[
        str | None, Query(description="district、town、village 或 区县、乡镇、村")
    ] = None,
    under: Annotated[str | None, Query(description="只列出此区划以内的")] = None,
) -> list[RegionOut]:
    """管辖范围内的区划，按代码排序。"""
    wanted = region_codes.Level.from_name(level) if level else None
    found = regions.get_all(session, scope=scope, level=wanted, under=under)
    return [region_out(region) for region in found]


@router.get("/regions/{code}", response_model=RegionOut, responses=PROBLEMS, tags=["区划"])
def get_region(code: str, session: SessionDep, scope: ScopeDep) -> RegionOut:
    """一个区划。"""
    return region_out(regions.get_visible(session, scope=scope, code=code))


@router.get("/codes/{code}", response_model=CodeOut, responses=PROBLEMS, tags=["全农码"])
def get_code(code: str, session: SessionDep, scope: ScopeDep) -> CodeOut:
    """按全农码（或并存的国家标准代码）查询登记信息与本角色可见的关联；
    查询户、人、监测案件的全农码记入审计。"""
    resolved = lookup.resolve(session, scope=scope, code=code)
    entry = resolved.entry
    return CodeOut(
        code=entry.code,
        kind=entry.kind,
        kind_name=codes.Kind(entry.kind).label,
        region=region_out(regions.get(session, code=entry.region_code)),
        entity_type=entry.entity_type,
        national_code=entry.national_code,
        issued_at=entry.issued_at,
        retired=entry.retired_at is not None,
        links=[
            CodeLink(relation=link.relation, from_code=link.from_code, to_code=link.to_code)
            for link in resolved.links
        ],
    )


@router.get("/audit", response_model=list[AuditOut], responses=PROBLEMS, tags=["审计"])
def list_audit(
    session: SessionDep,
    scope: ScopeDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditOut]:
    """管辖范围内最新的审计记录（仅用户管理者）。"""
    users.require_manager(scope)
    return [
        AuditOut.model_validate(entry, from_attributes=True)
        for entry in audit.get_all(session, scope=scope, limit=limit)
    ]
