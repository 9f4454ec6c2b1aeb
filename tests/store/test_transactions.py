"""On SQLite, work that writes takes the write lock when it begins; work that only reads
does not, so readers run side by side with each other and with one writer."""

import sqlite3

from sqlalchemy import text

from yunong.store.db import make_engine, make_sessionmaker, reading, transaction


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
