"""A visit's photo over HTTP: sent after the visit through the upload guard, refused when
too large before it is read, and shown on the household's page with the visit's position
to those who may see the household, never to the next village."""

import io
from dataclasses import dataclass
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import func, select

from tests.factories import World, add_user, make_world
from tests.monitor.factories import add_household, family, headers
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.monitor.models import VisitPhoto
from yunong.store.db import make_engine, make_sessionmaker, transaction

DAY = date(2024, 6, 20).isoformat()


@dataclass
class Scene:
    world: World
    household: str
    neighbour_cadre: str
    """Token of a village cadre of the next village in the same town."""


@pytest.fixture(scope="module")
def scene(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_world(session)
        made = add_household(session, village=world.place.village, number="1301", members=family())
        cadre = add_user(
            session, "cadre_fuxing_02", Role.VILLAGE_CADRE, world.place.neighbour_village
        )
        token = users.create_token(session, scope=Scope.system("test"), user_id=cadre.id)
        scene = Scene(world, made.household.code, token)
    engine.dispose()
    return scene


@pytest.fixture(scope="module")
def world(scene):
    """The world the monitoring tests' client fixture serves."""
    return scene.world


def jpeg(size=(2400, 1800)) -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", size, (90, 140, 60)).save(picture, "JPEG", quality=90)
    return picture.getvalue()


def send_visit(client, scene: Scene, key: str, **changes) -> dict:
    body = {"client_key": key, "household_code": scene.household, "visited_on": DAY} | changes
    response = client.post(
        "/api/monitor/visits", json=body, headers=headers(scene.world, Role.GRID_WORKER)
    )
    assert response.status_code in (200, 201), response.text
    return response.json()


def send_photo(client, scene: Scene, key: str, content: bytes, role=Role.GRID_WORKER, **extra):
    return client.post(
        f"/api/monitor/visits/{key}/photo",
        files={"file": ("photo.jpg", content, "image/jpeg")},
        headers=headers(scene.world, role) | extra,
    )


def photos(module_db_url: str) -> int:
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        found = session.scalar(select(func.count()).select_from(VisitPhoto))
    engine.dispose()
    return int(found or 0)


def test_a_visit_with_a_position_and_a_photo_shows_both_on_the_household_page(client, scene):
    sent = send_visit(
        client, scene, "api-photo-0001", latitude=30.80123, longitude=108.40456,
        position_accuracy_m=12,
    )  # fmt: skip
    assert sent["message"] == "已发送：张建国户（石坪村）的走访，已记入农户档案"
    stored = send_photo(client, scene, "api-photo-0001", jpeg())
    assert stored.status_code == 200, stored.text
    assert (stored.json()["width"], stored.json()["height"]) == (1600, 1200)

    page = client.get(
        f"/monitor/households/{scene.household}", headers=headers(scene.world, Role.TOWN_OFFICER)
    )
    assert "走访位置 30.80123,108.40456（±12 米）" in page.text
    assert 'href="/apps/land?at=30.80123,108.40456"' in page.text
    picture = client.get(
        f"/monitor/visits/{sent['id']}/photo", headers=headers(scene.world, Role.TOWN_OFFICER)
    )
    assert picture.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(picture.content)).size == (1600, 1200)


def test_the_next_villages_cadre_gets_no_photo(client, scene):
    sent = send_visit(client, scene, "api-photo-0002")
    assert send_photo(client, scene, "api-photo-0002", jpeg((300, 200))).status_code == 200
    response = client.get(
        f"/monitor/visits/{sent['id']}/photo",
        headers={"Authorization": f"Bearer {scene.neighbour_cadre}"},
    )
    assert response.status_code == 404


def test_a_photo_over_5_mb_is_refused_before_it_is_read(client, scene, module_db_url):
    send_visit(client, scene, "api-photo-0003")
    before = photos(module_db_url)
    response = send_photo(client, scene, "api-photo-0003", b"\xff\xd8" + bytes(6 * 1024 * 1024))
    assert response.status_code == 413
    assert "超过 5 MB 的上限" in response.json()["detail"]
    assert photos(module_db_url) == before


def test_a_file_that_is_not_a_picture_is_refused_in_chinese(client, scene):
    send_visit(client, scene, "api-photo-0004")
    response = send_photo(client, scene, "api-photo-0004", b"%PDF-1.7 not a photo")
    assert response.status_code == 422
    assert "不是可识别的照片" in response.json()["detail"]


def test_only_the_visitor_adds_a_photo_to_the_visit(client, scene):
    send_visit(client, scene, "api-photo-0005")
    response = send_photo(client, scene, "api-photo-0005", jpeg((300, 200)), Role.VILLAGE_CADRE)
    assert response.status_code == 403
    assert "只有登记人能添加照片" in response.json()["detail"]
