"""帮扶项目资产: projects built with 衔接资金, 鲁渝协作 or social funds, their fund sources, their
stages as dated steps in order, the assets they formed (entered in the 三资 registry of the
village's collective economic organisation), the income from them and who benefits."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from yunong.collective import orgs, registry
from yunong.collective.books import to_fen
from yunong.collective.models import (
    Project,
    ProjectFund,
    ProjectIncome,
    ProjectStep,
    RegistryItem,
)
from yunong.collective.registry import ItemIn
from yunong.core.audit import service as audit
from yunong.core.errors import Conflict, InvalidValue, NotFound
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.policy.schema import Collective, SupportProjects

STEPS = {
    "approved": "立项",
    "built": "建成",
    "accepted": "验收",
    "confirmed": "确权",
    "handed_over": "移交",
}
"""The stages of a project, in the order they must follow one another."""
ORDER = list(STEPS)
COMPLETED = "accepted"
"""From acceptance (验收) on, a project is completed and its assets should be confirmed and
handed to the collective."""


@dataclass(frozen=True)
class ProjectIn:
    number: str
    name: str
    region_code: str
    kind: str
    funds: dict[str, Decimal]
    """Yuan by fund source key."""
    approved_on: date
    households: int = 0
    beneficiaries: int = 0
    monitored_households: int = 0
    steps: dict[str, date] = field(default_factory=dict)
    """Later steps already done (built, accepted …), by step key."""


def kind_of(text: str, rules: SupportProjects) -> str:
    """A project kind from its key or its name (产业, 产业类, 产业项目 …)."""
    value = text.strip()
    for key, name in rules.kinds.items():
        if value in (key, name, f"{name}类", f"{name}项目", f"{name}类项目"):
            return key
    raise InvalidValue(
        "项目类型“{value}”不在策略包中，应为{names}",
        value=value,
        names="、".join(rules.kinds.values()),
    )


def source_of(text: str, rules: SupportProjects) -> str:
    """A fund source from its key or its name, with or without the trailing 资金."""
    value = text.strip()
    for key, source in rules.fund_sources.items():
        if value in (key, source.name, source.name.removesuffix("资金")):
            return key
    names = "、".join(source.name for source in rules.fund_sources.values())
    raise InvalidValue("资金来源“{value}”不在策略包中，应为{names}", value=value, names=names)


def checked(project_in: ProjectIn, rules: SupportProjects) -> None:
    if not project_in.number.strip():
        raise InvalidValue("项目编号不能为空")
    if not project_in.name.strip():
        raise InvalidValue("项目名称不能为空")
    if project_in.kind not in rules.kinds:
        kind_of(project_in.kind, rules)
    if not project_in.funds:
        raise InvalidValue("项目至少应有一个资金来源和金额")
    for source, amount in project_in.funds.items():
        if source not in rules.fund_sources:
            source_of(source, rules)
        if amount <= 0:
            raise InvalidValue(
                "资金来源“{source}”的金额应大于 0", source=source_label(source, rules)
            )
    counts = (project_in.households, project_in.beneficiaries, project_in.monitored_households)
    if min(counts) < 0:
        raise InvalidValue("受益户数、受益人数与监测户数不能为负数")
    if project_in.monitored_households > project_in.households:
        raise InvalidValue("监测户数不能多于受益户数")


def source_label(source: str, rules: SupportProjects) -> str:
    found = rules.fund_sources.get(source)
    return found.name if found else source


def create(
    session: Session, *, scope: Scope, project_in: ProjectIn, rules: SupportProjects
) -> Project:
    """Register a project at its approval (立项) with its funds, and issue its 全农码."""
    region = regions.get(session, code=project_in.region_code)
    scope.check_write(region.code, f"区划“{project_in.region_code.strip()}”")
    if region_codes.level_of(region.code) is not Level.VILLAGE:
        raise InvalidValue("帮扶项目应登记在村（12 位区划代码）")
    checked(project_in, rules)
    number = project_in.number.strip()
    if session.scalar(select(Project.id).where(Project.number == number)):
        raise Conflict("项目编号“{number}”已登记", number=number)
    project = Project(
        code="",
        number=number,
        name=project_in.name.strip(),
        region_code=region.code,
        kind=project_in.kind,
        year=project_in.approved_on.year,
        stage="approved",
        households=project_in.households,
        beneficiaries=project_in.beneficiaries,
        monitored_households=project_in.monitored_households,
    )
    session.add(project)
    session.flush()
    project.code = identity.create(
        session,
        scope=scope,
        kind=Kind.EVENT,
        region_code=region.code,
        entity_type="collective_project",
        entity_id=str(project.id),
    )
    session.add_all(
        ProjectFund(project_id=project.id, source=source, amount_fen=to_fen(amount))
        for source, amount in project_in.funds.items()
    )
    session.add(
        ProjectStep(
            project_id=project.id,
            step="approved",
            done_on=project_in.approved_on,
            recorded_by=scope.actor,
        )
    )
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="collective.project.create",
        target_type="collective_project",
        target_id=project.code,
        region_code=region.code,
        after={"number": number, "kind": project.kind, "funds": funds_json(project_in.funds)},
    )
    for step in ORDER[1:]:
        if step in project_in.steps:
            record_step(session, scope=scope, project=project, step=step, on=project_in.steps[step])
    return project


def funds_json(funds: dict[str, Decimal]) -> dict[str, str]:
    return {source: str(amount) for source, amount in funds.items()}


def steps_of(session: Session, project: Project) -> dict[str, date]:
    rows = session.execute(
        select(ProjectStep.step, ProjectStep.done_on).where(ProjectStep.project_id == project.id)
    ).tuples()
    return dict(sorted(rows, key=lambda row: ORDER.index(row[0])))


def record_step(
    session: Session, *, scope: Scope, project: Project, step: str, on: date
) -> ProjectStep:
    """Record the next stage of a project on its date: stages follow in order, and none is
    dated before the one before it."""
    scope.check_write(project.region_code, f"帮扶项目“{project.number}”")
    if step not in STEPS:
        raise InvalidValue(
            "环节“{step}”不是帮扶项目的环节，应为{names}",
            step=step,
            names="、".join(STEPS.values()),
        )
    done = steps_of(session, project)
    if step in done:
        raise Conflict(
            "项目“{number}”已于 {on} 记录“{step}”",
            number=project.number,
            on=done[step],
            step=STEPS[step],
        )
    expected = ORDER[ORDER.index(project.stage) + 1] if project.stage != ORDER[-1] else None
    if step != expected:
        raise InvalidValue(
            "项目“{number}”当前为“{stage}”，下一环节应为“{expected}”，不能记“{step}”",
            number=project.number,
            stage=STEPS[project.stage],
            expected=STEPS[expected] if expected else "（已移交，无后续环节）",
            step=STEPS[step],
        )
    before = done[project.stage]
    if on < before:
        raise InvalidValue(
            "项目“{number}”的“{step}”日期 {on} 早于“{previous}”日期 {before}",
            number=project.number,
            step=STEPS[step],
            on=on,
            previous=STEPS[project.stage],
            before=before,
        )
    row = ProjectStep(project_id=project.id, step=step, done_on=on, recorded_by=scope.actor)
    session.add(row)
    project.stage = step
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="collective.project.step",
        target_type="collective_project",
        target_id=project.code,
        region_code=project.region_code,
        after={"step": step, "on": on.isoformat()},
    )
    return row


def record_income(
    session: Session, *, scope: Scope, project: Project, year: int, amount: Decimal
) -> ProjectIncome:
    """Set what the project's assets earned in ``year`` (the year's figure replaces an earlier
    one of the same year)."""
    scope.check_write(project.region_code, f"帮扶项目“{project.number}”")
    if amount < 0:
        raise InvalidValue("项目收益不能为负数")
    row = session.scalars(
        select(ProjectIncome).where(
            ProjectIncome.project_id == project.id, ProjectIncome.year == year
        )
    ).first()
    before = row.amount_fen if row else None
    if row is None:
        row = ProjectIncome(project_id=project.id, year=year, amount_fen=to_fen(amount))
        session.add(row)
    else:
        row.amount_fen = to_fen(amount)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="collective.project.income",
        target_type="collective_project",
        target_id=project.code,
        region_code=project.region_code,
        before={"year": year, "fen": before} if before is not None else None,
        after={"year": year, "fen": row.amount_fen},
    )
    return row


def get_by_code(session: Session, *, scope: Scope, code: str) -> Project:
    """A project by its 全农码 or its 项目编号, inside the scope."""
    key = code.strip()
    query = select(Project).where(or_(Project.code == key.upper(), Project.number == key))
    found = session.scalars(scope.filter(query, Project.region_code)).first()
    if found is None:
        raise NotFound("帮扶项目“{code}”不存在或不在您的管辖范围内", code=key)
    return found


def funds_of(session: Session, project_ids: list[int]) -> dict[int, dict[str, int]]:
    """Fen by fund source of each project."""
    found: dict[int, dict[str, int]] = {pid: {} for pid in project_ids}
    if not project_ids:
        return found
    rows = session.execute(
        select(ProjectFund.project_id, ProjectFund.source, ProjectFund.amount_fen)
        .where(ProjectFund.project_id.in_(project_ids))
        .order_by(ProjectFund.id)
    ).tuples()
    for project_id, source, fen in rows:
        found[project_id][source] = fen
    return found


def income_of(session: Session, project: Project) -> list[tuple[int, int]]:
    """(year, fen) of the project's income, oldest first."""
    rows = session.execute(
        select(ProjectIncome.year, ProjectIncome.amount_fen)
        .where(ProjectIncome.project_id == project.id)
        .order_by(ProjectIncome.year)
    ).tuples()
    return list(rows)


def total_income(session: Session, project_ids: list[int]) -> dict[int, int]:
    if not project_ids:
        return {}
    rows = session.execute(
        select(ProjectIncome.project_id, func.sum(ProjectIncome.amount_fen))
        .where(ProjectIncome.project_id.in_(project_ids))
        .group_by(ProjectIncome.project_id)
    ).tuples()
    return {project_id: int(fen) for project_id, fen in rows}


def add_asset(
    session: Session, *, scope: Scope, project: Project, item_in: ItemIn, rules: Collective
) -> RegistryItem:
    """An asset the project formed, entered in the 三资 registry of the village's collective
    economic organisation, which owns it."""
    try:
        org = orgs.get_by_code(session, scope=scope, code=project.region_code)
    except NotFound:
        raise InvalidValue(
            "项目“{number}”所在村尚未登记集体经济组织，资产无处登记", number=project.number
        ) from None
    return registry.add(
        session, scope=scope, org=org, item_in=item_in, rules=rules, project=project
    )
