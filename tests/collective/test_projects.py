"""帮扶项目: registered at approval with their fund sources and a 事 code, stages recorded in
order and never dated before the stage before, assets entering the village collective's 三资
registry, and the district's 项目库 workbook imported with bad projects refused by row."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.collective.factories import PROJECT_RULES, RULES, SYSTEM, make_org, make_project
from tests.factories import make_place
from tests.habitat.factories import write_xlsx
from yunong.collective import project_import, projects, registry
from yunong.collective.models import RegistryItem
from yunong.core.errors import InvalidValue, NotFound
from yunong.core.identity import service as identity
from yunong.core.scope import Scope

pytestmark = pytest.mark.db


def test_a_project_is_registered_with_each_fund_source_and_an_event_code(session):
    place = make_place(session)
    project = make_project(
        session, place.village, "2024-001", funds={"central": "800000", "lu_yu": "1.5万"}
    )
    assert project.code.startswith("E" + place.village)
    assert project.stage == "approved"
    assert projects.funds_of(session, [project.id])[project.id] == {
        "central": 80_000_000,
        "lu_yu": 1_500_000,
    }
    assert projects.steps_of(session, project) == {"approved": date(2024, 3, 1)}


def test_stages_follow_in_order(session):
    place = make_place(session)
    project = make_project(session, place.village, "2024-002")
    projects.record_step(session, scope=SYSTEM, project=project, step="built", on=date(2024, 9, 1))
    with pytest.raises(InvalidValue) as refused:
        projects.record_step(
            session, scope=SYSTEM, project=project, step="handed_over", on=date(2024, 10, 1)
        )
    assert "下一环节应为“验收”" in refused.value.message


def test_a_stage_dated_before_the_stage_before_it_is_refused(session):
    place = make_place(session)
    project = make_project(session, place.village, "2024-003")
    with pytest.raises(InvalidValue) as refused:
        projects.record_step(
            session, scope=SYSTEM, project=project, step="built", on=date(2024, 2, 1)
        )
    assert refused.value.message == (
        "项目“2024-003”的“建成”日期 2024-02-01 早于“立项”日期 2024-03-01"
    )
    assert project.stage == "approved"


def test_an_unknown_fund_source_is_refused_naming_the_known_ones(session):
    make_place(session)
    with pytest.raises(InvalidValue) as refused:
        projects.source_of("彩票公益金", PROJECT_RULES)
    assert "中央衔接资金" in refused.value.message


def test_a_project_outside_the_scope_is_not_found(session):
    place = make_place(session)
    make_project(session, place.village, "2024-004")
    town = Scope(actor="t", region_code=place.other_town, role="town_officer")
    with pytest.raises(NotFound):
        projects.get_by_code(session, scope=town, code="2024-004")


def test_project_assets_enter_the_registry_of_the_villages_organisation(session):
    place = make_place(session)
    org = make_org(session, place.village)
    project = make_project(session, place.village, "2024-005")
    item = projects.add_asset(
        session,
        scope=SYSTEM,
        project=project,
        item_in=registry.ItemIn(
            category="固定资产",
            name="柑橘分拣厂房",
            book_value=Decimal("950000"),
            depreciation_method="straight_line",
            useful_life_years=20,
        ),
        rules=RULES,
    )
    assert item.org_id == org.id and item.code.startswith("F" + place.village)
    assert registry.get_for_org(session, scope=SYSTEM, org=org) == [item]
    links = identity.get_links(session, scope=SYSTEM, code=project.code)
    assert [(link.relation, link.to_code) for link in links] == [("formed", item.code)]


HEADER = [
    "项目编号",
    "项目名称",
    "区划代码",
    "项目类型",
    "资金来源",
    "金额（万元）",
    "立项日期",
    "建成日期",
    "验收日期",
    "受益户数",
    "监测户数",
]


def book_rows(village: str) -> list[list[object]]:
    return [
        ["XM-01", "柑橘基地", village, "产业", "中央衔接资金", "80", "2024-03-01", "", "", 50, 4],
        ["XM-01", "", "", "", "鲁渝协作资金", "20", "", "", "", "", ""],
        [
            "XM-02",
            "村道硬化",
            village,
            "基础设施",
            "区县衔接资金",
            "40",
            "2024/4/2",
            "2024/9/30",
            "",
            "",
            "",
        ],
        # 建成 before 立项
        [
            "XM-03",
            "冷链仓库",
            village,
            "产业",
            "市级衔接资金",
            "30",
            "2024-05-01",
            "2024-04-01",
            "",
            "",
            "",
        ],
        # an unknown kind
        ["XM-04", "文化广场", village, "文化", "中央衔接资金", "10", "2024-05-01", "", "", "", ""],
        # a bad amount in the second source of the project
        ["XM-05", "光伏电站", village, "产业", "中央衔接资金", "10", "2024-05-01", "", "", "", ""],
        ["XM-05", "", "", "", "社会帮扶资金", "十万", "", "", "", "", ""],
    ]


def test_the_project_book_imports_with_bad_projects_refused_by_row(session, tmp_path):
    place = make_place(session)
    book = write_xlsx(tmp_path / "项目库.xlsx", HEADER, book_rows(place.village))
    tally = project_import.import_projects(session, scope=SYSTEM, path=book, rules=PROJECT_RULES)
    assert (tally.imported, tally.rejected) == (2, 3)
    assert [(row, number) for row, number, _ in tally.errors] == [
        (5, "XM-03"),
        (6, "XM-04"),
        (7, "XM-05"),
    ]
    assert "早于“立项”日期" in tally.errors[0][2]
    assert "项目类型“文化”" in tally.errors[1][2]
    first = projects.get_by_code(session, scope=SYSTEM, code="XM-01")
    assert projects.funds_of(session, [first.id])[first.id] == {
        "central": 80_000_000,
        "lu_yu": 20_000_000,
    }
    assert (first.households, first.monitored_households) == (50, 4)
    assert projects.get_by_code(session, scope=SYSTEM, code="XM-02").stage == "built"


def test_the_same_book_twice_changes_nothing_and_a_later_book_adds_stages(session, tmp_path):
    place = make_place(session)
    rows = book_rows(place.village)[:3]
    book = write_xlsx(tmp_path / "项目库.xlsx", HEADER, rows)
    project_import.import_projects(session, scope=SYSTEM, path=book, rules=PROJECT_RULES)
    again = project_import.import_projects(session, scope=SYSTEM, path=book, rules=PROJECT_RULES)
    assert (again.imported, again.updated, again.unchanged, again.rejected) == (0, 0, 2, 0)
    rows[2][8] = "2024-11-20"
    later = write_xlsx(tmp_path / "项目库2.xlsx", HEADER, rows)
    tally = project_import.import_projects(session, scope=SYSTEM, path=later, rules=PROJECT_RULES)
    assert (tally.updated, tally.unchanged) == (1, 1)
    assert projects.get_by_code(session, scope=SYSTEM, code="XM-02").stage == "accepted"
    assert session.scalars(select(RegistryItem)).all() == []
