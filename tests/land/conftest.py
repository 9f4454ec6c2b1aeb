"""The one-map world that the map and OGC API tests of a module share."""

import pytest
from fastapi.testclient import TestClient

from tests.land.map_world import build
from yunong.settings import Settings
from yunong.web.app import create_app


@pytest.fixture(scope="module")
def scene(module_db_url, tmp_path_factory):
    return build(module_db_url, tmp_path_factory.mktemp("layers"))


@pytest.fixture(scope="module")
def client(module_db_url, scene, tmp_path_factory):
    app = create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        yield client
