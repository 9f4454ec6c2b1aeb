"""A web app over a shared world of regions, one account per role and rows in and out of scope."""

import pytest
from fastapi.testclient import TestClient

from tests.factories import make_world
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app


@pytest.fixture(scope="module")
def world(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
    engine.dispose()
    return built


@pytest.fixture(scope="module")
def app(module_db_url, world, tmp_path_factory):
    return create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))


@pytest.fixture
def anonymous(app):
    with TestClient(app) as client:
        yield client
