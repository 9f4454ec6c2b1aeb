"""The procedure of a project, step by step (《农田建设项目管理办法》, 2019).

规划编制 → 前期准备 → 申报审批 → 计划管理 → 组织实施 → 竣工验收 → 监督评价: each step
is taken by its role (:data:`yunong.farmland.codes.STEP_ROLES`), in order, inside the
caller's scope, dated no earlier than the step before and not in the future, and recorded
with its document and who approved it. 申报审批 checks the pack's rules and refuses a
project that breaks one, naming the rule; 竣工验收 sets the high-standard flag on the
parcels inside the boundary, through the land module.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue
from yunong.core.scope import Scope
from yunong.farmland import projects
from yunong.farmland.codes import STEP_ROLES, STEPS, PartyRole, Step
from yunong.farmland.models import Project, ProjectStep
from yunong.policy.schema import Pack


class RuleBroken(InvalidValue):
    """An approval refused by a rule of the policy pack, which the message names."""


@dataclass(frozen=True)
class StepIn:
    step: str
    done_on: date
    document: str = ""
    note: str = ""


def next_step(project: Project) -> Step | None:
    if project.step is None:
        return STEPS[0]
    position = STEPS.index(Step(project.step))
    return STEPS[position + 1] if position + 1 < len(STEPS) else None


def history(session: Session, *, project: Project) -> list[ProjectStep]:
    """The steps taken, in order."""
    rows = session.scalars(select(ProjectStep).where(ProjectStep.project_id == project.id))
    return sorted(rows, key=lambda row: STEPS.index(Step(row.step)))


def step_of(text: str) -> Step:
    value = text.strip()
    for step in STEPS:
        if value in (step.value, step.label):
            return step
    raise InvalidValue(
        "环节“{value}”不存在，应为：{choices}",
        value=value,
        choices=" → ".join(step.label for step in STEPS),
    )


def take(
    session: Session,
    *,
    scope: Scope,
    pack: Pack,
    number: str,
    step_in: StepIn,
    today: date | None = None,
) -> ProjectStep:
    """Take the project's next step as the caller."""
    today = today or date.today()
    project = projects.get_writable(session, scope=scope, number=number)
    step = step_of(step_in.step)
    roles = STEP_ROLES[step]
    if scope.role is not None and Role(scope.role) not in roles:
        raise Forbidden(
            "“{step}”由{roles}办理",
            step=step.label,
            roles="、".join(role.label for role in sorted(roles)),
        )
    expected = next_step(project)
    if step is not expected:
        done = Step(project.step).label if project.step else "尚未开始"
        if expected is None:
            raise Conflict("项目“{number}”各环节均已完成", number=project.number)
        raise Conflict(
            "项目“{number}”当前已完成“{done}”，下一环节是“{expected}”，不能办理“{step}”",
            number=project.number,
            done=done,
            expected=expected.label,
            step=step.label,
        )
    taken = history(session, project=project)
    if step_in.done_on > today:
        raise InvalidValue("办理日期 {day} 晚于今天", day=step_in.done_on.isoformat())
    if taken and step_in.done_on < taken[-1].done_on:
        raise InvalidValue(
            "办理日期 {day} 早于上一环节“{previous}”的日期 {previous_day}",
            day=step_in.done_on.isoformat(),
            previous=Step(taken[-1].step).label,
            previous_day=taken[-1].done_on.isoformat(),
        )
    if step is Step.APPROVE:
        check_rules(session, scope=scope, pack=pack, project=project)
    if step is Step.ACCEPT:
        from yunong.farmland import acceptance

        acceptance.accept(session, scope=scope, project=project)
    row = ProjectStep(
        project_id=project.id,
        step=str(step),
        done_on=step_in.done_on,
        document=step_in.document.strip()[:100],
        note=step_in.note.strip(),
        approved_by=scope.actor,
        role=scope.role or "system",
    )
    session.add(row)
    project.step = str(step)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action=f"farmland.step_{step.value}",
        target_type="farmland_project",
        target_id=project.id,
        region_code=project.region_code,
        after={"step": step.value, "done_on": step_in.done_on.isoformat()},
        detail=f"{project.number} {step.label}",
    )
    return row


def broken_rules(session: Session, *, scope: Scope, pack: Pack, project: Project) -> list[str]:
    """The pack's rules the project breaks at approval, each named with its figures."""
    rules = pack.farmland
    found = []
    district = project.region_code[:6]
    exempt = (
        district in rules.central_districts
        or district in rules.exempt_districts
        or project.number in rules.exempt_projects
    )
    if not exempt and project.scale_mu < rules.min_project_mu:
        found.append(
            f"单个项目建设规模不低于 {rules.min_project_mu:g} 亩（中心城区以外）："
            f"本项目 {project.scale_mu:f} 亩"
        )
    detail = projects.detail(session, scope=scope, number=project.number)
    per_mu = detail.investment_per_mu or 0
    if per_mu < rules.investment_per_mu:
        found.append(f"亩均投资不低于 {rules.investment_per_mu:g} 元：本项目 {per_mu:f} 元/亩")
    if not any(party.role == PartyRole.LEGAL_ENTITY for party in detail.parties):
        found.append("项目法人制：申报前须登记项目法人（名称与统一社会信用代码）")
    if not detail.content:
        found.append("建设内容：申报前须按 GB/T 30600-2022 填写建设内容及数量")
    return found


def check_rules(session: Session, *, scope: Scope, pack: Pack, project: Project) -> None:
    found = broken_rules(session, scope=scope, pack=pack, project=project)
    if found:
        raise RuleBroken(
            "项目“{number}”不符合政策包规则，不能批准：{rules}",
            number=project.number,
            rules="；".join(found),
        )


def due_date(project: Project, last_done: date | None, pack: Pack) -> tuple[Step, date] | None:
    step = next_step(project)
    if step is None or last_done is None:
        return None
    days = pack.farmland.step_days.get(step.value)
    if days is None:
        return None
    return step, last_done + timedelta(days=days)
