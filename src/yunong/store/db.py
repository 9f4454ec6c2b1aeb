"""Engine and session for the operational store (SQLite by default, PostgreSQL in production)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from yunong.core.errors import YunongError


class DatabaseMissing(YunongError):
    status_code = 503


PAGE_SIZE = 16384
"""Bytes per page of a new SQLite file. Four times SQLite's default: the tables hold
millions of rows, and with fewer pages to split and write the Chongqing demo builds in
about an eighth less time; an R-tree node stays at 51 entries whatever the page size."""


BUSY_TIMEOUT = 30
"""Seconds an SQLite connection waits for another's write to finish before giving up."""


def make_engine(url: str, *, pool_size: int = 5, pool_timeout: float = 30.0) -> Engine:
    """An engine for ``url``; SQLite files get WAL mode, foreign keys and a busy timeout.

    ``pool_size`` connections stay open and at least as many again may be opened beside
    them (a request's own transaction and one more, such as its refusals' audit records);
    ``pool_timeout`` is how long a caller waits for one when all are in use.
    """
    parsed = make_url(url)
    overflow = max(pool_size, 10)
    pool: dict[str, Any] = {
        "pool_size": pool_size,
        "max_overflow": overflow,
        "pool_timeout": pool_timeout,
    }
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            return sqlite_engine(url, journal="WAL", synchronous="NORMAL", **pool)
        return sqlite_engine(url, journal="WAL", synchronous="NORMAL")
    if parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, pool_pre_ping=True, **pool)


def sqlite_engine(
    url: str, *, journal: str, synchronous: str, foreign_keys: bool = True, **pool: Any
) -> Engine:
    """An SQLite engine with a busy timeout, the journal and sync modes and, unless told
    otherwise, foreign keys enforced."""
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT}, **pool)

    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Only a new, empty file takes the page size, so it comes before anything written.
        dbapi_connection.execute(f"PRAGMA page_size={PAGE_SIZE}")
        dbapi_connection.execute(f"PRAGMA journal_mode={journal}")
        dbapi_connection.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        dbapi_connection.execute(f"PRAGMA synchronous={synchronous}")
        dbapi_connection.isolation_level = None

    # pysqlite opens transactions itself, late and without savepoint support, so
    # SQLAlchemy emits BEGIN instead. IMMEDIATE takes the write lock up front: a
    # deferred transaction that reads and then writes fails at once with "database
    # is locked" when another process wrote in between, instead of waiting its turn.
    # Work that only reads (see :func:`reading`) begins deferred, so readers never
    # queue behind one another or behind a writer.
    event.listen(engine, "begin", _begin_sqlite)
    return engine


@contextmanager
def rebuilding(engine: Engine) -> Iterator[Engine]:
    """An engine on the same database for work that builds it up from nothing, such as the
    demo. On SQLite it writes without waiting for the disk (``synchronous=OFF``), with a
    rollback journal rather than WAL, and without checking foreign keys row by row.

    Waiting is what makes a commit survive a power cut, which a database that is rebuilt
    anyway does not need; at Chongqing scale the waits, flushing gigabytes just written,
    took about 50 s on the project machine. WAL would write every new page twice, once
    into the log and once into the file; a rollback journal keeps only the pages that held
    data before. The next ordinary engine turns WAL back on.

    Checking each row's references costs a lookup per reference: about 9 s for the
    registry entries of the Chongqing demo's 13.6 million households and persons alone.
    What is built this way is checked once, as a whole, by the tests.
    """
    if engine.dialect.name != "sqlite":
        yield engine
        return
    # Pooled connections of the caller would keep the file in WAL mode.
    engine.dispose()
    url = engine.url.render_as_string(hide_password=False)
    unsynced = sqlite_engine(url, journal="DELETE", synchronous="OFF", foreign_keys=False)
    try:
        yield unsynced
    finally:
        unsynced.dispose()


READS_ONLY = "yunong_reads_only"


def reading(engine: Engine) -> Engine:
    """The same engine for work that only reads: on SQLite its transactions do not take the
    write lock."""
    return engine.execution_options(**{READS_ONLY: True})


def _begin_sqlite(connection: Connection) -> None:
    reads_only = connection.get_execution_options().get(READS_ONLY, False)
    connection.exec_driver_sql("BEGIN" if reads_only else "BEGIN IMMEDIATE")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error.

    Services never commit; the caller that owns the work (a request, a CLI
    command, a job) opens one of these.
    """
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def foreign_keys_off(connection: Connection) -> Iterator[None]:
    """Let SQLite drop or rebuild tables that others reference.

    With foreign keys enforced, SQLite empties a table row by row before dropping it and
    refuses to drop one that others reference. The pragma only takes effect outside a
    transaction, so it goes straight to the driver; PostgreSQL needs none of this.
    Afterwards they are enforced again only if they were before.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    (enforced,) = driver.execute("PRAGMA foreign_keys").fetchone()
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA foreign_keys={enforced}")


def engine_of(session: Session) -> Engine:
    """The engine behind ``session``, for work that runs after its transaction."""
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine
