"""先改后补: a household's toilet subsidy from application to payment, each step by its role,
in order, inside its region, each waiting in the next actor's 待办."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_place
from tests.habitat.factories import HABITAT
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue
from yunong.core.scope import OutOfScope, Scope
from yunong.habitat import todo, toilets
from yunong.habitat.models import Toilet
from yunong.habitat.toilets import ApplicationIn, State, VisitIn

pytestmark = pytest.mark.db
RULES = HABITAT.toilets


def scopes(place):
    return {
        "cadre": Scope(actor="cadre", region_code=place.village, role=Role.VILLAGE_CADRE),
        "grid": Scope(actor="grid", region_code=place.village, role=Role.GRID_WORKER),
        "town": Scope(actor="town", region_code=place.town, role=Role.TOWN_OFFICER),
        "district": Scope(actor="district", region_code=place.district, role=Role.DISTRICT_OFFICER),
        "other_grid": Scope(actor="g2", region_code=place.neighbour_village, role=Role.GRID_WORKER),
        "other_town": Scope(actor="t2", region_code=place.other_town, role=Role.TOWN_OFFICER),
    }


def waiting(session, scope):
    return {
        kind.kind: [item.subject for item in kind.items]
        for kind in todo.todo(session, scope)
        if kind.total
    }


def test_a_subsidy_goes_from_application_to_payment_each_step_by_its_role(session):
    place = make_place(session)
    by = scopes(place)
    application = ApplicationIn(place.village, "0012", "刘德明", "三格式")
    subsidy = toilets.apply(
        session, scope=by["cadre"], application_in=application, rules=RULES, on=date(2024, 8, 1)
    )
    assert subsidy.state == State.APPLIED
    assert waiting(session, by["grid"]) == {"visit": ["刘德明户（0012）"]}
    assert waiting(session, by["town"]) == {}

    result = toilets.visit(
        session,
        scope=by["grid"],
        visit_in=VisitIn(place.village, "0012", "三格式"),
        rules=RULES,
        on=date(2024, 9, 3),
    )
    assert result.subsidy is subsidy and subsidy.state == State.BUILT
    assert result.toilet.sanitary and result.toilet.head_name == "刘德明"
    assert waiting(session, by["grid"]) == {}
    assert waiting(session, by["town"]) == {"accept": ["刘德明户（0012）"]}

    toilets.accept(
        session, scope=by["town"], subsidy_id=subsidy.id, passed=True, on=date(2024, 9, 20)
    )
    assert subsidy.state == State.ACCEPTED
    assert waiting(session, by["town"]) == {}
    assert waiting(session, by["district"]) == {"pay": ["刘德明户（0012）"]}

    toilets.pay(
        session, scope=by["district"], subsidy_id=subsidy.id, rules=RULES, on=date(2024, 10, 8)
    )
    assert (subsidy.state, subsidy.amount) == (State.PAID, Decimal("1000.00"))
    assert waiting(session, by["district"]) == {}


def test_each_step_is_refused_to_other_roles_out_of_order_and_out_of_region(session):
    place = make_place(session)
    by = scopes(place)
    application = ApplicationIn(place.village, "0012", "刘德明", "双瓮")
    with pytest.raises(Forbidden, match="改厕申请由村干部办理"):
        toilets.apply(
            session, scope=by["grid"], application_in=application, rules=RULES, on=date(2024, 8, 1)
        )
    subsidy = toilets.apply(
        session, scope=by["cadre"], application_in=application, rules=RULES, on=date(2024, 8, 1)
    )
    with pytest.raises(Conflict, match="已有未办结的改厕申请"):
        toilets.apply(
            session, scope=by["cadre"], application_in=application, rules=RULES, on=date(2024, 8, 2)
        )
    with pytest.raises(Conflict, match="改厕申请当前为“已申请，待建成核实”，不能改厕验收"):
        toilets.accept(
            session, scope=by["town"], subsidy_id=subsidy.id, passed=True, on=date(2024, 9, 1)
        )
    with pytest.raises(Forbidden, match="补助发放由区县干部办理"):
        toilets.pay(
            session, scope=by["town"], subsidy_id=subsidy.id, rules=RULES, on=date(2024, 9, 1)
        )
    with pytest.raises(OutOfScope):
        toilets.visit(
            session,
            scope=by["other_grid"],
            visit_in=VisitIn(place.village, "0012", "双瓮"),
            rules=RULES,
            on=date(2024, 9, 1),
        )
    toilets.visit(
        session,
        scope=by["grid"],
        visit_in=VisitIn(place.village, "0012", "双瓮"),
        rules=RULES,
        on=date(2024, 9, 3),
    )
    with pytest.raises(OutOfScope):
        toilets.accept(
            session, scope=by["other_town"], subsidy_id=subsidy.id, passed=True, on=date(2024, 9, 5)
        )
    assert waiting(session, by["other_town"]) == {}
    assert subsidy.state == State.BUILT


def test_a_visit_finding_an_unsanitary_toilet_does_not_move_the_subsidy(session):
    place = make_place(session)
    by = scopes(place)
    application = ApplicationIn(place.village, "0012", "刘德明", "三格式")
    subsidy = toilets.apply(
        session, scope=by["cadre"], application_in=application, rules=RULES, on=date(2024, 8, 1)
    )
    result = toilets.visit(
        session,
        scope=by["grid"],
        visit_in=VisitIn(place.village, "0012", "旱厕"),
        rules=RULES,
        on=date(2024, 9, 3),
    )
    assert result.subsidy is None and subsidy.state == State.APPLIED
    assert session.get(Toilet, result.toilet.id).sanitary is False


def test_acceptance_refused_sends_the_household_back_to_build(session):
    place = make_place(session)
    by = scopes(place)
    application = ApplicationIn(place.village, "0012", "刘德明", "三格式")
    subsidy = toilets.apply(
        session, scope=by["cadre"], application_in=application, rules=RULES, on=date(2024, 8, 1)
    )
    toilets.visit(
        session,
        scope=by["grid"],
        visit_in=VisitIn(place.village, "0012", "三格式"),
        rules=RULES,
        on=date(2024, 9, 3),
    )
    toilets.accept(
        session,
        scope=by["town"],
        subsidy_id=subsidy.id,
        passed=False,
        on=date(2024, 9, 20),
        note="化粪池容积不足",
    )
    assert (subsidy.state, subsidy.built_on, subsidy.note) == (
        State.APPLIED,
        None,
        "化粪池容积不足",
    )
    assert waiting(session, by["grid"]) == {"visit": ["刘德明户（0012）"]}


def test_only_sanitary_types_of_the_pack_may_be_applied_for(session):
    place = make_place(session)
    scope = scopes(place)["cadre"]
    with pytest.raises(InvalidValue, match="“旱厕”不是卫生厕所"):
        toilets.apply(
            session,
            scope=scope,
            application_in=ApplicationIn(place.village, "1", "张三", "旱厕"),
            rules=RULES,
            on=date(2024, 8, 1),
        )
    with pytest.raises(InvalidValue, match="厕所类型“马桶”不在"):
        toilets.apply(
            session,
            scope=scope,
            application_in=ApplicationIn(place.village, "1", "张三", "马桶"),
            rules=RULES,
            on=date(2024, 8, 1),
        )
