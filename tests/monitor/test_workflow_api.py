"""One household through every step of the case workflow over the HTTP API.

At each step the role that owns it acts, and every other role is refused first, with the
case left as it was. A village cadre of the next village cannot see the household at all.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from tests.factories import World, add_user, make_world
from tests.monitor.factories import add_alert, add_household, family, headers
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.monitor import calendar
from yunong.store.db import make_engine, make_sessionmaker, transaction


@dataclass
class Scene:
    world: World
    household: str
    alert_id: int
    neighbour_cadre: str
    """Token of a village cadre of the next village in the same town."""


@pytest.fixture(scope="module")
def scene(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_world(session)
        made = add_household(session, village=world.place.village, number="0101", members=family())
        alert = add_alert(session, made)
        cadre = add_user(
            session, "cadre_fuxing_01", Role.VILLAGE_CADRE, world.place.neighbour_village
        )
        token = users.create_token(session, scope=Scope.system("test"), user_id=cadre.id)
        scene = Scene(world, made.household.code, alert.id, token)
    engine.dispose()
    return scene


@pytest.fixture(scope="module")
def world(scene):
    """The world the monitoring tests' client fixture serves."""
    return scene.world


def refused_for_all_but(client, scene, owner: Role, method: str, url: str, body: dict) -> None:
    """Every role but ``owner`` is refused with 403, and the case does not move."""
    for role in Role:
        if role == owner:
            continue
        response = client.request(method, url, json=body, headers=headers(scene.world, role))
        assert response.status_code == 403, (role, response.text)
        assert response.json()["detail"]


def state_of(client, scene, case_code: str) -> str:
    response = client.get(
        f"/api/monitor/cases/{case_code}", headers=headers(scene.world, Role.CITY_ADMIN)
    )
    return response.json()["state"]


def visit(key: str, on: date, income: int | None = None, secure: bool = False) -> dict:
    checks = {
        name: secure
        for name in (
            "rigid_costs_resolved",
            "education_secure",
            "medical_secure",
            "housing_secure",
            "water_secure",
        )
    }
    return {"client_key": key, "visited_on": on.isoformat(), "per_capita_income": income} | checks


def act(client, scene, case_code: str, owner: Role, step: str, body: dict) -> dict:
    url = f"/api/monitor/cases/{case_code}/steps/{step}"
    before = state_of(client, scene, case_code)
    refused_for_all_but(client, scene, owner, "POST", url, body)
    assert state_of(client, scene, case_code) == before
    response = client.post(url, json=body, headers=headers(scene.world, owner))
    assert response.status_code == 200, response.text
    return response.json()


def test_one_household_through_every_step_each_by_its_own_role(client, scene):
    today = calendar.today()
    grid_worker = scene.world.accounts[Role.GRID_WORKER].name

    # 1. The village cadre assigns the alert to the village's grid worker.
    url = f"/api/monitor/alerts/{scene.alert_id}/case"
    body = {"grid_worker": grid_worker}
    refused_for_all_but(client, scene, Role.VILLAGE_CADRE, "POST", url, body)
    opened = client.post(url, json=body, headers=headers(scene.world, Role.VILLAGE_CADRE))
    assert opened.status_code == 201, opened.text
    case = opened.json()
    code = case["code"]
    assert case["state"] == "verify" and case["assigned_to"] == grid_worker
    assert case["identification_due_on"] == calendar.add_working_days(today, 20).isoformat()

    # 2. The grid worker sends the verification visit; a resend changes nothing.
    url = f"/api/monitor/cases/{code}/verify"
    body = visit("verify-0101-a", today)
    refused_for_all_but(client, scene, Role.GRID_WORKER, "POST", url, body)
    assert state_of(client, scene, code) == "verify"
    verified = client.post(url, json=body, headers=headers(scene.world, Role.GRID_WORKER))
    assert verified.status_code == 200 and verified.json()["state"] == "village_review"
    again = client.post(url, json=body, headers=headers(scene.world, Role.GRID_WORKER))
    assert again.status_code == 200 and again.json()["state"] == "village_review"

    # 3–5. Village review and notice, town review, district approval with the category.
    note = {"note": "经村民代表会议评议，公示 5 天无异议"}
    assert act(client, scene, code, Role.VILLAGE_CADRE, "village_review", note)["state"] == (
        "town_review"
    )
    assert act(client, scene, code, Role.TOWN_OFFICER, "town_review", {})["state"] == (
        "district_approval"
    )
    approval = {"category": "突发严重困难户", "risk_types": ["因病"], "note": "同意纳入"}
    included = act(client, scene, code, Role.DISTRICT_OFFICER, "district_approval", approval)
    assert included["state"] == "monitored"
    assert included["category"] == "突发严重困难户" and included["has_labour"] is True

    # Measures: the village plans them, the grid worker records their progress.
    url = f"/api/monitor/cases/{code}/measures"
    body = {
        "kind": "employment",
        "content": "推荐到区内就业帮扶车间务工",
        "responsible": "区人力社保局",
        "due_on": (today + timedelta(days=60)).isoformat(),
    }
    refused_for_all_but(client, scene, Role.VILLAGE_CADRE, "POST", url, body)
    measure = client.post(url, json=body, headers=headers(scene.world, Role.VILLAGE_CADRE))
    assert measure.status_code == 201, measure.text
    done = client.post(
        f"/api/monitor/measures/{measure.json()['id']}/progress",
        json={"note": "已上岗，月收入 3200 元", "done": True},
        headers=headers(scene.world, Role.GRID_WORKER),
    )
    assert done.status_code == 200 and done.json()["done_on"] == today.isoformat()

    # 风险消除 is refused while the criteria do not hold, naming what is missing.
    too_early = client.post(
        f"/api/monitor/cases/{code}/steps/propose_removal",
        json={},
        headers=headers(scene.world, Role.VILLAGE_CADRE),
    )
    assert too_early.status_code == 422
    assert "收入持续稳定在监测线以上" in too_early.json()["detail"]

    # Visits over more than six months show the income above the line and every need met.
    for key, on in (("income-0101-a", today - timedelta(days=200)), ("income-0101-b", today)):
        sent = client.post(
            "/api/monitor/visits",
            json=visit(key, on, income=12000, secure=True) | {"household_code": scene.household},
            headers=headers(scene.world, Role.GRID_WORKER),
        )
        assert sent.status_code == 201, sent.text

    # 6–8. Removal through the same chain: village, town, district.
    assert act(client, scene, code, Role.VILLAGE_CADRE, "propose_removal", {})["state"] == (
        "removal_town_review"
    )
    assert act(client, scene, code, Role.TOWN_OFFICER, "removal_town_review", {})["state"] == (
        "removal_district_approval"
    )
    closed = act(client, scene, code, Role.DISTRICT_OFFICER, "removal_district_approval", {})
    assert closed["state"] == "risk_removed" and closed["removed_on"] == today.isoformat()
    assert closed["tracked_after_removal"] is False

    # The record is kept and still updated: a visit after closing is saved on the timeline.
    later = client.post(
        "/api/monitor/visits",
        json=visit("after-0101-a", today, income=13000, secure=True)
        | {"household_code": scene.household, "note": "风险消除后回访"},
        headers=headers(scene.world, Role.GRID_WORKER),
    )
    assert later.status_code == 201
    page = client.get(
        f"/api/monitor/households/{scene.household}",
        headers=headers(scene.world, Role.TOWN_OFFICER),
    ).json()
    titles = [entry["title"] for entry in page["timeline"]]
    assert "风险消除区县审批：同意（district_officer_01）" in titles
    assert any(entry["detail"].endswith("风险消除后回访") for entry in page["timeline"])


def test_a_village_cadre_of_another_village_cannot_see_the_household(client, scene):
    other = {"Authorization": f"Bearer {scene.neighbour_cadre}"}
    assert (
        client.get(f"/api/monitor/households/{scene.household}", headers=other).status_code == 404
    )
    own = client.get(
        f"/api/monitor/households/{scene.household}",
        headers=headers(scene.world, Role.VILLAGE_CADRE),
    )
    assert own.status_code == 200
    assert all(
        case["household_code"] != scene.household
        for case in client.get("/api/monitor/cases", headers=other).json()
    )
    assert client.get("/api/monitor/alerts", headers=other).json() == []


def test_members_id_numbers_are_masked_on_the_household_record(client, scene):
    page = client.get(
        f"/api/monitor/households/{scene.household}", headers=headers(scene.world, Role.GRID_WORKER)
    ).json()
    assert page["members"] and all("*" * 8 in member["id_number"] for member in page["members"])
