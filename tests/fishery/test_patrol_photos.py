"""A patrol recorded on a phone may carry a photo of its finding: shown on the patrol's page
to its region, every view recorded, and not found anywhere else."""

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from tests.factories import make_world
from tests.fishery.factories import SYSTEM
from tests.monitor.factories import headers
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.roles import Role
from yunong.fishery import teams
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db
TRACK = "[[108.40, 30.80], [108.41, 30.80], [108.42, 30.81]]"


@pytest.fixture(scope="module")
def world(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        team = teams.create(
            session, scope=SYSTEM, name="龙沙镇护渔队", region_code=built.place.town
        )
        built.team_id = team.id  # type: ignore[attr-defined]
    engine.dispose()
    return built


@pytest.fixture(scope="module")
def client(module_db_url, world, tmp_path_factory):
    app = create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def patrol_id(client, world) -> int:
    picture = io.BytesIO()
    Image.new("RGB", (640, 480), "olive").save(picture, "JPEG")
    sent = client.post(
        "/fishery/patrols",
        data={"team": str(world.team_id), "track": TRACK, "place": "龙沙镇码头"},
        files={"photo": ("finding.jpg", picture.getvalue(), "image/jpeg")},
        headers=headers(world, Role.TOWN_OFFICER),
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    return int(sent.headers["location"].rsplit("/", 1)[1])


def test_the_patrol_page_shows_the_photo_of_the_finding(client, world, patrol_id):
    page = client.get(f"/fishery/patrols/{patrol_id}", headers=headers(world, Role.TOWN_OFFICER))
    assert f'src="/fishery/patrols/{patrol_id}/photo"' in page.text
    photo = client.get(
        f"/fishery/patrols/{patrol_id}/photo", headers=headers(world, Role.DISTRICT_OFFICER)
    )
    assert photo.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(photo.content)).size == (640, 480)


def test_every_view_of_a_patrol_photo_is_recorded(client, world, patrol_id, module_db_url):
    client.get(f"/fishery/patrols/{patrol_id}/photo", headers=headers(world, Role.TOWN_OFFICER))
    engine = make_engine(module_db_url)
    with make_sessionmaker(engine)() as session:
        viewers = session.scalars(
            select(AuditRecord.actor).where(
                AuditRecord.action == "fishery.patrol_photo_view",
                AuditRecord.target_id == str(patrol_id),
            )
        ).all()
    engine.dispose()
    assert world.accounts[Role.TOWN_OFFICER].name in viewers


def test_a_patrol_photo_is_not_found_outside_the_teams_region(client, world, patrol_id):
    other_village = client.get(
        f"/fishery/patrols/{patrol_id}/photo", headers=headers(world, Role.VILLAGE_CADRE)
    )
    assert other_village.status_code == 404
