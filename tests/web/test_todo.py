"""待办: each step of the work shows on the list of the one who takes it, and moves on to
the next actor's list once it is taken."""

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from tests.factories import World, make_world
from tests.monitor.factories import add_alert, add_household, family, headers
from tests.trace.factories import (
    add_batch,
    add_producer,
    add_product,
    grow_and_harvest,
    record,
)
from yunong import apps
from yunong.core.auth import service as users
from yunong.core.auth.models import User
from yunong.core.auth.roles import Role
from yunong.monitor import calendar
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.trace.models import ProducerAccount
from yunong.web.app import create_app


@dataclass
class Scene:
    world: World
    alert_id: int


@pytest.fixture(scope="module")
def scene(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_world(session)
        made = add_household(session, village=world.place.village, number="0101", members=family())
        scene = Scene(world, add_alert(session, made).id)
    engine.dispose()
    return scene


@pytest.fixture(scope="module")
def client(module_db_url, scene, tmp_path_factory):
    app = create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        yield client


def waiting(client, scene, role: Role) -> dict[str, list[str]]:
    """The subjects listed for ``role``, by kind of work."""
    response = client.get("/api/me/todo", headers=headers(scene.world, role))
    assert response.status_code == 200, response.text
    return {kind["kind"]: [item["subject"] for item in kind["items"]] for kind in response.json()}


def test_a_case_moves_from_one_actors_list_to_the_next_as_each_takes_its_step(client, scene):
    household = "张建国户（石坪村）"
    assert waiting(client, scene, Role.VILLAGE_CADRE)["send_to_verify"] == [household]
    assert waiting(client, scene, Role.GRID_WORKER) == {}

    grid_worker = scene.world.accounts[Role.GRID_WORKER].name
    opened = client.post(
        f"/api/monitor/alerts/{scene.alert_id}/case",
        json={"grid_worker": grid_worker},
        headers=headers(scene.world, Role.VILLAGE_CADRE),
    )
    assert opened.status_code == 201, opened.text
    code = opened.json()["code"]
    assert "send_to_verify" not in waiting(client, scene, Role.VILLAGE_CADRE)
    assert waiting(client, scene, Role.GRID_WORKER)["verify"] == [household]

    checks = ("rigid_costs_resolved", "education_secure", "medical_secure", "housing_secure")
    visit = {
        "client_key": "todo-0101",
        "visited_on": calendar.today().isoformat(),
        "per_capita_income": None,
    } | dict.fromkeys((*checks, "water_secure"), False)
    verified = client.post(
        f"/api/monitor/cases/{code}/verify",
        json=visit,
        headers=headers(scene.world, Role.GRID_WORKER),
    )
    assert verified.status_code == 200, verified.text
    assert waiting(client, scene, Role.GRID_WORKER) == {}
    assert waiting(client, scene, Role.VILLAGE_CADRE)["village_review"] == [household]

    reviewed = client.post(
        f"/api/monitor/cases/{code}/steps/village_review",
        json={"note": "经村民代表会议评议，公示 5 天无异议"},
        headers=headers(scene.world, Role.VILLAGE_CADRE),
    )
    assert reviewed.status_code == 200, reviewed.text
    assert "village_review" not in waiting(client, scene, Role.VILLAGE_CADRE)
    assert waiting(client, scene, Role.TOWN_OFFICER)["town_review"] == [household]


def test_items_link_to_the_page_where_the_work_is_done(client, scene):
    response = client.get("/api/me/todo", headers=headers(scene.world, Role.TOWN_OFFICER))
    for kind in response.json():
        for item in kind["items"]:
            page = client.get(item["link"], headers=headers(scene.world, Role.TOWN_OFFICER))
            assert page.status_code == 200, item["link"]


def test_roles_without_monitoring_have_no_monitoring_work(client, scene):
    for role in (Role.BANK_VIEWER, Role.COLLECTIVE_ACCOUNTANT):
        response = client.get("/api/me/todo", headers=headers(scene.world, role))
        assert [kind for kind in response.json() if kind["application"] == "monitor"] == []


def test_a_harvested_batch_without_certificate_waits_on_its_producer(session):
    world = make_world(session)
    producer = add_producer(session, region=world.place.village)
    account = world.accounts[Role.PRODUCER]
    session.add(ProducerAccount(producer_id=producer.id, user_id=account.user_id))
    batch = add_batch(session, add_product(session, producer))
    grow_and_harvest(session, batch)
    scope = users.scope_of(session.get(User, account.user_id))
    kinds = {kind.kind: kind for kind in apps.todo(session, scope)}
    assert [item.link for item in kinds["certificate"].items] == [f"/trace/batches/{batch.code}"]
    assert "harvest" not in kinds


def test_a_batch_whose_last_inspection_failed_waits_to_be_inspected_again(session):
    world = make_world(session)
    producer = add_producer(session, region=world.place.village)
    account = world.accounts[Role.PRODUCER]
    session.add(ProducerAccount(producer_id=producer.id, user_id=account.user_id))
    batch = add_batch(session, add_product(session, producer))
    grow_and_harvest(session, batch, inspection="fail")
    scope = users.scope_of(session.get(User, account.user_id))
    kinds = {kind.kind: kind for kind in apps.todo(session, scope)}
    assert [item.link for item in kinds["reinspect"].items] == [f"/trace/batches/{batch.code}"]
    assert "certificate" not in kinds

    record(session, batch, "inspection", "2024-11-12 10:00", result="pass", agency="万州区农检站")
    kinds = {kind.kind: kind for kind in apps.todo(session, scope)}
    assert [item.link for item in kinds["certificate"].items] == [f"/trace/batches/{batch.code}"]
    assert "reinspect" not in kinds
