"""What the entry page of a project shows its district's farmland office: the project with
its parties, content and investment, its maintenance duties, which forms are still open
(project, content and investment until approval; parties until acceptance; duties after
acceptance) and who acts next."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from yunong.core.errors import Conflict
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.farmland import maintenance, projects, steps
from yunong.farmland.codes import STEP_ROLES, Step
from yunong.farmland.models import Duty, Project, ProjectStep
from yunong.policy.schema import Pack


@dataclass
class EntryView:
    detail: projects.ProjectDetail
    district_name: str
    duties: list[Duty]
    current: str
    """The step done last, or 项目库 before the first."""
    next_step: Step | None
    next_roles: str
    """The roles that take the next step, joined by 、."""
    editable: bool
    """Project, content and investment may still change (not yet approved)."""
    parties_open: bool
    duties_open: bool
    missing: list[str]
    """What approval will ask for that is not recorded yet."""


def entry_view(session: Session, *, scope: Scope, number: str) -> EntryView:
    """The project for its district's office; refused to anyone else."""
    projects.check_may_enter(scope)
    project = projects.get_writable(session, scope=scope, number=number)
    detail = projects.detail(session, scope=scope, number=number)
    upcoming = steps.next_step(project)
    step = Step(project.step) if project.step else None
    accepted = step in (Step.ACCEPT, Step.EVALUATE)
    missing = []
    if not any(party.role == "legal_entity" for party in detail.parties):
        missing.append("项目法人")
    if not detail.content:
        missing.append("建设内容")
    if not detail.funding:
        missing.append("投资")
    return EntryView(
        detail=detail,
        district_name=regions.get(session, code=project.region_code).name,
        duties=maintenance.duties(session, scope=scope, project=project),
        current=step.label if step else "项目库",
        next_step=upcoming,
        next_roles="、".join(role.label for role in sorted(STEP_ROLES[upcoming]))
        if upcoming
        else "",
        editable=step is None or step not in projects.APPROVED,
        parties_open=not accepted,
        duties_open=accepted,
        missing=missing,
    )


@dataclass
class ProjectRecord:
    """A project as the JSON API answers it: everything for its district, the project, its
    steps and the caller's duties for those who only keep it up."""

    project: Project
    district_name: str
    detail: projects.ProjectDetail | None
    history: list[ProjectStep]
    next_step: Step | None
    duties: list[Duty]


def project_record(session: Session, *, scope: Scope, number: str) -> ProjectRecord:
    project, duties = maintenance.visible_project(session, scope=scope, number=number)
    keeps = scope.covers(project.region_code)
    return ProjectRecord(
        project=project,
        district_name=regions.get(session, code=project.region_code).name,
        detail=projects.detail(session, scope=scope, number=number) if keeps else None,
        history=steps.history(session, project=project),
        next_step=steps.next_step(project),
        duties=duties,
    )


def take_step(
    session: Session,
    *,
    scope: Scope,
    pack: Pack,
    number: str,
    step: str,
    done_on: date | None,
    document: str = "",
    note: str = "",
) -> ProjectStep:
    """Take the step named, or the project's next step when none is named; the rules are
    those of the page (:func:`yunong.farmland.steps.take`)."""
    if not step.strip():
        upcoming = steps.next_step(projects.get_writable(session, scope=scope, number=number))
        if upcoming is None:
            raise Conflict("项目“{number}”各环节均已完成", number=number)
        step = upcoming.value
    return steps.take(
        session,
        scope=scope,
        pack=pack,
        number=number,
        step_in=steps.StepIn(step, done_on or date.today(), document, note),
    )
