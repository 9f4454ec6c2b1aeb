"""The work shell's menu: each application's entry counts the 待办 items it has for the user,
and the home entry's badge counts the items that appeared since the user last opened the
home page, which marks them 新 and clears the badge."""

import re
from collections import Counter
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.factories import World, make_world
from tests.monitor.factories import add_alert, add_household, family, headers
from yunong.core.auth.roles import Role
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db


@dataclass
class Scene:
    world: World
    db_url: str


@pytest.fixture(scope="module")
def scene(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_world(session)
        for number in ("0101", "0102"):
            made = add_household(
                session, village=world.place.village, number=number, members=family()
            )
            add_alert(session, made)
    engine.dispose()
    return Scene(world, module_db_url)


@pytest.fixture(scope="module")
def client(scene, tmp_path_factory):
    app = create_app(Settings(db_url=scene.db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        yield client


def page(client, scene, role: Role, path: str = "/dictionaries") -> str:
    response = client.get(path, headers=headers(scene.world, role))
    assert response.status_code == 200, response.text[:300]
    return response.text


def todo(client, scene, role: Role) -> list[dict]:
    response = client.get("/api/me/todo", headers=headers(scene.world, role))
    assert response.status_code == 200, response.text
    return response.json()


def menu_counts(html: str) -> dict[str, int]:
    """The count shown on each menu entry, by the entry's path."""
    menu = html[html.index('<details class="menu"') : html.index("</details>")]
    found = re.findall(r'<a href="([^"]+)"[^>]*>[^<]*<span class="count"[^>]*>(\d+)</span>', menu)
    return {path: int(count) for path, count in found}


def badge(html: str) -> int:
    found = re.search(r'<span class="badge" id="todo-new"[^>]*>(\d+)</span>', html)
    return int(found.group(1)) if found else 0


def add_case_alert(scene, number: str) -> None:
    """A household of the village screened with an alert: new work for the village cadre."""
    engine = make_engine(scene.db_url)
    with transaction(make_sessionmaker(engine)) as session:
        made = add_household(
            session, village=scene.world.place.village, number=number, members=family()
        )
        add_alert(session, made)
    engine.dispose()


def new_items(client, scene, role: Role) -> list[str]:
    """The links of the items the API marks new."""
    listed = todo(client, scene, role)
    return [item["link"] for kind in listed for item in kind["items"] if item["new"]]


def test_each_applications_entry_counts_what_its_providers_total(client, scene):
    for role in (Role.VILLAGE_CADRE, Role.TOWN_OFFICER, Role.DISTRICT_OFFICER):
        totals = Counter()
        for kind in todo(client, scene, role):
            totals[kind["application"]] += kind["total"]
        counts = menu_counts(page(client, scene, role))
        assert counts.get("/apps/monitor", 0) == totals["monitor"]
        assert sum(counts.values()) == sum(totals.values())
    assert menu_counts(page(client, scene, Role.VILLAGE_CADRE))["/apps/monitor"] == 2


def test_the_badge_counts_an_item_that_appeared_after_the_last_visit(client, scene):
    page(client, scene, Role.VILLAGE_CADRE, "/")
    assert badge(page(client, scene, Role.VILLAGE_CADRE)) == 0
    assert new_items(client, scene, Role.VILLAGE_CADRE) == []
    add_case_alert(scene, "0103")
    assert badge(page(client, scene, Role.VILLAGE_CADRE)) == 1
    assert len(new_items(client, scene, Role.VILLAGE_CADRE)) == 1


def test_opening_the_home_page_marks_the_new_items_and_clears_the_badge(client, scene):
    page(client, scene, Role.VILLAGE_CADRE, "/")
    add_case_alert(scene, "0104")
    [link] = new_items(client, scene, Role.VILLAGE_CADRE)
    home = page(client, scene, Role.VILLAGE_CADRE, "/")
    marked = re.findall(
        r'<span class="new">[^<]*</span>\s*(?:\{#.*?#\}\s*)?<a href="([^"]+)"', home
    )
    assert marked == [link]
    assert badge(home) == 0
    assert badge(page(client, scene, Role.VILLAGE_CADRE)) == 0
    assert new_items(client, scene, Role.VILLAGE_CADRE) == []


def test_a_user_without_work_sees_no_counts_and_no_badge(client, scene):
    html = page(client, scene, Role.BANK_VIEWER)
    assert menu_counts(html) == {} and badge(html) == 0


def provider_reads(client, scene, role: Role, path: str) -> int:
    """Statements a request sends to the tables the monitoring 待办 reads."""
    sent: list[str] = []

    def record(connection, cursor, statement, *_) -> None:
        sent.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        assert client.get(path, headers=headers(scene.world, role)).status_code == 200
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    return sum("monitor_alert" in statement or "monitor_case" in statement for statement in sent)


def test_a_page_asks_the_applications_for_the_users_work_once(client, scene):
    once = provider_reads(client, scene, Role.VILLAGE_CADRE, "/api/me/todo")
    assert once > 0
    for path in ("/", "/dictionaries"):
        assert provider_reads(client, scene, Role.VILLAGE_CADRE, path) == once, path
