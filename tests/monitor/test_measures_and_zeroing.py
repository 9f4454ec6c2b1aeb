"""一户一清单 and 问题动态清零: measures, overdue measures as problems, the indicators and
the ``yunong monitor problems`` command."""

import json
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from tests.factories import add_user, make_place
from tests.monitor.factories import Member, add_alert, add_household, family
from yunong.cli import app
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden
from yunong.core.scope import Scope
from yunong.monitor import measures, opening, problems, workflow
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction

PACK = loader.get()
START = date(2024, 6, 3)


def as_role(place, role: Role, actor: str = "") -> Scope:
    region = {
        Role.DISTRICT_OFFICER: place.district,
        Role.TOWN_OFFICER: place.town,
    }.get(role, place.village)
    return Scope(actor=actor or role.value, region_code=region, role=role.value)


def included(session, place=None, members=None, number="0401", category="边缘易致贫户"):
    """A household taken through identification to 纳入监测, all on time."""
    place = place or make_place(session)
    add_user(session, f"grid_{number}", Role.GRID_WORKER, place.village)
    made = add_household(session, village=place.village, number=number, members=members or family())
    alert = add_alert(session, made)
    case = opening.open_case(
        session,
        scope=as_role(place, Role.VILLAGE_CADRE),
        alert_id=alert.id,
        grid_worker=f"grid_{number}",
        pack=PACK,
        today=START,
    )
    steps = [
        ("verify", Role.GRID_WORKER, f"grid_{number}"),
        ("village_review", Role.VILLAGE_CADRE, ""),
        ("town_review", Role.TOWN_OFFICER, ""),
    ]
    for name, role, actor in steps:
        workflow.take_step(
            session,
            scope=as_role(place, role, actor),
            case=case,
            step_name=name,
            pack=PACK,
            today=START,
        )
    workflow.include(
        session,
        scope=as_role(place, Role.DISTRICT_OFFICER),
        case=case,
        pack=PACK,
        category=category,
        risk_types=["因病"],
        today=START,
    )
    return place, case


def measure(kind: str = "employment", due: date = START + timedelta(days=30)) -> measures.MeasureIn:
    return measures.MeasureIn(kind, "介绍到就业帮扶车间", "区人力社保局", due)


def test_measures_are_refused_before_the_district_includes_the_household(session):
    place = make_place(session)
    add_user(session, "grid_0400", Role.GRID_WORKER, place.village)
    made = add_household(session, village=place.village, number="0400", members=family())
    case = opening.open_case(
        session,
        scope=as_role(place, Role.VILLAGE_CADRE),
        alert_id=add_alert(session, made).id,
        grid_worker="grid_0400",
        pack=PACK,
        today=START,
    )
    with pytest.raises(Conflict, match="纳入监测后"):
        measures.add(
            session,
            scope=as_role(place, Role.VILLAGE_CADRE),
            case=case,
            measure_in=measure(),
            pack=PACK,
            today=START,
        )


def test_a_household_at_risk_from_a_disaster_gets_help_before_it_is_included(session):
    place = make_place(session)
    add_user(session, "grid_0406", Role.GRID_WORKER, place.village)
    made = add_household(session, village=place.village, number="0406", members=family())
    case = opening.open_case(
        session,
        scope=as_role(place, Role.VILLAGE_CADRE),
        alert_id=add_alert(session, made, risk_type="因自然灾害").id,
        grid_worker="grid_0406",
        pack=PACK,
        today=START,
    )
    assert PACK.monitoring.workflow.assist_first == ("因自然灾害",)
    first = measures.add(
        session,
        scope=as_role(place, Role.VILLAGE_CADRE),
        case=case,
        measure_in=measures.MeasureIn("housing", "受损房屋应急修缮", "乡镇建设办", START),
        pack=PACK,
        today=START,
    )
    assert case.state == "verify" and first.case_id == case.id


def test_a_town_officer_does_not_write_the_villages_list(session):
    place, case = included(session)
    with pytest.raises(Forbidden):
        measures.add(
            session,
            scope=as_role(place, Role.TOWN_OFFICER),
            case=case,
            measure_in=measure(),
            pack=PACK,
            today=START,
        )


def test_a_household_with_labour_needs_a_development_measure(session):
    place, case = included(session)
    assert case.has_labour is True
    cadre = as_role(place, Role.VILLAGE_CADRE)
    health = measures.add(
        session, scope=cadre, case=case, measure_in=measure("health"), pack=PACK, today=START
    )
    assert "开发式" in measures.plan_gap(case, [health], PACK)
    work = measures.add(
        session, scope=cadre, case=case, measure_in=measure(), pack=PACK, today=START
    )
    assert measures.plan_gap(case, [health, work], PACK) == ""


def test_a_household_without_labour_needs_a_protection_measure(session):
    elders = [
        Member("王德才", date(1950, 3, 1)),
        Member("刘桂兰", date(1952, 7, 9), relation="配偶"),
    ]
    place, case = included(session, members=elders)
    assert case.has_labour is False
    work = measures.add(
        session,
        scope=as_role(place, Role.VILLAGE_CADRE),
        case=case,
        measure_in=measure(),
        pack=PACK,
        today=START,
    )
    assert "保障性" in measures.plan_gap(case, [work], PACK)


def test_an_overdue_measure_is_a_problem_until_it_is_done(session):
    place, case = included(session)
    due = date(2024, 6, 28)
    item = measures.add(
        session,
        scope=as_role(place, Role.VILLAGE_CADRE),
        case=case,
        measure_in=measure(due=due),
        pack=PACK,
        today=START,
    )
    later = date(2024, 7, 5)
    found = problems.get_all(session, scope=Scope.system("t"), today=later, region=place.village)
    assert [(p.kind, p.age, p.owner) for p in found] == [("measure_overdue", 5, "区人力社保局")]
    system = Scope.system("t")
    assert problems.count_open(session, scope=system, today=later, region=place.village) == 1
    measures.record_progress(
        session,
        scope=as_role(place, Role.GRID_WORKER, "grid_0401"),
        measure_id=item.id,
        note="已上岗",
        done=True,
        today=later,
    )
    assert (
        problems.get_all(session, scope=Scope.system("t"), today=later, region=place.village) == []
    )


def test_households_without_labour_stay_tracked_after_their_risk_is_removed(session):
    elders = [
        Member("王德才", date(1950, 3, 1)),
        Member("刘桂兰", date(1952, 7, 9), relation="配偶"),
    ]
    place, case = included(session, members=elders)
    for name, role in (
        ("propose_removal", Role.VILLAGE_CADRE),
        ("removal_town_review", Role.TOWN_OFFICER),
        ("removal_district_approval", Role.DISTRICT_OFFICER),
    ):
        workflow.take_step(
            session, scope=as_role(place, role), case=case, step_name=name, pack=PACK, today=START
        )
    assert case.state == "risk_removed" and case.tracked_after_removal
    counts = problems.monitored_by_category(session, scope=Scope.system("t"), region=place.village)
    assert counts["风险消除后持续跟踪"] == 1


def test_monitored_households_are_counted_by_category(session):
    place, _ = included(session, number="0402", category="边缘易致贫户")
    included(session, place, number="0403", category="突发严重困难户")
    figures = problems.indicators(
        session, scope=Scope.system("t"), pack=PACK, today=START, region=place.village
    )
    assert figures["monitored_by_category"] == {
        "边缘易致贫户": 1,
        "突发严重困难户": 1,
        "脱贫不稳定户": 0,
        "风险消除后持续跟踪": 0,
    }
    assert figures["monitored"] == 2


def test_the_problems_command_lists_each_problem_with_region_and_age(configured):
    engine = make_engine(configured)
    with transaction(make_sessionmaker(engine)) as session:
        place = make_place(session)
        add_user(session, "grid_0405", Role.GRID_WORKER, place.village)
        made = add_household(session, village=place.village, number="0405", members=family())
        opening.open_case(
            session,
            scope=as_role(place, Role.VILLAGE_CADRE),
            alert_id=add_alert(session, made).id,
            grid_worker="grid_0405",
            pack=PACK,
            today=date(2024, 6, 3),
        )
    engine.dispose()
    result = CliRunner().invoke(app, ["monitor", "problems", "--region", place.town, "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    [problem] = body["problems"]
    assert problem["kind"] == "visit_overdue" and problem["region"] == "万州区 龙沙镇 石坪村"
    assert problem["due_on"] == "2024-06-11" and problem["age"] > 100
    assert body["zeroing_rate"] == 0.0
    elsewhere = CliRunner().invoke(
        app, ["monitor", "problems", "--region", place.other_town, "--json"]
    )
    assert json.loads(elsewhere.stdout)["problems"] == []
