"""JSON API of 高标准农田: the project library a page at a time, one project with its steps,
parties, content, investment and duties, and taking its next step.

Each route is a thin shell over a service function, which checks the caller's role and
region exactly as the pages do.
"""

from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Path, Query, Request, Response

from yunong.farmland import acceptance, entry, lists
from yunong.farmland.codes import (
    FUNDING_SOURCES,
    KIND_LABELS,
    PARTY_LABELS,
    STEP_LABELS,
    Step,
    label_of,
)
from yunong.farmland.lists import ProjectRow
from yunong.farmland.models import Project
from yunong.farmland.schemas import (
    ContentOut,
    DutyOut,
    FundingOut,
    PartyOut,
    ProjectDetailOut,
    ProjectOut,
    StepOut,
    StepTakeIn,
)
from yunong.policy import loader
from yunong.store.db import engine_of
from yunong.web.api import PROBLEMS
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.paging import PageDep, paged

router = APIRouter(prefix="/api/farmland", tags=["高标准农田"])
NumberPath = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[^/\x00-\x1f]+$")]
KINDS = {str(kind): label for kind, label in KIND_LABELS.items()}
STEPS = {str(step): label for step, label in STEP_LABELS.items()}
PARTIES = {str(role): label for role, label in PARTY_LABELS.items()}


def cultivated_mu(project: Project) -> float | None:
    if project.cultivated_m2 is None:
        return None
    return round(float(project.cultivated_m2) * 15 / 10000, 2)


def project_out(project: Project, district_name: str) -> dict[str, object]:
    return {
        "number": project.number,
        "code": project.code,
        "name": project.name,
        "district_code": project.region_code,
        "district_name": district_name,
        "kind": project.kind,
        "kind_name": label_of(KINDS, project.kind),
        "year": project.year,
        "scale_mu": project.scale_mu,
        "step": project.step,
        "step_name": STEPS[project.step] if project.step else "项目库",
        "cultivated_mu": cultivated_mu(project),
    }


def row_out(row: ProjectRow) -> ProjectOut:
    return ProjectOut.model_validate(project_out(row.project, row.district))


StepQuery = Annotated[
    Literal["library", "plan", "prepare", "approve", "schedule", "build", "accept", "evaluate"]
    | None,
    Query(description="当前环节：library 为尚在项目库，其余为已完成的最后一个环节"),
]
SearchQuery = Annotated[str, Query(max_length=40, description="按项目编号或名称查找")]


@router.get("/projects", response_model=list[ProjectOut], responses=PROBLEMS)
def list_projects(
    request: Request,
    response: Response,
    session: SessionDep,
    scope: ScopeDep,
    page: PageDep,
    step: StepQuery = None,
    q: SearchQuery = "",
) -> list[ProjectOut]:
    """管辖范围内的项目库（村、乡镇为本辖区承担管护的项目），按建设年度倒序分页返回
    （见 `X-Total-Count` 与 `Link`）；可按当前环节筛选、按编号或名称查找。"""
    page = replace(page, status=step or "", search=q.strip())
    found = lists.get_projects(session, scope=scope, page=page)
    return [row_out(row) for row in paged(request, response, found)]


def detail_out(record: entry.ProjectRecord) -> ProjectDetailOut:
    detail = record.detail
    return ProjectDetailOut.model_validate(
        {
            **project_out(record.project, record.district_name),
            "next_step": record.next_step.value if record.next_step else None,
            "next_step_name": record.next_step.label if record.next_step else "",
            "steps": [
                StepOut(
                    step=row.step,
                    step_name=Step(row.step).label,
                    done_on=row.done_on,
                    document=row.document,
                    approved_by=row.approved_by,
                    role=row.role,
                )
                for row in record.history
            ],
            "parties": [
                PartyOut(
                    role=party.role,
                    role_name=label_of(PARTIES, party.role),
                    name=party.name,
                    credit_code=party.credit_code,
                )
                for party in detail.parties
            ]
            if detail
            else None,
            "content": [
                ContentOut(category=item.category, quantity=item.quantity, unit=item.unit)
                for item in detail.content
            ]
            if detail
            else None,
            "funding": [
                FundingOut(
                    source=item.source,
                    source_name=label_of(FUNDING_SOURCES, item.source),
                    amount=item.amount,
                )
                for item in detail.funding
            ]
            if detail
            else None,
            "investment": detail.investment if detail else None,
            "investment_per_mu": detail.investment_per_mu if detail else None,
            "duties": [
                DutyOut(
                    region_code=duty.region_code,
                    party_kind=duty.party_kind,
                    party_name=duty.party_name,
                    facilities=duty.facilities,
                    until=duty.until,
                )
                for duty in record.duties
            ],
        }
    )


@router.get("/projects/{number}", response_model=ProjectDetailOut, responses=PROBLEMS)
def get_project(number: NumberPath, session: SessionDep, scope: ScopeDep) -> ProjectDetailOut:
    """一个项目：环节、参建单位、建设内容、投资（项目所在区县可见）与管护责任。"""
    return detail_out(entry.project_record(session, scope=scope, number=number))


@router.post(
    "/projects/{number}/steps",
    response_model=ProjectDetailOut,
    status_code=201,
    responses=PROBLEMS,
)
def take_step(
    number: NumberPath,
    body: StepTakeIn,
    session: SessionDep,
    scope: ScopeDep,
    background: BackgroundTasks,
) -> ProjectDetailOut:
    """办理项目的下一环节（不写 `step` 即为下一环节）：由该环节的角色、按顺序、在管辖范围内
    办理；申报审批时按政策包规则核对，不符合的拒绝并写明规则。"""
    taken = entry.take_step(
        session,
        scope=scope,
        pack=loader.get(),
        number=number,
        step=body.step,
        done_on=body.done_on,
        document=body.document,
        note=body.note,
    )
    if taken.step == Step.ACCEPT.value:
        # As on the page: the map's village figures once the acceptance is committed.
        villages = acceptance.villages_covered(session, scope=scope, number=number)
        background.add_task(acceptance.refresh_map, engine_of(session), villages=villages)
    return detail_out(entry.project_record(session, scope=scope, number=number))
