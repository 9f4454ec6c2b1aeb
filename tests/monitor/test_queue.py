"""The work queues read inside the scope: household codes and heads, whom a village cadre may
send, the bars one level down, the grid worker's own tasks, and the zeroing board's rows."""

from datetime import date

import pytest

from tests.factories import add_user, make_place
from tests.monitor.factories import add_alert, add_household, family
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden
from yunong.core.scope import Scope
from yunong.monitor import households, opening, queue, zeroing_board
from yunong.policy import loader

PACK = loader.get()
START = date(2024, 6, 3)


def scope_of(region: str, role: Role, actor: str = "") -> Scope:
    return Scope(actor=actor or role.value, region_code=region, role=role.value)


def test_household_codes_and_heads_are_given_only_inside_the_scope(session):
    place = make_place(session)
    here = add_household(session, village=place.village, number="0801", members=family())
    there = add_household(
        session, village=place.neighbour_village, number="0802", members=family("王德明")
    )
    ids = [here.household.id, there.household.id]
    cadre = scope_of(place.village, Role.VILLAGE_CADRE)
    assert households.codes_of(session, scope=cadre, household_ids=ids) == {
        here.household.id: here.household.code
    }
    assert households.head_names(session, scope=cadre, household_ids=ids) == {
        here.household.id: "张建国"
    }


def test_a_long_list_of_households_is_looked_up_in_parts(session, monkeypatch):
    place = make_place(session)
    made = [
        add_household(session, village=place.village, number=f"09{n:02d}", members=family())
        for n in range(5)
    ]
    monkeypatch.setattr(households, "IDS_PER_QUERY", 2)
    codes = households.codes_of(
        session,
        scope=scope_of(place.town, Role.TOWN_OFFICER),
        household_ids=[item.household.id for item in made],
    )
    assert codes == {item.household.id: item.household.code for item in made}


def test_a_village_cadre_is_offered_the_enabled_grid_workers_of_the_village(session):
    place = make_place(session)
    add_user(session, "grid_b", Role.GRID_WORKER, place.village)
    add_user(session, "grid_a", Role.GRID_WORKER, place.village)
    gone = add_user(session, "grid_gone", Role.GRID_WORKER, place.village)
    users.set_disabled(session, scope=Scope.system("test"), user_id=gone.id, disabled=True)
    add_user(session, "grid_next_door", Role.GRID_WORKER, place.neighbour_village)
    add_user(session, "cadre_two", Role.VILLAGE_CADRE, place.village)
    cadre = scope_of(place.village, Role.VILLAGE_CADRE)
    assert queue.grid_workers(session, scope=cadre) == ["grid_a", "grid_b"]


def test_no_one_but_a_village_cadre_is_offered_grid_workers(session):
    place = make_place(session)
    add_user(session, "grid_a", Role.GRID_WORKER, place.village)
    town = scope_of(place.town, Role.TOWN_OFFICER)
    assert queue.grid_workers(session, scope=town) == []


def test_the_bars_count_open_alerts_in_each_village_of_the_town(session):
    place = make_place(session)
    for number in ("1001", "1002"):
        made = add_household(session, village=place.village, number=number, members=family())
        add_alert(session, made)
    made = add_household(session, village=place.neighbour_village, number="1003", members=family())
    add_alert(session, made)
    bars = queue.bars(session, scope=scope_of(place.town, Role.TOWN_OFFICER))
    assert [(bar.name, bar.alerts, bar.monitored, bar.share(bar.alerts)) for bar in bars] == [
        ("石坪村", 2, 0, 100),
        ("复兴村", 1, 0, 50),
    ]


def test_the_visit_list_holds_only_the_callers_own_verification_tasks(session):
    place = make_place(session)
    add_user(session, "grid_mine", Role.GRID_WORKER, place.village)
    add_user(session, "grid_other", Role.GRID_WORKER, place.village)
    cadre = scope_of(place.village, Role.VILLAGE_CADRE)
    made = {}
    for number, worker in (("1101", "grid_mine"), ("1102", "grid_other")):
        made[worker] = add_household(
            session, village=place.village, number=number, members=family()
        )
        opening.open_case(
            session,
            scope=cadre,
            alert_id=add_alert(session, made[worker]).id,
            grid_worker=worker,
            pack=PACK,
            today=START,
        )
    found = queue.visit_list(session, scope=scope_of(place.village, Role.GRID_WORKER, "grid_mine"))
    assert list(found.tasks) == [made["grid_mine"].household.code]
    assert [item.number for item in found.households] == ["1101", "1102"]


def test_a_town_with_more_households_than_a_phone_list_is_searched_not_cut_off(
    session, monkeypatch
):
    monkeypatch.setattr(queue, "PICKER_ALL", 2)
    place = make_place(session)
    for number, head in (("1201", "王德明"), ("1202", "刘光辉"), ("1203", "陈永福")):
        add_household(session, village=place.village, number=number, members=family(head))
    town = scope_of(place.town, Role.TOWN_OFFICER)
    unsearched = queue.visit_list(session, scope=town)
    searched = queue.visit_list(session, scope=town, search="刘光辉")
    assert (unsearched.in_scope, unsearched.found, unsearched.households) == (3, None, [])
    assert (searched.found, [item.number for item in searched.households]) == (1, ["1202"])


def test_a_district_officer_has_no_visit_list(session):
    place = make_place(session)
    with pytest.raises(Forbidden, match="入户走访"):
        queue.visit_list(session, scope=scope_of(place.district, Role.DISTRICT_OFFICER))


@pytest.mark.parametrize(
    ("region", "width"),
    [("500000000000", 6), ("500101000000", 9), ("500101108000", 12), ("500101108201", 12)],
)
def test_the_zeroing_board_counts_one_level_down(region, width):
    assert zeroing_board.child_width(scope_of(region, Role.CITY_ADMIN)) == width
