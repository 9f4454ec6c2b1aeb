"""One step on a case by its name: the verification comes as a visit, the district's inclusion
sets the category, the removal proposal checks the criteria, and the household page offers
each caller only what their role does."""

from datetime import date

import pytest

from tests.factories import add_user, make_place
from tests.monitor.factories import add_alert, add_household, family
from yunong.core.auth.roles import Role
from yunong.core.errors import InvalidValue
from yunong.core.scope import Scope
from yunong.monitor import case_steps, opening, visits, workflow
from yunong.monitor.models import Case
from yunong.policy import loader

PACK = loader.get()
START = date(2024, 6, 3)
GRID = "grid_0701"


def as_role(place, role: Role, actor: str = "") -> Scope:
    region = {
        Role.DISTRICT_OFFICER: place.district,
        Role.TOWN_OFFICER: place.town,
    }.get(role, place.village)
    return Scope(actor=actor or role.value, region_code=region, role=role.value)


def opened(session):
    """A case sent to the village's grid worker for the verification visit."""
    place = make_place(session)
    add_user(session, GRID, Role.GRID_WORKER, place.village)
    made = add_household(session, village=place.village, number="0701", members=family())
    case = opening.open_case(
        session,
        scope=as_role(place, Role.VILLAGE_CADRE),
        alert_id=add_alert(session, made).id,
        grid_worker=GRID,
        pack=PACK,
        today=START,
    )
    return place, case


def visit(client_key: str = "phone-0701-0001") -> visits.VisitIn:
    return visits.VisitIn(client_key=client_key, household_code="", visited_on=START, note="核实")


AGREED = case_steps.Decision()


def take(session, place, case, step: str, role: Role, decision=AGREED):
    return case_steps.take(
        session,
        scope=as_role(place, role),
        code=case.code,
        step_name=step,
        decision=decision,
        pack=PACK,
        today=START,
    )


def at_district_approval(session):
    place, case = opened(session)
    case_steps.verify(
        session,
        scope=as_role(place, Role.GRID_WORKER, GRID),
        code=case.code,
        visit_in=visit(),
        pack=PACK,
        today=START,
    )
    take(session, place, case, "village_review", Role.VILLAGE_CADRE)
    take(session, place, case, "town_review", Role.TOWN_OFFICER)
    return place, case


def test_the_verification_visit_moves_the_case_to_the_village_review(session):
    place, case = opened(session)
    verified = case_steps.verify(
        session,
        scope=as_role(place, Role.GRID_WORKER, GRID),
        code=case.code,
        visit_in=visit(),
        pack=PACK,
        today=START,
    )
    assert verified.state == workflow.State.VILLAGE_REVIEW.value


def test_the_verification_is_not_taken_as_a_bare_step(session):
    place, case = opened(session)
    with pytest.raises(InvalidValue, match="请提交走访记录"):
        take(session, place, case, "verify", Role.GRID_WORKER)


def test_the_district_includes_the_household_with_its_category_and_risk_types(session):
    place, case = at_district_approval(session)
    decision = case_steps.Decision(category="边缘易致贫户", risk_types=("因病", "因学"))
    included = take(session, place, case, "district_approval", Role.DISTRICT_OFFICER, decision)
    assert (included.state, included.category, included.risk_types) == (
        workflow.State.MONITORED.value,
        "边缘易致贫户",
        "因病,因学",
    )


def test_the_district_may_not_include_a_household_without_a_category(session):
    place, case = at_district_approval(session)
    with pytest.raises(InvalidValue, match="监测对象类别"):
        take(session, place, case, "district_approval", Role.DISTRICT_OFFICER)


def test_a_district_refusal_needs_no_category_and_closes_the_case(session):
    place, case = at_district_approval(session)
    decision = case_steps.Decision(passed=False, note="收入高于监测线，不予纳入")
    refused = take(session, place, case, "district_approval", Role.DISTRICT_OFFICER, decision)
    assert refused.state == workflow.State.NOT_INCLUDED.value and refused.category is None


def test_the_removal_proposal_names_the_criteria_not_yet_met(session):
    place, case = at_district_approval(session)
    decision = case_steps.Decision(category="边缘易致贫户", risk_types=("因病",))
    take(session, place, case, "district_approval", Role.DISTRICT_OFFICER, decision)
    with pytest.raises(InvalidValue, match="尚不符合风险消除条件"):
        take(session, place, case, "propose_removal", Role.VILLAGE_CADRE)


def test_on_the_household_page_the_grid_worker_verifies_by_the_visit_form(session):
    place, case = opened(session)
    actions = case_steps.actions(as_role(place, Role.GRID_WORKER, GRID), case, PACK)
    assert actions.step is not None and actions.step.name == "verify"
    assert not actions.may_act and actions.may_follow and not actions.may_plan


def test_a_monitored_case_waits_for_the_village_cadre_to_propose_removal(session):
    place, case = at_district_approval(session)
    decision = case_steps.Decision(category="边缘易致贫户", risk_types=("因病",))
    take(session, place, case, "district_approval", Role.DISTRICT_OFFICER, decision)
    cadre = case_steps.actions(as_role(place, Role.VILLAGE_CADRE), case, PACK)
    town = case_steps.actions(as_role(place, Role.TOWN_OFFICER), case, PACK)
    assert cadre.step is not None and cadre.step.name == "propose_removal"
    assert cadre.may_act and cadre.may_plan and cadre.may_follow
    assert not (town.may_act or town.may_plan or town.may_follow)


def test_a_household_without_a_case_offers_no_step(session):
    place = make_place(session)
    actions = case_steps.actions(as_role(place, Role.VILLAGE_CADRE), None, PACK)
    assert (actions.step, actions.may_act, actions.may_plan) == (None, False, False)


# What the household page says after an action


def test_after_a_step_the_page_names_the_next_step_and_who_takes_it():
    done = case_steps.done("village_review", Case(state="town_review"))
    town_review = workflow.STEPS["town_review"]
    assert done == case_steps.Done("村级民主评议并公示", town_review, "待乡镇审核")
    assert town_review.role is Role.TOWN_OFFICER


def test_after_the_district_includes_a_household_the_page_gives_the_cases_state():
    done = case_steps.done("district_approval", Case(state="monitored"))
    assert done == case_steps.Done("区县审批", None, "监测帮扶中")


def test_after_sending_a_grid_worker_the_page_names_the_verification():
    done = case_steps.done(case_steps.ASSIGNED, Case(state="verify"))
    assert done == case_steps.Done("派发核实任务", workflow.STEPS["verify"], "待入户核实")


def test_an_unknown_action_in_the_address_shows_no_notice():
    assert case_steps.done("approve_everything", Case(state="verify")) is None
    assert case_steps.done("village_review", None) is None
