"""Fixtures: every database test runs on SQLite and, when YUNONG_TEST_PG_URL is set, on PostgreSQL.

Each xdist worker gets its own SQLite file and its own PostgreSQL database
(created fresh from the URL's server), migrated once with Alembic. Each test
runs inside a transaction that is rolled back afterwards. The PostgreSQL
databases are named for the run as well as the worker, and dropped when done,
so that two runs on one server (two checkouts, or CI beside a developer) never
drop each other's databases.
"""

import os
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from yunong.store.db import make_engine
from yunong.store.migrate import upgrade

PG_URL = os.environ.get("YUNONG_TEST_PG_URL", "")
BACKENDS = ["sqlite", "postgresql"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "db: needs the operational database")


RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8] or str(os.getpid())
"""One test run: xdist gives its workers a shared id; a run without xdist is its process."""


def postgres_name(*parts: str) -> str:
    """A database name of this run and worker on the test server."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return "_".join([make_url(PG_URL).database or "yunong_test", RUN, worker, *parts])


def fresh_postgres_url(base_url: str, name: str) -> str:
    """Drop and create database ``name`` on the server of ``base_url``, with PostGIS."""
    drop_postgres(base_url, name)
    base = make_url(base_url)
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = base.set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    engine.dispose()
    return url


def drop_postgres(base_url: str, name: str) -> None:
    admin = create_engine(make_url(base_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def dropped_when_done(url: str | URL) -> None:
    """Drop a test database of this run (SQLite files go with the temporary directory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and parsed.database:
        drop_postgres(PG_URL, parsed.database)


@pytest.fixture(scope="session", params=BACKENDS)
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """URL of a migrated, empty database for this worker and backend."""
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("YUNONG_TEST_PG_URL 未设置：跳过 PostgreSQL")
        url = fresh_postgres_url(PG_URL, postgres_name())
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'yunong.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    dropped_when_done(url)


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, commits included."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield session
    session.close()
    outer.rollback()
    connection.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    passed = terminalreporter.stats.get("passed", [])
    per_backend = Counter(
        backend
        for report in passed
        for backend in BACKENDS
        if f"[{backend}" in report.nodeid
        or f"-{backend}]" in report.nodeid
        or f"-{backend}-" in report.nodeid
    )
    if per_backend:
        terminalreporter.section("数据库测试 / database tests")
        for backend in BACKENDS:
            terminalreporter.write_line(f"{backend}: {per_backend.get(backend, 0)} passed")


def migrated_copy(db_url: str, directory, name: str) -> str:
    """A fresh, migrated database of the same backend as ``db_url``."""
    if make_url(db_url).get_backend_name() == "postgresql":
        url = fresh_postgres_url(PG_URL, postgres_name(name))
    else:
        url = f"sqlite:///{directory / (name + '.db')}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def private_db_url(db_url: str, tmp_path) -> Iterator[str]:
    """A migrated database of the same backend for tests that must commit."""
    url = migrated_copy(db_url, tmp_path, "private")
    yield url
    dropped_when_done(url)


@pytest.fixture(scope="module")
def module_db_url(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database shared by one test module, for worlds that are costly to build."""
    url = migrated_copy(db_url, tmp_path_factory.mktemp("module"), "module")
    yield url
    dropped_when_done(url)


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch, private_db_url: str) -> str:
    """Point the settings (as the CLI and app read them) at a private, migrated database."""
    from yunong.settings import get_settings

    monkeypatch.setenv("YUNONG_DB_URL", private_db_url)
    get_settings.cache_clear()
    yield private_db_url
    get_settings.cache_clear()
