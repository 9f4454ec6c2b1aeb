"""Patrol teams (护渔队) and their members, each team of a district, a town or a village
(a village's own 护渔员)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core import masking
from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.parsing import parse_date
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.fishery.models import Patrol, Team, TeamMember

ADDING = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER})


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    region_code: str
    members: int
    patrols: int


def check_may_add(scope: Scope) -> None:
    if not scope.can_write or (scope.role is not None and Role(scope.role) not in ADDING):
        raise Forbidden("护渔队由区县新建")


def create(session: Session, *, scope: Scope, name: str, region_code: str) -> Team:
    """A new team of the district, town or village ``region_code``, which must be in scope."""
    name = name.strip()
    if not name:
        raise InvalidValue("队伍名称不能为空")
    if len(name) > 60:
        raise InvalidValue("队伍名称不能超过 60 个字")
    code = region_codes.normalise(region_code)
    check_may_add(scope)
    region = regions.get_visible(session, scope=scope, code=code)
    scope.check_write(region.code, "护渔队")
    if session.scalars(select(Team.id).where(Team.name == name)).first() is not None:
        raise Conflict("护渔队“{name}”已存在", name=name)
    team = Team(name=name, region_code=region.code)
    session.add(team)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="fishery.team_add",
        target_type="fishery_team",
        target_id=team.id,
        region_code=team.region_code,
        detail=name,
    )
    return team


def get_by_name(session: Session, *, scope: Scope, name: str) -> Team:
    team = session.scalars(select(Team).where(Team.name == name.strip())).first()
    if team is None or not scope.covers(team.region_code):
        raise NotFound("没有名为“{name}”的护渔队", name=name)
    return team


def get(session: Session, *, scope: Scope, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None or not scope.covers(team.region_code):
        raise NotFound("没有这个护渔队")
    return team


MEMBER_ROLES = {"leader": "队长", "member": "队员"}
MEMBER_KEEPERS = frozenset(
    {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE}
)
"""Who keeps the members of the teams of their region."""


@dataclass
class MemberIn:
    name: str
    phone: str = ""
    role: str = "队员"
    starts_on: str = ""


@dataclass(frozen=True)
class MemberRow:
    id: int
    name: str
    phone: str
    """Masked, as in every list."""
    role: str
    starts_on: date | None


def check_may_keep_members(scope: Scope, team: Team) -> None:
    scope.check_write(team.region_code, "护渔队")
    if scope.role is not None and Role(scope.role) not in MEMBER_KEEPERS:
        raise Forbidden("队员由护渔队所在的村、乡镇或区县登记")


def member_role(text: str) -> str:
    value = text.strip() or "队员"
    for key, label in MEMBER_ROLES.items():
        if value in (key, label):
            return key
    raise InvalidValue("队内职务“{role}”应为 队长 或 队员", role=text)


def add_member(session: Session, *, scope: Scope, team: Team, member_in: MemberIn) -> TeamMember:
    """A member joins the team: name, phone, role in the team and the day they joined."""
    check_may_keep_members(scope, team)
    name = member_in.name.strip()
    if not name or len(name) > 40:
        raise InvalidValue("队员姓名应为 1 到 40 个字")
    phone = member_in.phone.strip()
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 20):
        raise InvalidValue("电话“{phone}”应为 7 到 20 位数字", phone=phone)
    role = member_role(member_in.role)
    starts = parse_date(member_in.starts_on) if member_in.starts_on.strip() else None
    if starts is not None and starts > date.today():
        raise InvalidValue("入队日期不能晚于今天")
    exists = select(TeamMember.id).where(TeamMember.team_id == team.id, TeamMember.name == name)
    if session.scalars(exists).first() is not None:
        raise Conflict("队员“{name}”已在队中", name=name)
    member = TeamMember(team_id=team.id, name=name, phone=phone, role=role, starts_on=starts)
    session.add(member)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="fishery.member_add",
        target_type="fishery_team",
        target_id=team.id,
        region_code=team.region_code,
        detail=f"{name}（{MEMBER_ROLES[role]}）",
    )
    return member


def remove_member(session: Session, *, scope: Scope, team: Team, name: str) -> None:
    """A member leaves the team (the audit trail keeps who was removed, by whom, when)."""
    check_may_keep_members(scope, team)
    query = select(TeamMember).where(TeamMember.team_id == team.id, TeamMember.name == name.strip())
    member = session.scalars(query).first()
    if member is None:
        raise NotFound("护渔队“{team}”没有队员“{name}”", team=team.name, name=name)
    session.delete(member)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="fishery.member_remove",
        target_type="fishery_team",
        target_id=team.id,
        region_code=team.region_code,
        detail=member.name,
    )


def get_all(session: Session, *, scope: Scope) -> list[TeamRow]:
    members = (
        select(func.count(TeamMember.id)).where(TeamMember.team_id == Team.id).scalar_subquery()
    )
    patrols = select(func.count(Patrol.id)).where(Patrol.team_id == Team.id).scalar_subquery()
    query = scope.filter(
        select(Team.id, Team.name, Team.region_code, members, patrols), Team.region_code
    )
    rows = session.execute(query.order_by(Team.region_code, Team.name)).tuples()
    return [TeamRow(*row) for row in rows]


def district_team(session: Session, *, scope: Scope) -> Team | None:
    """The team that answers tips in the district ``scope`` covers: the district's own team,
    else its first town team by code and name."""
    query = scope.filter(select(Team), Team.region_code).order_by(Team.region_code, Team.name)
    return session.scalars(query).first()


def members(session: Session, *, team: Team) -> list[MemberRow]:
    """The team's members, leaders first, phones masked."""
    query = select(TeamMember).where(TeamMember.team_id == team.id).order_by(TeamMember.name)
    found = sorted(session.scalars(query), key=lambda m: (m.role != "leader", m.name))
    return [
        MemberRow(m.id, m.name, masking.mask_phone(m.phone), m.role, m.starts_on) for m in found
    ]


@dataclass(frozen=True)
class TeamView:
    team: Team
    region: str
    members: list[MemberRow]
    may_keep: bool


def view(session: Session, *, scope: Scope, team_id: int) -> TeamView:
    team = get(session, scope=scope, team_id=team_id)
    may = scope.can_write and (scope.role is None or Role(scope.role) in MEMBER_KEEPERS)
    return TeamView(
        team,
        regions.get(session, code=team.region_code).name,
        members(session, team=team),
        may,
    )
