"""JSON API of 防返贫监测: alerts, cases and their steps, visits, measures, problems, reports.

Each route is a thin shell over a service function, which checks the caller's role and
region. The self-report routes are public and rate-limited per client address.
"""

from dataclasses import replace
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from yunong.core.errors import InvalidValue
from yunong.core.masking import mask_id_number
from yunong.core.scope import Scope
from yunong.monitor import (
    alerts,
    calendar,
    case_steps,
    households,
    measures,
    opening,
    problem_list,
    problems,
    profile,
    reports,
    schemas,
    visit_photos,
    visits,
    workflow,
)
from yunong.monitor.limits import REPORTS_PER_MINUTE, VILLAGE_LOOKUPS_PER_MINUTE, check_rate
from yunong.monitor.models import Alert, Case, Measure
from yunong.policy import loader as policy
from yunong.policy.schema import Pack
from yunong.store.db import transaction
from yunong.web import uploads
from yunong.web.api import PROBLEMS
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.paging import PageDep, paged

router = APIRouter(prefix="/api/monitor", tags=["防返贫监测"])
CodePath = Annotated[str, Path(min_length=1, max_length=24, pattern=r"^[0-9A-Za-z]+$")]
IdPath = Annotated[int, Path(ge=1, le=2_147_483_647)]
KeyPath = Annotated[str, Path(min_length=8, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]
"""The key a phone gave a visit (a UUID or 32 hexadecimal digits)."""


def pack() -> Pack:
    return policy.get()


def cases_out(session: Session, scope: Scope, cases: list[Case]) -> list[schemas.CaseOut]:
    codes = households.codes_of(
        session, scope=scope, household_ids=[case.household_id for case in cases]
    )
    return [case_out(case, codes[case.household_id]) for case in cases]


def case_out(case: Case, household_code: str, today: date | None = None) -> schemas.CaseOut:
    warning = workflow.warning(case, pack=pack(), today=today)
    return schemas.CaseOut(
        code=case.code,
        household_code=household_code,
        village_code=case.village_code,
        year=case.year,
        state=case.state,
        state_name=workflow.State(case.state).label,
        risk_types=[risk for risk in case.risk_types.split(",") if risk],
        category=case.category,
        has_labour=case.has_labour,
        assigned_to=case.assigned_to,
        opened_on=case.opened_on,
        identification_due_on=case.identification_due_on,
        step_due_on=case.step_due_on,
        removed_on=case.removed_on,
        tracked_after_removal=case.tracked_after_removal,
        reason=case.reason,
        warning=schemas.WarningOut(
            level=warning.level,
            label=warning.label,
            due_on=warning.due_on,
            working_days_left=warning.working_days_left,
        ),
    )


def measure_out(measure: Measure, case_code: str) -> schemas.MeasureOut:
    return schemas.MeasureOut(
        id=measure.id,
        case_code=case_code,
        kind=measure.kind,
        kind_name=pack().monitoring.workflow.measure_kinds.get(measure.kind, measure.kind),
        content=measure.content,
        responsible=measure.responsible,
        started_on=measure.started_on,
        due_on=measure.due_on,
        done_on=measure.done_on,
        progress=measure.progress,
    )


def alert_out(alert: Alert, household_code: str) -> schemas.AlertOut:
    return schemas.AlertOut(
        id=alert.id,
        household_code=household_code,
        village_code=alert.village_code,
        year=alert.year,
        risk_type=alert.risk_type,
        rules=alert.rules,
        sources=alert.sources,
        status=alert.status,
    )


@router.get("/alerts", response_model=list[schemas.AlertOut], responses=PROBLEMS)
def list_alerts(
    request: Request, response: Response, session: SessionDep, scope: ScopeDep, page: PageDep
) -> list[schemas.AlertOut]:
    """管辖范围内尚未派发核实的预警，按村排列，分页返回（见 `X-Total-Count` 与 `Link`）。"""
    found = paged(request, response, alerts.get_open(session, scope=scope, page=page))
    codes = households.codes_of(
        session, scope=scope, household_ids=[alert.household_id for alert in found]
    )
    return [alert_out(alert, codes[alert.household_id]) for alert in found]


@router.post(
    "/alerts/{alert_id}/case", response_model=schemas.CaseOut, status_code=201, responses=PROBLEMS
)
def open_case(
    alert_id: IdPath, body: schemas.CaseOpenIn, session: SessionDep, scope: ScopeDep
) -> schemas.CaseOut:
    """村干部把预警派发给本村网格员入户核实，开始识别（时限起算）。"""
    case = opening.open_case(
        session,
        scope=scope,
        alert_id=alert_id,
        grid_worker=body.grid_worker,
        pack=pack(),
        note=body.note,
    )
    return cases_out(session, scope, [case])[0]


@router.get("/cases", response_model=list[schemas.CaseOut], responses=PROBLEMS)
def list_cases(
    request: Request,
    response: Response,
    session: SessionDep,
    scope: ScopeDep,
    page: PageDep,
    state: Annotated[str | None, Query(max_length=32, description="只列出此状态的案件")] = None,
) -> list[schemas.CaseOut]:
    """管辖范围内的监测案件，时限近的在前，分页返回（见 `X-Total-Count` 与 `Link`）。"""
    states = (parse_state(state),) if state else None
    found = workflow.get_page(session, scope=scope, states=states, page=page)
    return cases_out(session, scope, paged(request, response, found))


def parse_state(text: str) -> workflow.State:
    try:
        return workflow.State(text)
    except ValueError:
        raise InvalidValue(f"案件状态“{text}”应为：{'、'.join(workflow.State)}") from None


@router.get("/cases/{code}", response_model=schemas.CaseOut, responses=PROBLEMS)
def get_case(code: CodePath, session: SessionDep, scope: ScopeDep) -> schemas.CaseOut:
    """一个监测案件及其当前步骤的时限预警。"""
    return cases_out(session, scope, [workflow.get(session, scope=scope, code=code)])[0]


@router.post("/cases/{code}/verify", response_model=schemas.CaseOut, responses=PROBLEMS)
def verify(
    code: CodePath, body: schemas.VisitBody, session: SessionDep, scope: ScopeDep
) -> schemas.CaseOut:
    """网格员提交入户核实的走访记录（同一 client_key 重发不重复保存）。"""
    case = case_steps.verify(
        session, scope=scope, code=code, visit_in=visit_in(body, "", verifies=True), pack=pack()
    )
    return cases_out(session, scope, [case])[0]


@router.post("/cases/{code}/steps/{step}", response_model=schemas.CaseOut, responses=PROBLEMS)
def take_step(
    code: CodePath,
    step: Annotated[str, Path(max_length=32, description="、".join(workflow.STEPS))],
    body: schemas.StepIn,
    session: SessionDep,
    scope: ScopeDep,
) -> schemas.CaseOut:
    """办理一步：village_review、town_review、district_approval、propose_removal、
    removal_town_review、removal_district_approval，每步只能由其所属角色在管辖范围内办理。"""
    case = case_steps.take(
        session,
        scope=scope,
        code=code,
        step_name=step,
        decision=case_steps.Decision(
            passed=body.passed,
            note=body.note,
            category=body.category,
            risk_types=tuple(body.risk_types),
        ),
        pack=pack(),
    )
    return cases_out(session, scope, [case])[0]


@router.post(
    "/cases/{code}/measures",
    response_model=schemas.MeasureOut,
    status_code=201,
    responses=PROBLEMS,
)
def add_measure(
    code: CodePath, body: schemas.MeasureBody, session: SessionDep, scope: ScopeDep
) -> schemas.MeasureOut:
    """村干部为纳入监测的农户制定一项帮扶措施（一户一清单）。"""
    case = workflow.get(session, scope=scope, code=code)
    measure = measures.add(
        session,
        scope=scope,
        case=case,
        measure_in=measures.MeasureIn(**body.model_dump()),
        pack=pack(),
    )
    return measure_out(measure, case.code)


@router.post(
    "/measures/{measure_id}/progress", response_model=schemas.MeasureOut, responses=PROBLEMS
)
def record_progress(
    measure_id: IdPath, body: schemas.ProgressBody, session: SessionDep, scope: ScopeDep
) -> schemas.MeasureOut:
    """记录帮扶措施的进展或完成（村干部、网格员）。"""
    measure = measures.record_progress(
        session, scope=scope, measure_id=measure_id, note=body.note, done=body.done
    )
    return measure_out(measure, measures.case_of(session, scope=scope, measure=measure).code)


def visit_in(body: schemas.VisitBody, code: str, verifies: bool) -> visits.VisitIn:
    return visits.VisitIn(
        client_key=body.client_key,
        household_code=code,
        visited_on=body.visited_on,
        per_capita_income=body.per_capita_income,
        checks={name: getattr(body, name) for name in visits.CHECKS},
        risks_found=body.risks_found,
        note=body.note,
        verifies=verifies,
        position=visits.position_of(body.latitude, body.longitude, body.position_accuracy_m),
    )


@router.post("/visits", response_model=schemas.VisitOut, status_code=201, responses=PROBLEMS)
def record_visit(
    body: schemas.VisitBody, response: Response, session: SessionDep, scope: ScopeDep
) -> schemas.VisitOut:
    """保存一次走访：离线时先存在手机上，联网后发送；同一 client_key 只保存一次（重发返回 200）。"""
    if not body.household_code:
        raise InvalidValue("请填写农户全农码")
    visit, created = visits.record_visit(
        session,
        scope=scope,
        visit_in=visit_in(body, body.household_code, verifies=body.verifies),
        pack=pack(),
    )
    if not created:
        response.status_code = 200
    return schemas.VisitOut(
        id=visit.id,
        client_key=visit.client_key,
        household_code=households.code_of(session, scope=scope, household_id=visit.household_id),
        visited_on=visit.visited_on,
        visitor=visit.visitor,
        created=created,
        message=visits.confirmation(session, scope=scope, visit=visit),
    )


@router.post(
    "/visits/{client_key}/photo",
    response_model=schemas.VisitPhotoOut,
    responses=PROBLEMS,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                }
            },
        }
    },
)
async def attach_visit_photo(client_key: KeyPath, request: Request) -> schemas.VisitPhotoOut:
    """为已保存的走访添加一张照片（multipart 表单，JPEG、PNG 或 WebP，不超过 5 MB）：
    按内容核验为图片，缩至 1600 像素以内并重新编码为 JPEG（去除文件自带的 EXIF、GPS 等元数据）；
    只有登记该走访的人可以添加，重发替换原照片。"""

    def may_attach(session: Session, scope: Scope) -> None:
        visit_photos.check_may_attach(session, scope=scope, client_key=client_key)

    async with uploads.receive(
        request,
        allowed=may_attach,
        suffixes=visit_photos.SUFFIXES,
        limits=visit_photos.PHOTO_LIMITS,
    ) as upload:
        photo: visit_photos.Photo = await upload.read(visit_photos.normalise)
    return await run_in_threadpool(save_photo, request, upload.scope, client_key, photo)


def save_photo(
    request: Request, scope: Scope, client_key: str, photo: visit_photos.Photo
) -> schemas.VisitPhotoOut:
    """In a transaction of its own: none is open while the photo is read."""
    with transaction(request.app.state.sessions) as session:
        stored = visit_photos.attach(session, scope=scope, client_key=client_key, photo=photo)
        return schemas.VisitPhotoOut(
            visit_id=stored.visit_id,
            client_key=client_key,
            width=stored.width,
            height=stored.height,
            bytes=len(stored.content),
        )


@router.get("/households/{code}", response_model=schemas.HouseholdOut, responses=PROBLEMS)
def get_household(code: CodePath, session: SessionDep, scope: ScopeDep) -> schemas.HouseholdOut:
    """一户的档案：成员（证件号码脱敏）、历年收入、案件、措施与时间线（每次查看记入审计）。"""
    found = profile.get(session, scope=scope, code=code, pack=pack())
    case_codes = {case.id: case.code for case in found.cases}
    return schemas.HouseholdOut(
        code=found.household.code,
        village_code=found.household.village_code,
        region=found.region,
        members=[schemas.MemberOut(**vars(member)) for member in found.members],
        incomes=[
            schemas.IncomeOut(
                year=row.year,
                members=row.members,
                net_income=row.net_income,
                per_capita_income=row.per_capita_income,
            )
            for row in found.incomes
        ],
        cases=[case_out(case, found.household.code) for case in found.cases],
        measures=[measure_out(measure, case_codes[measure.case_id]) for measure in found.measures],
        removal_unmet=found.removal.unmet if found.removal else None,
        plan_gap=found.plan_gap,
        timeline=[schemas.EntryOut(**vars(entry)) for entry in found.timeline],
    )


@router.get("/problems", response_model=list[schemas.ProblemOut], responses=PROBLEMS)
def list_problems(
    request: Request,
    response: Response,
    session: SessionDep,
    scope: ScopeDep,
    asked: PageDep,
    region: Annotated[
        str | None, Query(max_length=12, pattern=r"^\d*$", description="只列出此区划以内的")
    ] = None,
) -> list[schemas.ProblemOut]:
    """问题动态清零：超时的核实、评议审核与逾期的帮扶措施，最久的在前，分页返回
    （`page`、`per_page`；总数在响应头 `X-Total-Count`，上一页、下一页在 `Link`）。"""
    page = replace(asked, region=region or "", descending=True)
    found = problem_list.get_page(session, scope=scope, page=page, today=calendar.today())
    return [
        schemas.ProblemOut(**problem.as_json())  # type: ignore[arg-type]
        for problem in paged(request, response, found)
    ]


@router.get("/indicators", response_model=schemas.IndicatorsOut, responses=PROBLEMS)
def get_indicators(
    session: SessionDep,
    scope: ScopeDep,
    region: Annotated[str | None, Query(max_length=12, pattern=r"^\d*$")] = None,
) -> schemas.IndicatorsOut:
    """清零率与按类别统计的监测户数（供驾驶舱读取）。"""
    figures = problems.indicators(session, scope=scope, pack=pack(), region=region)
    return schemas.IndicatorsOut.model_validate(figures)


@router.get("/self-reports", response_model=list[schemas.ReportOut], responses=PROBLEMS)
def list_reports(
    request: Request, response: Response, session: SessionDep, scope: ScopeDep, page: PageDep
) -> list[schemas.ReportOut]:
    """管辖范围内的农户自主申报（证件号码脱敏），新的在前，分页返回（见 `X-Total-Count` 与
    `Link`；每次查看记入审计）。"""
    found = paged(request, response, reports.view_page(session, scope=scope, page=page))
    linked = [report.household_id for report in found if report.household_id]
    codes = households.codes_of(session, scope=scope, household_ids=linked)
    return [
        schemas.ReportOut(
            reference=report.reference,
            village_code=report.village_code,
            household_code=codes.get(report.household_id) if report.household_id else None,
            name=report.name,
            id_number=mask_id_number(report.id_number),
            risk_type=report.risk_type,
            what_happened=report.what_happened,
            received_on=report.received_on,
        )
        for report in found
    ]


@router.post(
    "/self-reports",
    response_model=schemas.ReportReceipt,
    status_code=201,
    responses=PROBLEMS | {429: PROBLEMS[404]},
)
def submit_report(
    body: schemas.ReportBody, request: Request, session: SessionDep
) -> schemas.ReportReceipt:
    """农户自主申报（无需登录，按客户端地址限制频率），返回受理编号。"""
    check_rate(request, "self_report", REPORTS_PER_MINUTE)
    report = reports.submit(session, report_in=reports.ReportIn(**body.model_dump()))
    return schemas.ReportReceipt(reference=report.reference, received_on=report.received_on)


@router.get("/villages", response_model=list[schemas.VillageOut], responses=PROBLEMS)
def search_villages(
    request: Request,
    session: SessionDep,
    q: Annotated[
        str,
        Query(
            min_length=1, max_length=20, pattern=r"^[^\x00-\x1f\x7f]*$", description="村名中的字"
        ),
    ],
) -> list[schemas.VillageOut]:
    """按名称查找村（自主申报页面选择村用，无需登录）。"""
    check_rate(request, "villages", VILLAGE_LOOKUPS_PER_MINUTE)
    return [
        schemas.VillageOut(code=code, name=name)
        for code, name in reports.search_villages(session, q)
    ]
