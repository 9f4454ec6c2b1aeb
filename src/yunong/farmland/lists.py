"""The project library as a paged list (``core/listing.py``): projects of the districts in
the caller's scope, or for village and town people the projects they keep up, found by
number or name, filtered by step."""

from dataclasses import dataclass, replace

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.listing import Listing, ListSpec, Page, Sort
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.farmland.codes import KIND_LABELS, STEP_LABELS, Step
from yunong.farmland.models import Duty, Project

PROJECTS = ListSpec(
    sorts={
        "year": Sort("建设年度", (Project.year, Project.id)),
        "number": Sort("项目编号", (Project.number, Project.id)),
        "scale": Sort("建设规模（亩）", (Project.scale_mu, Project.id)),
    },
    default_sort="-year",
    statuses={"library": "项目库", **{step.value: label for step, label in STEP_LABELS.items()}},
    status_label="当前环节",
    search="项目编号、项目名称",
)


@dataclass(frozen=True)
class ProjectRow:
    project: Project
    district: str
    kind: str
    step: str
    cultivated_mu: float | None


def project_query(scope: Scope, page: Page) -> Select[tuple[Project]]:
    kept = select(Duty.project_id).where(scope.condition(Duty.region_code))
    query = select(Project).where(or_(scope.condition(Project.region_code), Project.id.in_(kept)))
    if page.status == "library":
        query = query.where(Project.step.is_(None))
    elif page.status:
        query = query.where(Project.step == page.status)
    if page.search:
        query = query.where(
            or_(
                Project.number.contains(page.search, autoescape=True),
                Project.name.contains(page.search, autoescape=True),
            )
        )
    return query


def get_projects(session: Session, *, scope: Scope, page: Page) -> Listing[ProjectRow]:
    if not page.sort:  # a JSON page (web/paging.py) asks for the list's own order
        sort, descending = listing.sort_of("", PROJECTS)
        page = replace(page, sort=sort, descending=descending)
    found = listing.fetch(session, project_query(scope, page), page, PROJECTS)
    projects: list[Project] = found.rows
    names = {
        code: regions.get(session, code=code).name for code in {p.region_code for p in projects}
    }
    return found.with_rows(
        [
            ProjectRow(
                project,
                names[project.region_code],
                KIND_LABELS.get(project.kind, project.kind),  # type: ignore[call-overload]
                Step(project.step).label if project.step else "项目库",
                round(float(project.cultivated_m2) * 15 / 10000, 2)
                if project.cultivated_m2 is not None
                else None,
            )
            for project in projects
        ]
    )
