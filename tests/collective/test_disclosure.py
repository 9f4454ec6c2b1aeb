"""财务公开: a quarter's disclosure lists the eight categories from the books, stays off the
village's public page until the 民主理财小组 approves it, and is fixed once approved."""

import json

import pytest

from tests.collective.factories import RULES, SYSTEM, make_org, write_book
from tests.factories import make_place
from yunong.collective import disclosure, importer
from yunong.collective.models import Organisation
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden
from yunong.core.scope import Scope

pytestmark = pytest.mark.db


@pytest.fixture
def quarter(session, tmp_path):
    place = make_place(session)
    org = make_org(session, place.village)
    book = write_book(tmp_path / "凭证.xlsx")
    importer.import_vouchers(session, scope=SYSTEM, org=org, path=book, rules=RULES)
    accountant = Scope(
        actor="accountant", region_code=place.village, role=Role.COLLECTIVE_ACCOUNTANT.value
    )
    made = disclosure.generate(session, scope=accountant, org=org, period="2024Q4", rules=RULES)
    return place, made


def group_of(village: str) -> Scope:
    return Scope(actor="理财小组组长", region_code=village, role=Role.FINANCE_GROUP.value)


def test_the_quarter_lists_the_eight_categories_from_the_books(quarter):
    _, made = quarter
    content = json.loads(made.content)
    sections = {section["name"]: section for section in content["categories"]}
    assert list(sections) == [
        "财务计划",
        "收入",
        "支出",
        "资产",
        "资源",
        "债权债务",
        "收益分配",
        "其他",
    ]
    assert sections["收入"]["items"] == [{"label": "投资收益", "amount": 3210.15}]
    assert sections["支出"]["items"] == [
        {"label": "经营支出", "amount": 4000.0},
        {"label": "管理费用", "amount": 10000.0},
    ]
    assert {"label": "银行存款", "amount": 424145.0} in sections["资产"]["items"]
    assert {"label": "应付款：李四建筑队", "amount": 39000.0} in sections["债权债务"]["items"]
    assert sections["其他"]["items"] == [{"label": "本期记账凭证（张）", "amount": 3}]


def test_the_public_page_shows_it_only_after_the_group_approves(session, quarter):
    place, made = quarter
    shown = disclosure.get_published_for_village(session, village_code=place.village)
    assert shown.items == []
    accountant = Scope(
        actor="accountant", region_code=place.village, role=Role.COLLECTIVE_ACCOUNTANT.value
    )
    with pytest.raises(Forbidden):
        disclosure.approve(session, scope=accountant, disclosure_id=made.id)
    disclosure.approve(session, scope=group_of(place.village), disclosure_id=made.id)
    shown = disclosure.get_published_for_village(session, village_code=place.village)
    assert [item.period for item in shown.items] == ["2024Q4"]
    neighbour = disclosure.get_published_for_village(session, village_code=place.neighbour_village)
    assert neighbour.items == []


def test_an_approved_disclosure_is_fixed(session, quarter):
    place, made = quarter
    disclosure.approve(session, scope=group_of(place.village), disclosure_id=made.id)
    org = session.get(Organisation, made.org_id)
    with pytest.raises(Conflict, match="不能重新生成"):
        disclosure.generate(session, scope=SYSTEM, org=org, period="2024Q4", rules=RULES)


def test_another_villages_group_cannot_approve(session, quarter):
    place, made = quarter
    with pytest.raises(Exception, match="不存在或不在您的管辖范围内"):
        disclosure.approve(session, scope=group_of(place.neighbour_village), disclosure_id=made.id)


def test_waiting_and_overdue_disclosures_are_todo(session, quarter):
    from datetime import date

    from yunong.collective import todo

    place, made = quarter
    [waiting] = todo.todo(session, group_of(place.village))
    assert (waiting.action, waiting.total) == ("审核财务公开", 1)
    assert waiting.items[0].link == f"/collective/disclosures/{made.id}"
    accountant = Scope(
        actor="accountant", region_code=place.village, role=Role.COLLECTIVE_ACCOUNTANT.value
    )
    [late] = todo.todo(session, accountant, today=date(2025, 1, 20))
    assert [item.subject.split()[-1] for item in late.items] == ["2024Q1", "2024Q2", "2024Q3"]
    assert late.items[0].due_on == date(2024, 4, 15)
