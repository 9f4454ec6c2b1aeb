"""A new SQLite file is laid out in large pages; the demo's rebuild gives an old file the
same, since only an emptied file can change its page size."""

import sqlite3
from contextlib import closing

from yunong.store.db import PAGE_SIZE, make_engine, rebuilding
from yunong.store.migrate import drop_all, upgrade


def page_size(path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("pragma page_size").fetchone()[0]


def test_a_new_database_file_has_the_large_page_size(tmp_path):
    path = tmp_path / "new.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()

    assert PAGE_SIZE > 4096
    assert page_size(path) == PAGE_SIZE


def test_the_rebuilds_drop_rewrites_an_old_file_in_the_large_page_size(tmp_path):
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path)) as old:
        old.execute("pragma page_size = 4096")
        old.execute("create table kept_from_before (x)")
        old.executemany("insert into kept_from_before values (?)", [(n,) for n in range(5000)])
        old.commit()
    with rebuilding(make_engine(f"sqlite:///{path}")) as engine:
        drop_all(engine)
        upgrade(engine)

    assert page_size(path) == PAGE_SIZE
