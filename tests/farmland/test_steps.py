"""Each step of a project only by its role, in order, inside the scope, dated; an approval
that breaks a pack rule is refused with the rule named."""

from datetime import date

import pytest

from tests.factories import make_place
from tests.farmland.factories import SYSTEM, ready_project, uscc
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.scope import Scope
from yunong.farmland import projects, steps
from yunong.farmland.codes import STEPS, Step
from yunong.policy import loader

PACK = loader.get()
TODAY = date(2024, 12, 1)
DISTRICT = Scope(actor="district_officer_01", region_code="500101000000", role="district_officer")
CITY = Scope(actor="city_admin_01", region_code="500000000000", role="city_admin")
OTHER_DISTRICT = Scope(
    actor="district_officer_02", region_code="500102000000", role="district_officer"
)
TOWN = Scope(actor="town_officer_01", region_code="500101108000", role="town_officer")


@pytest.fixture
def place(session):
    return make_place(session)


def take(session, scope, step, day, number="WZ2024-001"):
    return steps.take(
        session,
        scope=scope,
        pack=PACK,
        number=number,
        step_in=steps.StepIn(step, day, document=f"万州农发〔2024〕{day.day}号"),
        today=TODAY,
    )


def test_the_steps_are_taken_in_order_each_by_its_role_dated_and_signed(session, place):
    ready_project(session)
    days = [date(2024, 1, n) for n in range(1, 6)]
    take(session, DISTRICT, "规划编制", days[0])
    take(session, DISTRICT, "前期准备", days[1])
    take(session, DISTRICT, "申报审批", days[2])
    take(session, CITY, "计划管理", days[3])
    take(session, DISTRICT, "组织实施", days[4])

    project = projects.get(session, scope=DISTRICT, number="WZ2024-001")
    taken = steps.history(session, project=project)
    assert [row.step for row in taken] == [s.value for s in STEPS[:5]]
    assert [row.approved_by for row in taken] == ["district_officer_01"] * 3 + [
        "city_admin_01",
        "district_officer_01",
    ]
    assert [row.done_on for row in taken] == days
    assert taken[2].document == "万州农发〔2024〕3号"
    assert project.step == Step.BUILD.value


def test_a_step_by_another_role_is_refused_naming_who_takes_it(session, place):
    ready_project(session)
    take(session, DISTRICT, "plan", date(2024, 1, 1))
    take(session, DISTRICT, "prepare", date(2024, 1, 2))
    take(session, DISTRICT, "approve", date(2024, 1, 3))
    with pytest.raises(Forbidden, match="“计划管理”由市级管理员办理"):
        take(session, DISTRICT, "计划管理", date(2024, 1, 4))
    with pytest.raises(Forbidden, match="“规划编制”由区县干部办理"):
        take(session, CITY, "规划编制", date(2024, 1, 4))


def test_a_step_out_of_order_is_refused(session, place):
    ready_project(session)
    with pytest.raises(Conflict, match="下一环节是“规划编制”，不能办理“申报审批”"):
        take(session, DISTRICT, "申报审批", date(2024, 1, 1))
    take(session, DISTRICT, "规划编制", date(2024, 1, 1))
    with pytest.raises(Conflict, match="当前已完成“规划编制”"):
        take(session, DISTRICT, "规划编制", date(2024, 1, 2))


def test_a_project_outside_the_scope_is_not_found(session, place):
    ready_project(session)
    with pytest.raises(NotFound):
        take(session, OTHER_DISTRICT, "规划编制", date(2024, 1, 1))
    with pytest.raises(NotFound):
        take(session, TOWN, "规划编制", date(2024, 1, 1))


def test_a_step_dated_before_the_last_or_in_the_future_is_refused(session, place):
    ready_project(session)
    take(session, DISTRICT, "规划编制", date(2024, 3, 1))
    with pytest.raises(InvalidValue, match="早于上一环节“规划编制”的日期 2024-03-01"):
        take(session, DISTRICT, "前期准备", date(2024, 2, 1))
    with pytest.raises(InvalidValue, match="晚于今天"):
        take(session, DISTRICT, "前期准备", date(2025, 1, 1))


def approve(session, number):
    for day, step in enumerate(("规划编制", "前期准备", "申报审批"), start=1):
        take(
            session,
            DISTRICT if not number.startswith("YB") else YUBEI,
            step,
            date(2024, 1, day),
            number,
        )


YUBEI = Scope(actor="district_officer_03", region_code="500112000000", role="district_officer")


def test_a_project_under_5000_mu_outside_the_central_districts_is_refused_naming_the_rule(
    session, place
):
    ready_project(session, "WZ2024-002", scale="4800")
    with pytest.raises(
        steps.RuleBroken, match="单个项目建设规模不低于 5000 亩（中心城区以外）：本项目 4800"
    ):
        approve(session, "WZ2024-002")
    assert projects.get(session, scope=DISTRICT, number="WZ2024-002").step == Step.PREPARE.value


def test_a_small_project_in_a_central_district_is_approved(session, place):
    ready_project(session, "YB2024-001", district="500112000000", scale="1200")
    approve(session, "YB2024-001")
    assert projects.get(session, scope=YUBEI, number="YB2024-001").step == Step.APPROVE.value


def test_a_small_project_on_the_packs_exemption_list_is_approved(session, place):
    exempt = PACK.model_copy(
        update={"farmland": PACK.farmland.model_copy(update={"exempt_projects": ("WZ2024-003",)})}
    )
    ready_project(session, "WZ2024-003", scale="3000")
    for day, step in enumerate(("规划编制", "前期准备"), start=1):
        take(session, DISTRICT, step, date(2024, 1, day), "WZ2024-003")
    steps.take(
        session,
        scope=DISTRICT,
        pack=exempt,
        number="WZ2024-003",
        step_in=steps.StepIn("申报审批", date(2024, 1, 3)),
        today=TODAY,
    )


def test_investment_below_the_packs_figure_per_mu_is_refused(session, place):
    ready_project(session, "WZ2024-004", per_mu=2500)
    with pytest.raises(steps.RuleBroken, match="亩均投资不低于 3000 元：本项目 2500.00 元/亩"):
        approve(session, "WZ2024-004")


def test_approval_without_a_legal_entity_or_content_is_refused(session, place):
    projects.create(
        session,
        scope=SYSTEM,
        project_in=projects.ProjectIn("WZ2024-005", "空项目", "500101", "新建", 2024, "6000"),
    )
    with pytest.raises(steps.RuleBroken, match="项目法人制.*建设内容"):
        approve(session, "WZ2024-005")


def test_parties_are_checked_by_their_credit_code(session, place):
    ready_project(session)
    bad = uscc(2)[:-1] + ("0" if uscc(2)[-1] != "0" else "1")
    with pytest.raises(InvalidValue, match="校验位错误"):
        projects.add_party(
            session,
            scope=DISTRICT,
            number="WZ2024-001",
            party_in=projects.PartyIn("监理单位", "某监理公司", bad),
        )
    party = projects.add_party(
        session,
        scope=DISTRICT,
        number="WZ2024-001",
        party_in=projects.PartyIn("监理单位", "某监理公司", uscc(2)),
    )
    assert party.role == "supervisor"
    detail = projects.detail(session, scope=DISTRICT, number="WZ2024-001")
    assert str(detail.investment_per_mu) == "3000.00"
    assert [c.category for c in detail.content] == ["田块整治", "灌溉与排水"]


def test_content_outside_gb_t_30600_is_refused(session, place):
    ready_project(session)
    with pytest.raises(InvalidValue, match="不是 GB/T 30600-2022 的类别"):
        projects.set_content(
            session, scope=DISTRICT, number="WZ2024-001", category="绿化", quantity=1
        )
