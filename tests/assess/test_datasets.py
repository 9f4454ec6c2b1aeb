"""Reported data sets: fill, submit, return, approve, lock; bad input refused, none half-saved."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.assess.factories import CITY, FULING, PACK, WANZHOU, city, complete_values, officer
from tests.factories import make_place
from yunong.assess import datasets
from yunong.assess.datasets import Entry, Locked, Refused
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue
from yunong.core.regions import codes
from yunong.core.scope import OutOfScope, Scope

pytestmark = pytest.mark.db
wanzhou = officer(WANZHOU)


def save(session, entries, scope=wanzhou, region=WANZHOU, period=2024):
    return datasets.save(
        session, scope=scope, pack=PACK, period=period, region_code=region, entries=entries
    )


def state(session, region=WANZHOU, period=2024):
    return datasets.find(session, period=period, region_code=region).state


def test_a_district_saves_its_values_as_a_draft(session):
    make_place(session)
    report = save(session, [Entry("grain_sown_area", "95.5", "万亩"), Entry("hog_output", "60")])
    data_set = datasets.find(session, period=2024, region_code=WANZHOU)
    assert (report.inserted, data_set.state) == (2, "draft")
    assert datasets.values_of(session, data_set) == {
        "grain_sown_area": Decimal("95.5"),
        "hog_output": Decimal("60"),
    }


def test_saving_the_same_values_twice_changes_nothing(session):
    make_place(session)
    save(session, [Entry("grain_sown_area", "95.5")])
    again = save(session, [Entry("grain_sown_area", "95.50")])
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 1)


def test_a_value_outside_the_valid_range_is_refused_and_nothing_is_saved(session):
    make_place(session)
    with pytest.raises(Refused) as refused:
        save(
            session, [Entry("grain_sown_area", "95", line=2), Entry("grain_output", "900", line=3)]
        )
    assert [str(error) for error in refused.value.errors] == [
        "第 3 行【粮食产量】：900 不在有效范围 0—500（亿斤）内"
    ]
    assert datasets.find(session, period=2024, region_code=WANZHOU) is None


def test_a_wrong_unit_is_refused_not_converted(session):
    make_place(session)
    with pytest.raises(Refused, match="单位应为“万亩”，不是“亩”"):
        save(session, [Entry("grain_sown_area", "955000", "亩", line=4)])


def test_an_item_the_unit_does_not_report_is_refused(session):
    make_place(session)
    with pytest.raises(Refused, match="“agricultural_technology_contribution”不是本表的指标"):
        save(session, [Entry("agricultural_technology_contribution", "60")])


def test_submitting_needs_every_item_filled(session):
    make_place(session)
    save(session, [Entry("grain_sown_area", "95")])
    with pytest.raises(InvalidValue, match="未填：粮食产量"):
        datasets.submit(session, scope=wanzhou, pack=PACK, period=2024, region_code=WANZHOU)
    assert state(session) == "draft"


def submitted(session):
    make_place(session)
    save(session, complete_values(PACK, WANZHOU, 2024))
    datasets.submit(session, scope=wanzhou, pack=PACK, period=2024, region_code=WANZHOU)


def test_submitted_values_cannot_be_edited_until_returned(session):
    submitted(session)
    with pytest.raises(Locked, match="已报送待审核，不能修改；如需修改，请上级单位退回"):
        save(session, [Entry("grain_sown_area", "1")])


def test_the_city_returns_values_with_a_reason_and_the_district_corrects_them(session):
    submitted(session)
    datasets.send_back(
        session, scope=city, period=2024, region_code=WANZHOU, comment="生猪出栏量与统计年鉴不符"
    )
    data_set = datasets.find(session, period=2024, region_code=WANZHOU)
    assert (data_set.state, data_set.comment) == ("returned", "生猪出栏量与统计年鉴不符")
    save(session, [Entry("hog_output", "61")])
    datasets.submit(session, scope=wanzhou, pack=PACK, period=2024, region_code=WANZHOU)
    assert state(session) == "submitted"


def test_returning_needs_a_reason(session):
    submitted(session)
    with pytest.raises(InvalidValue, match="写明原因"):
        datasets.send_back(session, scope=city, period=2024, region_code=WANZHOU, comment=" ")


def test_approved_values_are_locked(session):
    submitted(session)
    datasets.approve(session, scope=city, period=2024, region_code=WANZHOU)
    assert state(session) == "approved"
    with pytest.raises(Locked, match="已审核锁定，不能修改"):
        save(session, [Entry("grain_sown_area", "1")])
    with pytest.raises(Conflict, match="只能退回已报送的数据"):
        datasets.send_back(session, scope=city, period=2024, region_code=WANZHOU, comment="重填")


def test_a_district_cannot_approve_its_own_values(session):
    submitted(session)
    with pytest.raises(Forbidden, match="只有上级单位"):
        datasets.approve(session, scope=wanzhou, period=2024, region_code=WANZHOU)


def test_the_city_does_not_fill_a_districts_values(session):
    make_place(session)
    with pytest.raises(Forbidden, match="只有本级单位"):
        save(session, [Entry("grain_sown_area", "95")], scope=city)


def test_a_district_cannot_touch_another_districts_values(session):
    make_place(session)
    with pytest.raises(OutOfScope):
        save(session, [Entry("grain_sown_area", "95")], region=FULING)


def test_every_step_is_audited(session):
    submitted(session)
    datasets.approve(session, scope=city, period=2024, region_code=WANZHOU)
    actions = session.scalars(
        select(AuditRecord.action).where(AuditRecord.target_type == "assess_data_set")
    ).all()
    assert actions == ["assess.values.saved", "assess.submitted", "assess.approved"]


def test_the_city_reports_its_own_figures(session):
    make_place(session)
    report = save(
        session,
        [Entry("agricultural_technology_contribution", "63.8", "%")],
        scope=city,
        region=CITY,
    )
    assert report.inserted == 1


def test_a_village_answers_the_checklist_with_yes_or_no(session):
    place = make_place(session)
    village = officer(place.village)
    save(
        session,
        [Entry("model_village.village_plan", "是"), Entry("model_village.civility", "否")],
        scope=village,
        region=place.village,
    )
    values = datasets.values_of(
        session, datasets.find(session, period=2024, region_code=place.village)
    )
    assert values == {"model_village.village_plan": 1, "model_village.civility": 0}


# Who may do what with a unit's figures, by role and the level the role is bound at.
# "fill" and "submit" act on the role's own unit; "approve" and "return" on the unit one
# level below it (or its own unit at the bottom, where nobody may approve).
TOWN = "500101108000"
VILLAGE = "500101108201"
BELOW = {CITY: WANZHOU, WANZHOU: TOWN, TOWN: VILLAGE, VILLAGE: VILLAGE}
MAY = {
    (Role.CITY_ADMIN, CITY): {"fill", "submit", "approve", "return"},
    (Role.DISTRICT_OFFICER, WANZHOU): {"fill", "submit", "approve", "return"},
    (Role.TOWN_OFFICER, TOWN): {"fill", "submit", "approve", "return"},
    (Role.VILLAGE_CADRE, VILLAGE): {"fill", "submit"},
    (Role.COLLECTIVE_ACCOUNTANT, TOWN): {"fill"},
    (Role.COLLECTIVE_ACCOUNTANT, VILLAGE): {"fill"},
    (Role.GRID_WORKER, VILLAGE): set(),
    (Role.BANK_VIEWER, WANZHOU): set(),
    (Role.PRODUCER, VILLAGE): set(),
}
ACTIONS = ("fill", "submit", "approve", "return")
MATRIX = [
    pytest.param(
        role,
        region,
        action,
        action in allowed,
        id=f"{role.value}@{codes.level_of(region).name.lower()}-{action}",
    )  # fmt: skip
    for (role, region), allowed in MAY.items()
    for action in ACTIONS
]
OPERATOR = Scope.system("test")


def bound(role: Role, region: str) -> Scope:
    return Scope(
        actor=f"{role.value}_{region}", region_code=region, role=role.value,
        can_write=role.can_write,
    )  # fmt: skip


def draft_of(session, region: str) -> None:
    save(session, complete_values(PACK, region, 2024), scope=OPERATOR, region=region)


def submitted_by_operator(session, region: str) -> None:
    draft_of(session, region)
    datasets.submit(session, scope=OPERATOR, pack=PACK, period=2024, region_code=region)


def act(session, scope: Scope, action: str, region: str) -> None:
    if action == "fill":
        save(session, complete_values(PACK, region, 2024), scope=scope, region=region)
    elif action == "submit":
        draft_of(session, region)
        datasets.submit(session, scope=scope, pack=PACK, period=2024, region_code=region)
    else:
        submitted_by_operator(session, region)
        if action == "approve":
            datasets.approve(session, scope=scope, period=2024, region_code=region)
        else:
            datasets.send_back(
                session, scope=scope, period=2024, region_code=region, comment="数字有误"
            )


@pytest.mark.parametrize(("role", "region", "action", "allowed"), MATRIX)
def test_each_role_fills_submits_approves_or_returns_only_what_it_owns(
    session, role, region, action, allowed
):
    make_place(session)
    target = region if action in ("fill", "submit") else BELOW[region]
    if allowed:
        act(session, bound(role, region), action, target)
    else:
        with pytest.raises(Forbidden):
            act(session, bound(role, region), action, target)


def test_a_grid_worker_neither_fills_nor_submits_a_villages_figures(session):
    make_place(session)
    grid = bound(Role.GRID_WORKER, VILLAGE)
    with pytest.raises(Forbidden, match="填报考核数据由.*办理，网格员不能办理"):
        act(session, grid, "fill", VILLAGE)
    with pytest.raises(Forbidden, match="报送考核数据由.*办理，网格员不能办理"):
        act(session, grid, "submit", VILLAGE)


def test_a_town_accountant_cannot_approve_a_villages_figures(session):
    make_place(session)
    with pytest.raises(Forbidden, match="审核或退回考核数据由市级管理员、区县干部、乡镇干部办理"):
        act(session, bound(Role.COLLECTIVE_ACCOUNTANT, TOWN), "approve", VILLAGE)
    assert state(session, region=VILLAGE) == "submitted"
