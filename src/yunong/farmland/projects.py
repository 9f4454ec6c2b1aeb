"""The project library (项目库): projects with their parties, content and investment.

Every read goes through the caller's scope (a project belongs to its district); every
write is the district's and is recorded in the audit trail.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.core.validators import validate_uscc
from yunong.farmland.codes import (
    CONTENT_UNITS,
    FUNDING_SOURCES,
    PartyRole,
    ProjectKind,
    Step,
    kind_from_text,
)
from yunong.farmland.models import (
    Project,
    ProjectContent,
    ProjectFunding,
    ProjectParty,
)

ENTRY_ROLES = frozenset({Role.DISTRICT_OFFICER, Role.CITY_ADMIN})
"""Who enters and edits projects: the district's farmland office (and the city above it)."""
APPROVED = frozenset({Step.APPROVE, Step.SCHEDULE, Step.BUILD, Step.ACCEPT, Step.EVALUATE})
"""Steps from approval on: the project, its content and investment are what was approved."""


def may_enter(scope: Scope) -> bool:
    """Whether the caller's role enters projects (the forms are shown only then)."""
    return scope.can_write and (scope.role is None or Role(scope.role) in ENTRY_ROLES)


def check_may_enter(scope: Scope) -> None:
    if not may_enter(scope):
        raise Forbidden("高标准农田项目由区县农田建设管理部门录入和修改")


def check_unapproved(project: "Project") -> None:
    if project.step is not None and Step(project.step) in APPROVED:
        raise Conflict(
            "项目“{number}”已于“申报审批”批准，项目信息、建设内容和投资不能再修改",
            number=project.number,
        )


@dataclass
class ProjectIn:
    number: str
    name: str
    district: str
    kind: str
    year: int
    scale_mu: Decimal | float | str


@dataclass
class PartyIn:
    role: str
    name: str
    credit_code: str


@dataclass
class ProjectDetail:
    project: Project
    parties: list[ProjectParty] = field(default_factory=list)
    content: list[ProjectContent] = field(default_factory=list)
    funding: list[ProjectFunding] = field(default_factory=list)

    @property
    def investment(self) -> Decimal:
        return sum((item.amount for item in self.funding), Decimal(0))

    @property
    def investment_per_mu(self) -> Decimal | None:
        scale = self.project.scale_mu
        return (self.investment / scale).quantize(Decimal("0.01")) if scale else None


def decimal_of(value: Decimal | float | str, what: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise InvalidValue("{what}“{value}”应为数字", what=what, value=value) from None
    if not number.is_finite() or number <= 0:
        raise InvalidValue("{what}“{value}”应大于 0", what=what, value=value)
    return number


def district_of(session: Session, code: str) -> str:
    region = regions.get(session, code=code)
    district = region_codes.normalise(region.code[:6])
    if region_codes.level_of(district) is not Level.DISTRICT:
        raise InvalidValue("区划“{code}”不在区县之内", code=code)
    return district


def create(session: Session, *, scope: Scope, project_in: ProjectIn) -> Project:
    """Enter a project in its district's library."""
    check_may_enter(scope)
    number = project_in.number.strip()
    if not number:
        raise InvalidValue("项目编号不能为空")
    district = district_of(session, project_in.district)
    scope.check_write(district, f"区县“{project_in.district}”")
    if session.scalars(select(Project.id).where(Project.number == number)).first():
        raise Conflict("项目编号“{number}”已在项目库中", number=number)
    year = year_of(project_in.year)
    project = Project(
        number=number,
        name=project_in.name.strip()[:100] or number,
        region_code=district,
        kind=str(kind_from_text(project_in.kind)),
        year=year,
        scale_mu=decimal_of(project_in.scale_mu, "建设规模（亩）"),
    )
    session.add(project)
    session.flush()
    project.code = identity.create(
        session,
        scope=scope,
        kind=Kind.EVENT,
        region_code=district,
        entity_type="farmland_project",
        entity_id=str(project.id),
    )
    audit.record(
        session,
        scope=scope,
        action="farmland.project_create",
        target_type="farmland_project",
        target_id=project.id,
        region_code=district,
        after={"number": number, "kind": project.kind, "year": year},
    )
    return project


def year_of(value: int | str) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        raise InvalidValue("建设年度“{year}”应为四位年份", year=value) from None
    if not 2000 <= year <= 2100:
        raise InvalidValue("建设年度“{year}”应为四位年份", year=year)
    return year


def update(session: Session, *, scope: Scope, number: str, project_in: ProjectIn) -> Project:
    """Correct a project's name, kind, year and scale before approval (its number and
    district stay)."""
    check_may_enter(scope)
    project = get_writable(session, scope=scope, number=number)
    check_unapproved(project)
    before = {"name": project.name, "kind": project.kind, "year": project.year}
    before["scale_mu"] = str(project.scale_mu)
    kind = str(kind_from_text(project_in.kind))
    year = year_of(project_in.year)
    scale = decimal_of(project_in.scale_mu, "建设规模（亩）")
    project.name = project_in.name.strip()[:100] or project.number
    project.kind, project.year, project.scale_mu = kind, year, scale
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="farmland.project_update",
        target_type="farmland_project",
        target_id=project.id,
        region_code=project.region_code,
        before=before,
        after={"name": project.name, "kind": kind, "year": year, "scale_mu": str(scale)},
        detail=f"{project.number} {project.name} {kind} {year} {scale} 亩",
    )
    return project


def record(session: Session, scope: Scope, project: Project, action: str, detail: str) -> None:
    audit.record(
        session,
        scope=scope,
        action=f"farmland.{action}",
        target_type="farmland_project",
        target_id=project.id,
        region_code=project.region_code,
        detail=f"{project.number} {detail}",
    )


def get(session: Session, *, scope: Scope, number: str) -> Project:
    project = session.scalars(select(Project).where(Project.number == number.strip())).first()
    scope.check_read(project.region_code if project else None, f"项目“{number}”")
    assert project is not None
    return project


def get_writable(session: Session, *, scope: Scope, number: str) -> Project:
    project = get(session, scope=scope, number=number)
    scope.check_write(project.region_code, f"项目“{number}”")
    return project


def detail(session: Session, *, scope: Scope, number: str) -> ProjectDetail:
    project = get(session, scope=scope, number=number)
    return ProjectDetail(
        project,
        list(session.scalars(select(ProjectParty).where(ProjectParty.project_id == project.id))),
        list(
            session.scalars(
                select(ProjectContent)
                .where(ProjectContent.project_id == project.id)
                .order_by(ProjectContent.id)
            )
        ),
        list(
            session.scalars(
                select(ProjectFunding)
                .where(ProjectFunding.project_id == project.id)
                .order_by(ProjectFunding.id)
            )
        ),
    )


def add_party(session: Session, *, scope: Scope, number: str, party_in: PartyIn) -> ProjectParty:
    """Record a party of the four systems by name and 统一社会信用代码 (until acceptance:
    contractors and supervisors are chosen after approval)."""
    check_may_enter(scope)
    project = get_writable(session, scope=scope, number=number)
    if project.step in (Step.ACCEPT.value, Step.EVALUATE.value):
        raise Conflict("项目“{number}”已竣工验收，参建单位不能再修改", number=project.number)
    try:
        role = PartyRole(party_in.role)
    except ValueError:
        role = next((r for r in PartyRole if r.label == party_in.role.strip()), None)  # type: ignore[assignment]
        if role is None:
            raise InvalidValue("参建单位类别“{role}”无效", role=party_in.role) from None
    name = party_in.name.strip()
    if not name:
        raise InvalidValue("{role}名称不能为空", role=role.label)
    credit_code = validate_uscc(party_in.credit_code)
    party = ProjectParty(
        project_id=project.id, role=str(role), name=name[:100], credit_code=credit_code
    )
    existing = session.scalars(
        select(ProjectParty).where(
            ProjectParty.project_id == project.id,
            ProjectParty.role == party.role,
            ProjectParty.credit_code == credit_code,
        )
    ).first()
    record(session, scope, project, "party", f"{role.label} {party.name} {credit_code}")
    if existing:
        existing.name = party.name
        return existing
    session.add(party)
    session.flush()
    return party


def set_content(
    session: Session, *, scope: Scope, number: str, category: str, quantity: Decimal | float | str
) -> ProjectContent:
    """A GB/T 30600-2022 content category with its quantity (in the category's unit)."""
    check_may_enter(scope)
    project = get_writable(session, scope=scope, number=number)
    check_unapproved(project)
    name = category.strip()
    if name not in CONTENT_UNITS:
        raise InvalidValue(
            "建设内容“{category}”不是 GB/T 30600-2022 的类别（{choices}）",
            category=name,
            choices="、".join(CONTENT_UNITS),
        )
    amount = decimal_of(quantity, f"{name}数量")
    row = session.scalars(
        select(ProjectContent).where(
            ProjectContent.project_id == project.id, ProjectContent.category == name
        )
    ).first()
    if row is None:
        row = ProjectContent(project_id=project.id, category=name, unit=CONTENT_UNITS[name])
        session.add(row)
    row.quantity = amount
    session.flush()
    record(session, scope, project, "content", f"{name} {amount} {row.unit}")
    return row


def set_funding(
    session: Session, *, scope: Scope, number: str, source: str, amount: Decimal | float | str
) -> ProjectFunding:
    """Investment from one source, in yuan."""
    check_may_enter(scope)
    project = get_writable(session, scope=scope, number=number)
    check_unapproved(project)
    key = source.strip()
    if key not in FUNDING_SOURCES:
        key = next((k for k, label in FUNDING_SOURCES.items() if label == key), "")
    if not key:
        raise InvalidValue(
            "资金来源“{source}”无效（{choices}）",
            source=source,
            choices="、".join(FUNDING_SOURCES.values()),
        )
    yuan = decimal_of(amount, "投资（元）")
    row = session.scalars(
        select(ProjectFunding).where(
            ProjectFunding.project_id == project.id, ProjectFunding.source == key
        )
    ).first()
    if row is None:
        row = ProjectFunding(project_id=project.id, source=key)
        session.add(row)
    row.amount = yuan
    session.flush()
    record(session, scope, project, "funding", f"{FUNDING_SOURCES[key]} {yuan} 元")
    return row


def kind_label(project: Project) -> str:
    return ProjectKind(project.kind).label
