"""The map of open alerts: counts per village, places from the shared geography or the
town, and only the caller's region — in the service, the JSON behind the map and the pages."""

from datetime import date

import pytest

from tests.factories import make_world
from tests.monitor.factories import add_alert, add_household, add_village_centre, family, headers
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.monitor import alert_map, opening, workflow
from yunong.monitor.access import WrongRole
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction

PACK = loader.get()
SHIPING = (108.4, 30.8)
"""The centre of 石坪村 in the shared geography; 复兴村 of the same town has none."""


def as_role(role: Role, region: str, actor: str = "tester") -> Scope:
    return Scope(actor=actor, region_code=region, role=role.value)


def walk_to_monitoring(session, world, case: workflow.Case) -> None:
    """Take a case through every identification step to 纳入监测 (a decided household)."""
    place = world.place
    for step, role, region in (
        ("verify", Role.GRID_WORKER, place.village),
        ("village_review", Role.VILLAGE_CADRE, place.village),
        ("town_review", Role.TOWN_OFFICER, place.town),
    ):
        actor = world.accounts[Role.GRID_WORKER].name if role == Role.GRID_WORKER else "tester"
        workflow.take_step(
            session,
            scope=as_role(role, region, actor),
            case=case,
            step_name=step,
            pack=PACK,
            today=date(2024, 6, 4),
        )
    workflow.include(
        session,
        scope=as_role(Role.DISTRICT_OFFICER, place.district),
        case=case,
        pack=PACK,
        category=PACK.monitoring.workflow.categories[0],
        risk_types=["因病"],
        today=date(2024, 6, 5),
    )


@pytest.fixture(scope="module")
def world(module_db_url):
    """石坪村: two alerts waiting, one case in verification since 2024-06-03, one decided
    household and one closed alert. 复兴村 (no centre): one alert. 下中村 (no centre in its
    town): one alert. 凤阳村 of another district: one alert."""
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_world(session)
        place = world.place
        add_village_centre(session, place.village, *SHIPING)
        add_village_centre(session, place.other_district_village, 107.4, 29.7)
        for number in ("0701", "0702"):
            add_alert(
                session,
                add_household(session, village=place.village, number=number, members=family()),
            )
        cadre = as_role(Role.VILLAGE_CADRE, place.village)
        grid = world.accounts[Role.GRID_WORKER].name
        verifying = add_household(
            session, village=place.village, number="0703", members=family("周平")
        )
        opening.open_case(
            session,
            scope=cadre,
            alert_id=add_alert(session, verifying).id,
            grid_worker=grid,
            pack=PACK,
            today=date(2024, 6, 3),
        )
        decided = add_household(
            session, village=place.village, number="0704", members=family("刘大山")
        )
        case = opening.open_case(
            session,
            scope=cadre,
            alert_id=add_alert(session, decided).id,
            grid_worker=grid,
            pack=PACK,
            today=date(2024, 6, 3),
        )
        walk_to_monitoring(session, world, case)
        closed = add_household(
            session, village=place.village, number="0705", members=family("陈明")
        )
        add_alert(session, closed).status = "closed"
        for village, number in (
            (place.neighbour_village, "0711"),
            (place.other_town_village, "0721"),
            (place.other_district_village, "0731"),
        ):
            add_alert(
                session,
                add_household(session, village=village, number=number, members=family("王强")),
            )
    engine.dispose()
    return world


@pytest.fixture
def session(module_db_url, world):
    engine = make_engine(module_db_url)
    with make_sessionmaker(engine)() as session:
        yield session
    engine.dispose()


def by_code(found: alert_map.AlertMap) -> dict[str, alert_map.Village]:
    return {village.code: village for village in found.villages}


class TestCounts:
    def test_each_village_holds_its_waiting_alerts_and_cases_in_identification(
        self, session, world
    ):
        place = world.place
        found = by_code(alert_map.get(session, scope=Scope.system(), today=date(2024, 7, 1)))
        counts = {code: (v.waiting, v.identifying, v.overdue) for code, v in found.items()}
        assert counts == {
            place.village: (2, 1, 1),
            place.neighbour_village: (1, 0, 0),
            place.other_town_village: (1, 0, 0),
            place.other_district_village: (1, 0, 0),
        }

    def test_a_case_is_overdue_only_once_its_limit_has_passed(self, session, world):
        found = by_code(alert_map.get(session, scope=Scope.system(), today=date(2024, 6, 4)))
        assert found[world.place.village].overdue == 0

    def test_the_busiest_village_comes_first(self, session, world):
        found = alert_map.get(session, scope=Scope.system(), today=date(2024, 7, 1))
        assert found.villages[0].code == world.place.village


class TestPlaces:
    def test_a_village_with_a_centre_is_drawn_at_it(self, session, world):
        village = by_code(alert_map.get(session, scope=Scope.system()))[world.place.village]
        assert (village.lon, village.lat, village.placed_by_town) == (*SHIPING, False)

    def test_a_village_without_a_centre_is_drawn_at_its_towns_centre(self, session, world):
        village = by_code(alert_map.get(session, scope=Scope.system()))[
            world.place.neighbour_village
        ]
        assert (village.lon, village.lat, village.placed_by_town) == (*SHIPING, True)

    def test_a_village_whose_town_has_no_centre_is_left_off_and_counted(self, session, world):
        found = alert_map.get(session, scope=Scope.system())
        assert [village.code for village in found.unplaced] == [world.place.other_town_village]
        assert found.as_json()["unplaced"] == {"villages": 1, "waiting": 1, "identifying": 0}
        assert world.place.other_town_village not in {
            point["code"]
            for point in found.as_json()["points"]  # type: ignore[attr-defined]
        }


class TestScope:
    def test_a_town_officer_sees_only_the_villages_of_the_town(self, session, world):
        place = world.place
        found = alert_map.get(session, scope=as_role(Role.TOWN_OFFICER, place.town))
        assert set(by_code(found)) == {place.village, place.neighbour_village}

    def test_a_village_cadre_sees_only_the_village(self, session, world):
        place = world.place
        found = alert_map.get(session, scope=as_role(Role.VILLAGE_CADRE, place.village))
        assert set(by_code(found)) == {place.village}

    def test_a_district_officer_sees_the_district_and_not_the_other(self, session, world):
        place = world.place
        found = alert_map.get(session, scope=as_role(Role.DISTRICT_OFFICER, place.district))
        assert set(by_code(found)) == {
            place.village,
            place.neighbour_village,
            place.other_town_village,
        }

    def test_a_role_outside_monitoring_is_refused(self, session, world):
        with pytest.raises(WrongRole):
            alert_map.get(session, scope=as_role(Role.BANK_VIEWER, world.place.district))


class TestPointsJson:
    def points(self, client, world, role: Role) -> dict[str, dict]:
        response = client.get("/monitor/alert-map.json", headers=headers(world, role))
        assert response.status_code == 200
        return {point["code"]: point for point in response.json()["points"]}

    def test_the_points_hold_the_counts_and_places_of_the_town_officers_villages(
        self, client, world
    ):
        place = world.place
        points = self.points(client, world, Role.TOWN_OFFICER)
        assert set(points) == {place.village, place.neighbour_village}
        shiping = points[place.village]
        assert (shiping["name"], shiping["town"]) == ("石坪村", "龙沙镇")
        assert (shiping["waiting"], shiping["identifying"], shiping["total"]) == (2, 1, 3)
        assert shiping["overdue"] == 1  # verification due in June 2024, never done
        assert [shiping["lon"], shiping["lat"]] == list(SHIPING)
        assert points[place.neighbour_village]["placed_by_town"] is True

    def test_a_village_cadre_gets_only_the_village(self, client, world):
        assert set(self.points(client, world, Role.VILLAGE_CADRE)) == {world.place.village}

    def test_the_district_officer_is_told_of_the_village_without_a_place(self, client, world):
        response = client.get(
            "/monitor/alert-map.json", headers=headers(world, Role.DISTRICT_OFFICER)
        )
        assert response.json()["unplaced"]["villages"] == 1

    def test_anonymous_and_other_roles_are_refused(self, client, world):
        anonymous = client.get("/monitor/alert-map.json", follow_redirects=False)
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
        refused = client.get("/monitor/alert-map.json", headers=headers(world, Role.BANK_VIEWER))
        assert refused.status_code == 403


class TestPages:
    def test_the_map_page_lists_the_villages_with_links_to_their_queue(self, client, world):
        page = client.get("/monitor/map", headers=headers(world, Role.TOWN_OFFICER))
        assert page.status_code == 200
        assert f'href="/apps/monitor?village={world.place.village}"' in page.text
        assert "monitor-map.js" in page.text and "凤阳村" not in page.text

    def test_the_map_page_counts_villages_of_unknown_position(self, client, world):
        page = client.get("/monitor/map", headers=headers(world, Role.DISTRICT_OFFICER))
        assert 'id="unplaced"' in page.text and "下中村" in page.text

    def test_the_queue_of_one_village_shows_only_its_cases_and_alerts(self, client, world):
        place = world.place
        officer = headers(world, Role.TOWN_OFFICER)
        whole = client.get("/apps/monitor", headers=officer).text
        one = client.get(f"/apps/monitor?village={place.neighbour_village}", headers=officer)
        assert one.status_code == 200 and 'id="village-filter"' in one.text
        assert "周平" in whole and "周平" not in one.text  # a household of 石坪村
        alerts = client.get(f"/monitor/alerts?region={place.neighbour_village}", headers=officer)
        assert "王强" in alerts.text and "石坪村" not in alerts.text.split('class="alerts"')[1]

    def test_the_queue_of_a_village_outside_the_scope_is_not_found(self, client, world):
        response = client.get(
            f"/apps/monitor?village={world.place.other_district_village}",
            headers=headers(world, Role.TOWN_OFFICER),
        )
        assert response.status_code == 404
