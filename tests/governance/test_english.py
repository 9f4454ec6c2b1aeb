"""The public pages of 基层治理 in English on the demo: the report form (with the demo
district's villages), its follow-up and the demo village's points board leave only data in
Chinese."""

import pytest
from fastapi.testclient import TestClient

from tests.conftest import copy_database
from tests.web.crawl import crawl
from tests.web.test_english_walk import untranslated
from yunong.demo.users import DEMO_DISTRICT, demo_regions
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app


@pytest.fixture(scope="module")
def app(tmp_path_factory, sqlite_tiny_demo):
    var = tmp_path_factory.mktemp("english")
    url = copy_database(sqlite_tiny_demo[0], "yunong", var)
    return create_app(Settings(db_url=url, var_dir=var))


def test_the_public_report_and_points_pages_are_english_but_for_their_data(app):
    engine = make_engine(app.state.settings.db_url)
    with transaction(make_sessionmaker(engine)) as session:
        village = demo_regions(session)["village"]
    engine.dispose()
    with TestClient(app) as client:
        client.get("/lang/en")
        refused = client.post("/governance/public/report", data={"text": "路灯坏了"})
        assert refused.status_code == 422 and "Choose the village" in refused.text
        starts = (
            f"/governance/public/report?district={DEMO_DISTRICT}",
            "/governance/public/report/follow?reference=FY20240101ABCDEF",
            f"/governance/public/points/{village}",
        )
        sites = [crawl(client, start, limit=20) for start in starts]
    left = [
        text
        for site in sites
        for text in untranslated(site)
        if text.startswith("/governance/public/")
    ]
    assert not left, "\n".join(left)
