"""Fixtures: every database test runs on SQLite and, when YUNONG_TEST_PG_URL is set, on PostgreSQL.

Each xdist worker gets its own SQLite file and its own PostgreSQL database
(created fresh from the URL's server), migrated once with Alembic. Each test
runs inside a transaction that is rolled back afterwards. The PostgreSQL
databases are named for the run as well as the worker, and dropped when done,
so that two runs on one server (two checkouts, or CI beside a developer) never
drop each other's databases.

Databases a test may commit to are copies of a template made once per worker and
backend: an empty migrated one (``private_db_url``, ``module_db_url``), or one holding
the tiny demo (``tiny_demo_copy_url``). Tests that only read the tiny demo share one
built database (``tiny_demo_url``).
"""

import os
import sqlite3
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from yunong.store.db import make_engine
from yunong.store.migrate import upgrade

if TYPE_CHECKING:
    from yunong.demo.build import DemoResult

PG_URL = os.environ.get("YUNONG_TEST_PG_URL", "")
BACKENDS = ["sqlite", "postgresql"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "db: needs the operational database")
    use_cheap_password_hashes()


def use_cheap_password_hashes() -> None:
    """Argon2id with the least time and memory: the tests create and check thousands of
    passwords, and what they check (who may log in, with which password) does not depend
    on the cost. A hash records its own parameters, so servers the tests start in other
    processes verify these hashes as they are."""
    from argon2 import PasswordHasher

    from yunong.core.auth import passwords

    passwords.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    passwords.DUMMY_HASH = passwords.HASHER.hash("no account has this password")


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


def copy_database(template_url: str, name: str, directory) -> str:
    """A copy of the database at ``template_url``, named ``name`` (a file in ``directory``
    for SQLite). On PostgreSQL the server copies the template's files, which is much faster
    than migrating or building again; nothing may stay connected to the template."""
    parsed = make_url(template_url)
    if parsed.get_backend_name() == "postgresql":
        drop_postgres(PG_URL, name)
        admin = create_engine(
            make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as connection:
            connection.execute(
                text(
                    "select pg_terminate_backend(pid) from pg_stat_activity"
                    " where datname = :name and pid <> pg_backend_pid()"
                ),
                {"name": parsed.database},
            )
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"'))
        admin.dispose()
        return parsed.set(database=name).render_as_string(hide_password=False)
    target = directory / f"{name}.db"
    with sqlite3.connect(parsed.database) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    source.close()
    copy.close()
    return f"sqlite:///{target}"


def new_database(backend: str, directory, *parts: str) -> str:
    """An empty database of ``backend`` for this run and worker."""
    if backend == "postgresql":
        if not PG_URL:
            pytest.skip("YUNONG_TEST_PG_URL 未设置：跳过 PostgreSQL")
        return fresh_postgres_url(PG_URL, postgres_name(*parts))
    return f"sqlite:///{directory / ('_'.join(['yunong', *parts]) + '.db')}"


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not PG_URL:
        pytest.skip("YUNONG_TEST_PG_URL 未设置：跳过 PostgreSQL")
    return str(request.param)


@pytest.fixture(scope="session")
def migrated_template_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database that is only ever copied."""
    url = new_database(backend, tmp_path_factory.mktemp("template"), "template")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    dropped_when_done(url)


@pytest.fixture(scope="session")
def db_url(migrated_template_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a migrated, empty database for this worker and backend."""
    url = copy_database(migrated_template_url, postgres_name(), tmp_path_factory.mktemp("db"))
    yield url
    dropped_when_done(url)


def built_tiny_demo(url: str) -> "DemoResult":
    """Migrate the empty database at ``url`` and build the tiny demo in it."""
    from yunong.demo.build import build

    engine = make_engine(url)
    upgrade(engine)
    result = build(engine, scale_name="tiny")
    engine.dispose()
    return result


@pytest.fixture(scope="session")
def sqlite_tiny_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, "DemoResult"]:
    """The tiny demo in an SQLite file, built once per worker and only ever copied: for
    tests that serve it on SQLite alone, and the SQLite side of ``tiny_demo``."""
    url = f"sqlite:///{tmp_path_factory.mktemp('tiny_sqlite') / 'tiny.db'}"
    return url, built_tiny_demo(url)


@pytest.fixture(scope="session")
def tiny_demo(backend: str, request: pytest.FixtureRequest) -> Iterator[tuple[str, "DemoResult"]]:
    """The tiny demo of this worker and backend, only ever copied, and what its build counted."""
    if backend == "sqlite":
        yield request.getfixturevalue("sqlite_tiny_demo")
        return
    url = new_database(backend, None, "tiny_template")
    yield url, built_tiny_demo(url)
    dropped_when_done(url)


@pytest.fixture(scope="session")
def tiny_demo_result(tiny_demo: tuple[str, "DemoResult"]) -> "DemoResult":
    return tiny_demo[1]


@pytest.fixture(scope="session")
def tiny_demo_url(
    tiny_demo: tuple[str, "DemoResult"], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The tiny demo, shared by every test of this worker and backend that only reads it."""
    url = copy_database(tiny_demo[0], postgres_name("tiny"), tmp_path_factory.mktemp("tiny"))
    yield url
    dropped_when_done(url)


@pytest.fixture
def tiny_demo_copy_url(tiny_demo: tuple[str, "DemoResult"], tmp_path) -> Iterator[str]:
    """A private copy of the tiny demo, for a test that changes it."""
    url = copy_database(tiny_demo[0], postgres_name("tiny_copy"), tmp_path)
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
    backend = make_url(db_url).get_backend_name()
    url = new_database(backend, directory, name)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def private_db_url(migrated_template_url: str, tmp_path) -> Iterator[str]:
    """A migrated database of the same backend for tests that must commit."""
    url = copy_database(migrated_template_url, postgres_name("private"), tmp_path)
    yield url
    dropped_when_done(url)


@pytest.fixture(scope="module")
def module_db_url(
    migrated_template_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database shared by one test module, for worlds that are costly to build."""
    url = copy_database(
        migrated_template_url, postgres_name("module"), tmp_path_factory.mktemp("module")
    )
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
