"""The approval list: figures sent up wait on the officers of a level above, by name, until
approved or returned; and what each action says happened and who acts next."""

import pytest

from tests.assess.factories import (
    CITY,
    FULING,
    PACK,
    WANZHOU,
    approved,
    city,
    complete_values,
    officer,
)
from tests.factories import make_place
from yunong.assess import approvals, datasets
from yunong.assess.datasets import SaveReport
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden
from yunong.core.regions import service as regions
from yunong.core.scope import Scope

pytestmark = pytest.mark.db
TOWN = "500101108000"


def filled(session, region_code: str, period: int = 2024) -> None:
    unit = officer(region_code)
    entries = complete_values(PACK, region_code, period)
    datasets.save(
        session, scope=unit, pack=PACK, period=period, region_code=region_code, entries=entries
    )


def submitted(session, region_code: str, period: int = 2024) -> None:
    filled(session, region_code, period)
    datasets.submit(
        session, scope=officer(region_code), pack=PACK, period=period, region_code=region_code
    )


def waiting_names(session, scope: Scope, period: int = 2024) -> list[str]:
    return [row.name for row in approvals.waiting(session, scope=scope, period=period)]


def test_the_city_sees_the_districts_figures_sent_up_by_name(session):
    make_place(session)
    submitted(session, WANZHOU)
    submitted(session, FULING)
    filled(session, "500103000000")
    rows = approvals.waiting(session, scope=city, period=2024)
    assert [row.name for row in rows] == ["万州区", "涪陵区"]
    assert rows[0].values == len(complete_values(PACK, WANZHOU, 2024))
    assert rows[0].submitted_by == f"officer_{WANZHOU}"


def test_figures_leave_the_list_once_approved_or_returned(session):
    make_place(session)
    submitted(session, WANZHOU)
    submitted(session, FULING)
    datasets.approve(session, scope=city, period=2024, region_code=WANZHOU)
    datasets.send_back(
        session, scope=city, period=2024, region_code=FULING, comment="粮食产量与统计快报不一致"
    )
    assert waiting_names(session, city) == []


def test_only_the_period_asked_for_is_listed(session):
    make_place(session)
    submitted(session, WANZHOU, 2025)
    assert waiting_names(session, city, 2024) == []
    assert waiting_names(session, city, 2025) == ["万州区"]


def test_a_district_sees_its_towns_but_not_its_own_figures_nor_another_districts(session):
    make_place(session)
    submitted(session, TOWN)
    submitted(session, WANZHOU)
    submitted(session, FULING)
    assert waiting_names(session, officer(WANZHOU)) == ["龙沙镇"]


@pytest.mark.parametrize("role", [Role.VILLAGE_CADRE, Role.COLLECTIVE_ACCOUNTANT, Role.GRID_WORKER])
def test_roles_that_approve_nothing_have_no_approval_list(session, role):
    make_place(session)
    scope = Scope(actor="someone", region_code="500101108201", role=role.value)
    with pytest.raises(Forbidden):
        approvals.waiting(session, scope=scope, period=2024)
    assert approvals.may_approve(scope) is False


def test_a_read_only_role_has_no_approval_list(session):
    make_place(session)
    bank = Scope(actor="bank", region_code=WANZHOU, role=Role.BANK_VIEWER.value, can_write=False)
    assert approvals.may_approve(bank) is False


def test_the_approving_unit_is_the_level_above_and_the_city_approves_its_own(session):
    make_place(session)
    assert approvals.approving_unit(session, region_code=WANZHOU).name == "重庆市"
    assert approvals.approving_unit(session, region_code=TOWN).name == "万州区"
    assert approvals.approving_unit(session, region_code=CITY).name == "重庆市"


def test_after_sending_up_the_feedback_names_who_approves(session):
    make_place(session)
    submitted(session, WANZHOU)
    region = regions.get(session, code=WANZHOU)
    data_set = datasets.find(session, period=2024, region_code=WANZHOU)
    said = approvals.feedback(session, "submit", region, data_set)
    assert (said.action, said.unit, said.approver) == ("submit", "万州区", "重庆市")


def test_a_return_feedback_carries_the_reason(session):
    make_place(session)
    submitted(session, WANZHOU)
    datasets.send_back(session, scope=city, period=2024, region_code=WANZHOU, comment="请核实")
    region = regions.get(session, code=WANZHOU)
    data_set = datasets.find(session, period=2024, region_code=WANZHOU)
    assert approvals.feedback(session, "return", region, data_set).reason == "请核实"


def test_no_feedback_for_a_state_the_data_set_is_no_longer_in(session):
    make_place(session)
    approved(session, WANZHOU, 2024)
    region = regions.get(session, code=WANZHOU)
    data_set = datasets.find(session, period=2024, region_code=WANZHOU)
    assert approvals.feedback(session, "submit", region, data_set) is None
    assert approvals.feedback(session, "approve", region, data_set) is not None


def test_a_save_feedback_carries_the_counts(session):
    make_place(session)
    filled(session, WANZHOU)
    region = regions.get(session, code=WANZHOU)
    data_set = datasets.find(session, period=2024, region_code=WANZHOU)
    said = approvals.feedback(session, "save", region, data_set, SaveReport(inserted=3))
    assert (said.report.inserted, said.approver) == (3, "重庆市")
    assert approvals.feedback(session, "save", region, data_set) is None
