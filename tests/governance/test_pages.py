"""On the pages: a 大事 waits as 待办 of the town's officer, who closes it on the matter's page;
a village cadre may not close it, and the village's 小事 is the cadre's to close."""

import pytest
from fastapi.testclient import TestClient

from tests.factories import make_world
from tests.governance.factories import RULES, SYSTEM, small_matter
from tests.monitor.factories import headers
from yunong.core.auth.roles import Role
from yunong.governance import matters
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def world(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        big = matters.report(
            session, scope=SYSTEM, rules=RULES,
            matter_in=matters.MatterIn(
                built.place.village, "大事", "村道塌方需要抢修", "王德才", sector="民生服务"
            ),
        )  # fmt: skip
        small = small_matter(session, built.place.village, "院坝路灯不亮")
        built.numbers = (big.number, small.number)  # type: ignore[attr-defined]
    engine.dispose()
    return built


@pytest.fixture(scope="module")
def client(module_db_url, world, tmp_path_factory):
    app = create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        yield client


def test_each_matter_is_closed_on_its_page_by_the_place_it_went_to(client, world):
    big, small = world.numbers
    town, cadre = headers(world, Role.TOWN_OFFICER), headers(world, Role.VILLAGE_CADRE)
    todo = client.get("/api/me/todo", headers=town).json()
    assert any(
        item["link"] == f"/governance/matters/{big}" for kind in todo for item in kind["items"]
    )
    refused = client.post(
        f"/governance/matters/{big}/close", data={"feedback": "修好"}, headers=cadre
    )
    assert refused.status_code == 403
    closed = client.post(
        f"/governance/matters/{big}/close", data={"feedback": "已抢修通车"}, headers=town,
        follow_redirects=False,
    )  # fmt: skip
    assert closed.status_code == 303
    page = client.get(f"/governance/matters/{big}", headers=town).text
    assert "已抢修通车" in page and f"/governance/matters/{big}/close" not in page
    client.post(f"/governance/matters/{small}/close", data={"feedback": "已换灯泡"}, headers=cadre)
    assert "已换灯泡" in client.get(f"/governance/matters/{small}", headers=cadre).text
