"""The monitoring lists as pages: found by a member's name, the end of an ID number or a
code; filtered by region, status, category and date; the most urgent case first; places
named; ID numbers masked; every read inside the caller's scope; exports of the same rows."""

from dataclasses import dataclass
from datetime import date

import pytest

from tests.factories import Place, add_user, make_place
from tests.monitor.factories import Made, Member, add_alert, add_household, family
from yunong.core import listing
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.roles import Role
from yunong.core.errors import InvalidValue
from yunong.core.scope import OutOfScope, Scope
from yunong.monitor import exports, lists, opening, reports
from yunong.policy import loader

PACK = loader.get()
JUNE = date(2024, 6, 3)
TODAY = date(2024, 6, 20)


def as_role(region: str, role: Role = Role.TOWN_OFFICER) -> Scope:
    return Scope(actor=role.value, region_code=region, role=role.value)


def households_page(session, scope: Scope, **params: str) -> list[str]:
    page = listing.parse(params, lists.HOUSEHOLDS)
    return [row.head for row in lists.get_households(session, scope=scope, page=page).rows]


@dataclass(frozen=True)
class Scene:
    place: Place
    zhang: Made


@pytest.fixture
def scene(session) -> Scene:
    """石坪村: 张建国's household with an open alert, 李明 and 陈芳's without; 复兴村: 王强's;
    下中村 of the next town: 赵敏's; a grid worker of 石坪村."""
    place = make_place(session)
    add_user(session, "grid_shiping_01", Role.GRID_WORKER, place.village)
    zhang = add_household(session, village=place.village, number="0101", members=family())
    add_alert(session, zhang)
    add_household(
        session,
        village=place.village,
        number="0102",
        members=[Member("李明", date(1966, 3, 2)), Member("陈芳", date(1968, 5, 7), "配偶")],
    )
    add_household(session, village=place.neighbour_village, number="0201", members=family("王强"))
    add_household(session, village=place.other_town_village, number="0301", members=family("赵敏"))
    return Scene(place, zhang)


@pytest.fixture
def place(scene: Scene) -> Place:
    return scene.place


def test_a_household_is_found_by_a_members_full_name(session, place):
    assert households_page(session, as_role(place.town), q="陈芳") == ["李明"]


def test_a_household_is_found_by_the_last_four_characters_of_an_id_number(session, place, scene):
    ending = scene.zhang.persons[2].id_number[-4:]
    assert households_page(session, as_role(place.town), q=ending) == ["张建国"]


def test_a_household_is_found_by_its_code_and_its_number_in_the_village_books(
    session, place, scene
):
    town = as_role(place.town)
    assert households_page(session, town, q=scene.zhang.household.code.lower()) == ["张建国"]
    assert households_page(session, town, q="0102") == ["李明"]


def test_the_list_holds_only_the_callers_region_by_village_and_number(session, place):
    assert households_page(session, as_role(place.town)) == ["张建国", "李明", "王强"]


def test_the_region_filter_narrows_to_a_village_inside_the_scope(session, place):
    town = as_role(place.town)
    assert households_page(session, town, region=place.neighbour_village) == ["王强"]


def test_a_region_outside_the_scope_is_not_found(session, place):
    with pytest.raises(OutOfScope):
        households_page(session, as_role(place.town), region=place.other_town_village)


def test_the_status_filter_keeps_households_with_an_alert_waiting(session, place):
    assert households_page(session, as_role(place.town), status="alert") == ["张建国"]


def test_household_rows_name_the_district_town_and_village_and_mask_the_id_number(
    session, place, scene
):
    page = listing.parse({"q": "张建国"}, lists.HOUSEHOLDS)
    [row] = lists.get_households(session, scope=as_role(place.town), page=page).rows
    assert (row.place.district, row.place.town, row.place.village) == ("万州区", "龙沙镇", "石坪村")
    head_id = scene.zhang.persons[0].id_number
    assert row.id_number == head_id[:3] + "*" * 11 + head_id[-4:]


def open_case(session, place, number: str, head: str, opened: date) -> None:
    made = add_household(session, village=place.village, number=number, members=family(head))
    opening.open_case(
        session,
        scope=as_role(place.village, Role.VILLAGE_CADRE),
        alert_id=add_alert(session, made).id,
        grid_worker="grid_shiping_01",
        pack=PACK,
        today=opened,
    )


def test_the_case_list_puts_the_case_past_its_limit_first(session, place):
    open_case(session, place, "0401", "孙丽", TODAY)
    open_case(session, place, "0402", "周平", JUNE)
    page = listing.parse({}, lists.case_spec(PACK))
    found = lists.get_cases(session, scope=as_role(place.town), page=page, pack=PACK, today=TODAY)
    assert [(row.head, row.warning.level) for row in found.rows] == [
        ("周平", "red"),
        ("孙丽", "green"),
    ]
    assert found.total == 2


def test_the_case_list_keeps_the_cases_opened_in_the_date_range(session, place):
    open_case(session, place, "0401", "孙丽", TODAY)
    open_case(session, place, "0402", "周平", JUNE)
    page = listing.parse({"from": "2024-06-10", "to": "2024-06-30"}, lists.case_spec(PACK))
    found = lists.get_cases(session, scope=as_role(place.town), page=page, pack=PACK, today=TODAY)
    assert [row.head for row in found.rows] == ["孙丽"]


def test_the_alert_list_pages_the_alerts_waiting_with_their_village_named(session, place):
    page = listing.parse({"size": "1"}, lists.ALERTS)
    found = lists.get_alerts(session, scope=as_role(place.district), page=page)
    assert (found.total, found.first, found.last) == (1, 1, 1)
    assert [(row.head, row.place.village) for row in found.rows] == [("张建国", "石坪村")]


def test_looking_at_self_reports_is_recorded_as_a_view_of_personal_data(session, place, scene):
    reports.submit(
        session,
        report_in=reports.ReportIn(
            name="张建国",
            id_number=scene.zhang.persons[0].id_number,
            village=place.village,
            what_happened="家中房屋被洪水冲毁",
            risk_type="因自然灾害",
        ),
        today=JUNE,
    )
    page = listing.parse({}, lists.SELF_REPORTS)
    found = lists.get_self_reports(session, scope=as_role(place.town), page=page)
    assert [row.report.name for row in found.rows] == ["张建国"]
    assert session.query(AuditRecord).filter_by(action="monitor.self_reports.view").count() == 1


def test_an_export_holds_every_row_its_filters_find_with_places_by_name(session, place):
    page = listing.parse({"region": place.village, "size": "1"}, lists.HOUSEHOLDS)
    headers, rows = exports.export(session, as_role(place.town), "households", page)
    assert headers[4:7] == ["区县", "乡镇", "村"]
    assert [(row[2], row[6]) for row in rows] == [("张建国", "石坪村"), ("李明", "石坪村")]
    assert "*" in str(rows[0][3])


def test_an_export_larger_than_its_limit_is_refused_with_its_size(session, place, monkeypatch):
    monkeypatch.setattr(listing, "EXPORT_LIMIT", 2)
    with pytest.raises(InvalidValue, match="符合条件的共 3 条，超过一次导出的上限 2 条"):
        exports.export(session, as_role(place.town), "households")
