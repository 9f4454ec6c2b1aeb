"""Pages of 人居环境: the overview (districts' clearance of black and odorous water, with a
chart), the water bodies, the settlements and the toilet subsidies as paged lists, the
subsidy steps of the town and district, and the grid worker's phone form for toilet visits."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, InvalidValue
from yunong.core.scope import Scope
from yunong.habitat import lists, overview, remediation, toilets
from yunong.habitat.indicators import habitat_rules
from yunong.habitat.toilets import STATE_LABELS, STEP_ROLES, VisitIn
from yunong.policy import loader as policy
from yunong.web import i18n
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render
from yunong.web.listing import list_view, page_of, scope_of

router = APIRouter(include_in_schema=False)
DONE = {
    "apply": "申请已登记，待网格员走访核实建成",
    "visit": "走访已记录",
    "built": "走访已记录，改厕已建成，待乡镇验收",
    "accept": "已验收，待区县发放补助",
    "reject": "未通过验收，已退回农户整改",
    "pay": "补助已发放",
    "stage": "整治环节已更新",
}
REMEDIATING = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER})
"""Who moves a remediation on (acceptance itself is the district's)."""


@router.get("/habitat", response_class=HTMLResponse)
def habitat_overview(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """Districts' clearance against the 2025 target, unserved settlements, sanitary toilets."""
    rules = habitat_rules()
    found = overview.get(session, scope=scope, pack=policy.get(), rules=rules)
    return render(request, session, "habitat/overview.html", overview=found, rules=rules)


@router.get("/habitat/water", response_class=HTMLResponse)
def water_list(
    request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    """The water bodies by their latest test, with the stage of their remediation; officers
    move a remediation on from here."""
    return water_page(request, session, scope, done=DONE.get(done, ""))


def water_page(
    request: Request, session: Session, scope: Scope, *, done: str = "", error: str = ""
) -> HTMLResponse:
    page = page_of(request, lists.WATER)
    found = lists.get_water(session, scope=scope_of(request, session, scope, page), page=page)
    rules = habitat_rules().black_odorous
    return render(
        request,
        session,
        "habitat/water.html",
        status_code=422 if error else 200,
        view=list_view(request, session, scope, found, lists.WATER),
        kinds=rules.kinds,
        stages=rules.stages,
        accepted=remediation.accepted_stages(rules),
        acceptance=remediation.acceptance_stage(rules),
        may_act=scope.can_write and scope.role in REMEDIATING,
        done=done,
        error=error,
    )


@router.post("/habitat/water/step", response_model=None)
def water_step(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    body_code: Annotated[str, Form(max_length=40)],
    action: Annotated[str, Form(max_length=10)],
    surveyed: Annotated[int | None, Form(ge=0, le=100000)] = None,
    satisfied: Annotated[int | None, Form(ge=0, le=100000)] = None,
) -> Response:
    """Take a black and odorous body into remediation, or move it to its next stage."""
    rules = habitat_rules().black_odorous
    today = date.today()
    try:
        if action == "start":
            remediation.start(session, scope=scope, body_code=body_code, on=today, rules=rules)
        elif action == "advance":
            remediation.advance(session, scope=scope, body_code=body_code, on=today, rules=rules,
                                surveyed=surveyed, satisfied=satisfied)  # fmt: skip
        else:
            raise InvalidValue("未知的操作“{action}”", action=action)
    except (InvalidValue, Conflict) as error:
        session.rollback()
        return water_page(request, session, scope, error=i18n.error_text(error))
    return RedirectResponse("/habitat/water?done=stage", status_code=303)


@router.get("/habitat/settlements", response_class=HTMLResponse)
def settlement_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """Settlements, and whether those of the rule's size have a facility with its network."""
    page = page_of(request, lists.SETTLEMENTS)
    where = scope_of(request, session, scope, page)
    found = lists.get_settlements(session, scope=where, page=page, pack=policy.get())
    return render(
        request,
        session,
        "habitat/settlements.html",
        view=list_view(request, session, scope, found, lists.SETTLEMENTS),
    )


@router.get("/habitat/toilets", response_class=HTMLResponse)
def subsidy_list(
    request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    """The 先改后补 subsidies; the town accepts and the district pays from here."""
    return subsidy_page(request, session, scope, done=DONE.get(done, ""))


def subsidy_page(
    request: Request, session: Session, scope: Scope, *, done: str = "", error: str = ""
) -> HTMLResponse:
    page = page_of(request, lists.SUBSIDIES)
    found = lists.get_subsidies(session, scope=scope_of(request, session, scope, page), page=page)
    return render(
        request,
        session,
        "habitat/toilets.html",
        status_code=422 if error else 200,
        view=list_view(request, session, scope, found, lists.SUBSIDIES),
        may_accept=scope.can_write and scope.role == STEP_ROLES["accept"],
        may_pay=scope.can_write and scope.role == STEP_ROLES["pay"],
        may_visit=scope.can_write and scope.role == STEP_ROLES["build"],
        may_apply=scope.can_write and scope.role == STEP_ROLES["apply"],
        sanitary_types=[kind for kind, yes in habitat_rules().toilets.types.items() if yes],
        village=scope.region_code,
        subsidy=habitat_rules().toilets.subsidy_yuan,
        state_labels=STATE_LABELS,
        done=done,
        error=error,
    )


@router.post("/habitat/toilets/apply", response_model=None)
def subsidy_apply(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    region_code: Annotated[str, Form(max_length=12)],
    household_number: Annotated[str, Form(max_length=20)],
    head_name: Annotated[str, Form(max_length=40)],
    kind: Annotated[str, Form(max_length=16)],
) -> Response:
    """The village records a household's application (先改后补)."""
    application = toilets.ApplicationIn(region_code, household_number, head_name, kind)
    try:
        toilets.apply(session, scope=scope, application_in=application,
                      rules=habitat_rules().toilets, on=date.today())  # fmt: skip
    except (InvalidValue, Conflict) as error:
        session.rollback()
        return subsidy_page(request, session, scope, error=i18n.error_text(error))
    return RedirectResponse("/habitat/toilets?done=apply", status_code=303)


@router.post("/habitat/toilets/step", response_model=None)
def subsidy_step(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    subsidy_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    action: Annotated[str, Form(max_length=10)],
    note: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Accept (or send back) a built toilet, or pay an accepted one's subsidy."""
    today = date.today()
    try:
        if action in ("accept", "reject"):
            toilets.accept(session, scope=scope, subsidy_id=subsidy_id,
                           passed=action == "accept", on=today, note=note)  # fmt: skip
        elif action == "pay":
            toilets.pay(session, scope=scope, subsidy_id=subsidy_id,
                        rules=habitat_rules().toilets, on=today)  # fmt: skip
        else:
            raise InvalidValue("未知的操作“{action}”", action=action)
    except (InvalidValue, Conflict) as error:
        session.rollback()
        return subsidy_page(request, session, scope, error=i18n.error_text(error))
    return RedirectResponse(f"/habitat/toilets?done={action}", status_code=303)


@router.get("/habitat/toilets/visit", response_class=HTMLResponse)
def visit_form(
    request: Request, session: SessionDep, scope: ScopeDep, household: str = "", done: str = ""
) -> HTMLResponse:
    """The grid worker's phone form: what toilet a household has, and whether it is used."""
    return visit_page(request, session, scope, household=household[:20], done=DONE.get(done, ""))


def visit_page(
    request: Request,
    session: Session,
    scope: Scope,
    *,
    household: str = "",
    done: str = "",
    error: str = "",
) -> HTMLResponse:
    rules = habitat_rules().toilets
    return render(
        request,
        session,
        "habitat/visit.html",
        status_code=422 if error else 200,
        types=rules.types,
        household=household,
        waiting=toilets.waiting(session, scope=scope, state=toilets.State.APPLIED),
        may_visit=scope.can_write and scope.role == STEP_ROLES["build"],
        village=scope.region_code,
        done=done,
        error=error,
    )


@router.post("/habitat/toilets/visit", response_model=None)
def record_visit(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    region_code: Annotated[str, Form(max_length=12)],
    household_number: Annotated[str, Form(max_length=20)],
    kind: Annotated[str, Form(max_length=16)],
    in_use: Annotated[str, Form(max_length=3)] = "1",
    head_name: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Record the visit; a visit finding an application's toilet built moves it on."""
    visit_in = VisitIn(region_code, household_number, kind, in_use == "1", head_name, note)
    try:
        result = toilets.visit(session, scope=scope, visit_in=visit_in,
                               rules=habitat_rules().toilets, on=date.today())  # fmt: skip
    except (InvalidValue, Conflict) as error:
        session.rollback()
        return visit_page(request, session, scope, household=household_number,
                          error=i18n.error_text(error))  # fmt: skip
    done = "built" if result.subsidy is not None else "visit"
    return RedirectResponse(f"/habitat/toilets/visit?done={done}", status_code=303)
