"""A public tip reaches its district team's 待办, becomes a case and is closed, every step by
its role; the reporter follows it by its reference and sees nothing personal."""

from datetime import date

import pytest

from tests.factories import make_place
from tests.fishery.factories import DISTRICT, make_team
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.fishery import cases, indicators, tips, todo

pytestmark = pytest.mark.db

TOWN = "500101108000"


def person(role: Role, region: str, name: str) -> Scope:
    return Scope(actor=name, region_code=region, role=role.value, can_view_personal_data=False)


DISTRICT_OFFICER = person(Role.DISTRICT_OFFICER, DISTRICT, "wz-district")
TOWN_OFFICER = person(Role.TOWN_OFFICER, TOWN, "longsha-town")
GRID_WORKER = person(Role.GRID_WORKER, "500101108201", "shiping-grid")
OTHER_DISTRICT = person(Role.DISTRICT_OFFICER, "500102000000", "fuling-district")


def tip_in(**changes: str) -> tips.TipIn:
    values = {
        "district": "500101",
        "text": "晚上有人在江边用电瓶电鱼",
        "place": "龙沙镇码头下游",
        "longitude": "108.4012",
        "latitude": "30.8055",
        "phone": "13912345678",
    }
    return tips.TipIn(**(values | changes))


@pytest.fixture
def team(session):
    make_place(session)
    return make_team(session)


def test_a_tip_waits_as_todo_of_the_district_that_its_team_answers(session, team):
    tip = tips.submit(session, tip_in=tip_in())
    assert tip.team_id == team.id and tip.region_code == DISTRICT
    assert tip.reference.startswith("JB") and len(tip.reference) == 16
    kinds = {kind.kind: kind for kind in todo.todo(session, DISTRICT_OFFICER, date.today())}
    assert kinds["tip"].total == 1
    assert kinds["tip"].items[0].link == f"/fishery/tips/{tip.id}"
    assert all(k.kind != "tip" for k in todo.todo(session, TOWN_OFFICER, date.today()))
    assert all(k.total == 0 for k in todo.todo(session, OTHER_DISTRICT, date.today()))


def test_a_tip_becomes_a_case_the_district_closes_and_the_reporter_reads_so(session, team):
    tip = tips.submit(session, tip_in=tip_in())
    with pytest.raises(NotFound):  # a town does not see its district's tips
        cases.open_from_tip(session, scope=TOWN_OFFICER, tip_id=tip.id, found_on=date.today())
    case = cases.open_from_tip(
        session, scope=DISTRICT_OFFICER, tip_id=tip.id, found_on=date.today()
    )
    followed = tips.follow(session, scope=tips.PUBLIC, reference=tip.reference.lower())
    assert followed.status == "case" and case.number in followed.reply
    assert "139" not in repr(followed)
    for step, text in (
        ("seized", "电鱼器 1 套"),
        ("handed_over", "万州区公安局"),
        ("closed", "移送起诉"),
    ):
        cases.take(session, scope=DISTRICT_OFFICER, number=case.number, step=step, text=text)
    assert (case.step, case.gear, case.handed_to) == ("closed", "电鱼器 1 套", "万州区公安局")
    assert all(k.total == 0 for k in todo.todo(session, DISTRICT_OFFICER, date.today()))


def test_a_patrol_finding_is_opened_and_seized_by_the_town_handed_over_by_the_district(
    session, team
):
    finding = cases.CaseIn(TOWN, date.today(), "龙沙镇江段", "巡护发现有人用地笼捕鱼")
    with pytest.raises(Forbidden):  # a bank viewer may not open cases
        viewer = Scope(actor="bank", region_code=TOWN, role=Role.BANK_VIEWER.value, can_write=False)
        cases.open_case(session, scope=viewer, case_in=finding)
    case = cases.open_case(session, scope=TOWN_OFFICER, case_in=finding)
    waiting = {k.kind: k.total for k in todo.todo(session, TOWN_OFFICER, date.today())}
    assert waiting["case"] == 1
    cases.take(session, scope=TOWN_OFFICER, number=case.number, step="seized", text="地笼 3 个")
    with pytest.raises(Forbidden):
        cases.take(session, scope=TOWN_OFFICER, number=case.number, step="handed_over", text="公安")
    cases.take(
        session,
        scope=DISTRICT_OFFICER,
        number=case.number,
        step="handed_over",
        text="万州区农业综合行政执法支队",
    )
    with pytest.raises(Conflict):
        cases.take(session, scope=DISTRICT_OFFICER, number=case.number, step="seized", text="x")
    cases.take(
        session, scope=DISTRICT_OFFICER, number=case.number, step="closed", text="罚款 500 元"
    )
    history = [(s.step, s.role) for s in cases.steps_of(session, case=case)]
    assert history == [
        ("found", "town_officer"),
        ("seized", "town_officer"),
        ("handed_over", "district_officer"),
        ("closed", "district_officer"),
    ]


def test_a_case_outside_the_callers_district_is_not_found(session, team):
    tip = tips.submit(session, tip_in=tip_in())
    case = cases.open_from_tip(
        session, scope=DISTRICT_OFFICER, tip_id=tip.id, found_on=date.today()
    )
    from yunong.core.errors import NotFound

    with pytest.raises(NotFound):
        cases.get(session, scope=OTHER_DISTRICT, number=case.number)


def test_a_tip_answered_at_once_counts_in_time_and_a_waiting_one_does_not(session, team):
    answered = tips.submit(session, tip_in=tip_in())
    tips.submit(session, tip_in=tip_in(place="大周镇"))
    tips.dismiss(session, scope=DISTRICT_OFFICER, tip_id=answered.id, reply="现场核查，未发现")
    year = date.today().year
    found = indicators.tip_rates(session, scope=Scope.system(), period=year, level=Level.DISTRICT)
    assert (found[DISTRICT].numerator, found[DISTRICT].denominator) == (1, 2)
    with pytest.raises(Conflict):
        tips.dismiss(session, scope=DISTRICT_OFFICER, tip_id=answered.id, reply="再次")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"district": ""}, "请选择发生地所在的区县"),
        ({"text": "电鱼"}, "请写明看到的情况（至少 5 个字）"),
        ({"longitude": "120.5"}, "经度 120.5 不在重庆市范围内"),
        ({"phone": "12ab"}, "联系电话“12ab”应为 7 到 20 位数字"),
    ],
)
def test_a_bad_tip_is_refused_with_the_field_and_reason(session, team, changes, message):
    with pytest.raises(InvalidValue) as refused:
        tips.submit(session, tip_in=tip_in(**changes))
    assert refused.value.message == message
