"""Time limits in working days, with the clock set by the test: green, yellow, red."""

from datetime import date

import pytest

from tests.factories import add_user, make_place
from tests.monitor.factories import add_alert, add_household, family
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.monitor import calendar, opening, problems, workflow
from yunong.policy import loader

PACK = loader.get()
MONDAY = date(2024, 6, 3)
"""Verification is due five working days later: 11 June, as 10 June is 端午节."""


def cadre(place) -> Scope:
    return Scope(actor="cadre", region_code=place.village, role=Role.VILLAGE_CADRE.value)


def opened(session, on: date = MONDAY):
    place = make_place(session)
    add_user(session, "grid_01", Role.GRID_WORKER, place.village)
    made = add_household(session, village=place.village, number="0201", members=family())
    alert = add_alert(session, made)
    case = opening.open_case(
        session, scope=cadre(place), alert_id=alert.id, grid_worker="grid_01", pack=PACK, today=on
    )
    return place, case


def test_working_days_skip_weekends_and_public_holidays_and_count_adjusted_weekends():
    assert calendar.add_working_days(MONDAY, 5) == date(2024, 6, 11)
    assert calendar.add_working_days(date(2024, 9, 27), 1) == date(2024, 9, 29)  # a worked Sunday
    assert calendar.working_days_between(date(2024, 9, 30), date(2024, 10, 8)) == 1


def test_each_step_is_due_after_the_packs_working_days(session):
    _, case = opened(session)
    assert PACK.monitoring.workflow.step_days["verify"] == 5
    assert case.step_due_on == date(2024, 6, 11)
    assert case.identification_due_on == calendar.add_working_days(MONDAY, 20)


@pytest.mark.parametrize(
    ("today", "level"),
    [
        (date(2024, 6, 4), "green"),  # four working days left
        (date(2024, 6, 6), "yellow"),  # two left: the pack warns from two
        (date(2024, 6, 11), "yellow"),  # the due day itself
        (date(2024, 6, 12), "red"),  # one day past
    ],
)
def test_a_step_turns_yellow_near_its_limit_and_red_past_it(session, today, level):
    _, case = opened(session)
    assert workflow.warning(case, pack=PACK, today=today).level == level


def test_identification_past_twenty_working_days_is_red_though_the_step_is_not(session):
    place, case = opened(session)
    grid = Scope(actor="grid_01", region_code=place.village, role=Role.GRID_WORKER.value)
    workflow.take_step(
        session, scope=grid, case=case, step_name="verify", pack=PACK, today=date(2024, 6, 28)
    )
    workflow.take_step(
        session,
        scope=cadre(place),
        case=case,
        step_name="village_review",
        pack=PACK,
        today=date(2024, 7, 1),
    )
    assert case.step_due_on == date(2024, 7, 4)
    assert case.identification_due_on == date(2024, 7, 2)
    assert workflow.warning(case, pack=PACK, today=date(2024, 7, 1)).level == "yellow"
    late = workflow.warning(case, pack=PACK, today=date(2024, 7, 3))
    assert late.level == "red" and late.due_on == date(2024, 7, 2)


def test_an_overdue_visit_is_a_problem_with_its_region_and_age(session):
    place, case = opened(session)
    found = problems.get_all(session, scope=Scope.system("test"), today=date(2024, 6, 14))
    [problem] = [item for item in found if item.case_code == case.code]
    assert problem.kind == "visit_overdue"
    assert problem.age == 3  # 12, 13 and 14 June
    assert problem.region == "万州区 龙沙镇 石坪村"
    assert problem.owner == "网格员"


def test_nothing_is_a_problem_before_its_due_date(session):
    _, case = opened(session)
    found = problems.get_all(session, scope=Scope.system("test"), today=date(2024, 6, 11))
    assert [item for item in found if item.case_code == case.code] == []


def test_a_step_done_late_no_longer_counts_as_open_but_keeps_the_rate_honest(session):
    place, case = opened(session)
    system = Scope.system("test")
    late = date(2024, 6, 14)
    assert problems.zeroing_rate(session, scope=system, today=late, region=place.village) == 0.0
    grid = Scope(actor="grid_01", region_code=place.village, role=Role.GRID_WORKER.value)
    workflow.take_step(session, scope=grid, case=case, step_name="verify", pack=PACK, today=late)
    assert problems.get_all(session, scope=system, today=late, region=place.village) == []
    assert problems.zeroing_rate(session, scope=system, today=late, region=place.village) == 1.0
