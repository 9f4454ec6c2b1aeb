"""The monitoring app as a test client, for the modules that build a ``world`` of their own."""

import pytest
from fastapi.testclient import TestClient

from yunong.settings import Settings
from yunong.web.app import create_app


@pytest.fixture(scope="module")
def client(module_db_url, world, tmp_path_factory):
    app = create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        yield client
