"""On SQLite, work that writes takes the write lock when it begins; work that only reads
does not, so readers run side by side with each other and with one writer."""

import sqlite3

from sqlalchemy import text

from yunong.store.db import make_engine, make_sessionmaker, reading, rebuilding, transaction


def write_lock_is_free(path) -> bool:
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_a_reading_transaction_leaves_the_write_lock_free(tmp_path):
    path = tmp_path / "reads.db"
    engine = make_engine(f"sqlite:///{path}")

    with transaction(make_sessionmaker(reading(engine))) as session:
        session.execute(text("select 1"))
        free = write_lock_is_free(path)
    engine.dispose()

    assert free


def test_a_writing_transaction_holds_the_write_lock_from_its_start(tmp_path):
    path = tmp_path / "writes.db"
    engine = make_engine(f"sqlite:///{path}")

    with transaction(make_sessionmaker(engine)) as session:
        session.execute(text("select 1"))
        free = write_lock_is_free(path)
    engine.dispose()

    assert not free


def pragmas(engine) -> tuple[str, int]:
    with engine.connect() as connection:
        journal = connection.exec_driver_sql("pragma journal_mode").scalar_one()
        synchronous = connection.exec_driver_sql("pragma synchronous").scalar_one()
    return journal, synchronous


def test_a_rebuilding_engine_does_not_wait_for_the_disk_and_keeps_no_write_ahead_log(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    pragmas(engine)

    with rebuilding(engine) as unsynced:
        journal, synchronous = pragmas(unsynced)

    assert (journal, synchronous) == ("delete", 0)


def test_an_ordinary_engine_after_a_rebuild_is_back_in_wal_mode(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    with rebuilding(make_engine(url)) as unsynced:
        pragmas(unsynced)

    engine = make_engine(url)
    assert pragmas(engine) == ("wal", 1)
    engine.dispose()
