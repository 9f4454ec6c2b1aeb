"""Packed SQLite R-trees: the same index SQLite would build, written at once."""

import sqlite3

import numpy as np
import pytest

from yunong.land.rtree import boxes_of, pack

BOX_COLUMNS = "min_x, max_x, min_y, max_y"
BOXES = f"select id, {BOX_COLUMNS} from parcel"


def parcels(count: int, seed: int = 7) -> sqlite3.Connection:
    """An in-memory database of ``count`` parcel boxes around Chongqing, ids not in order."""
    random = np.random.default_rng(seed)
    x, y = random.uniform(105.3, 110.2, count), random.uniform(28.2, 32.2, count)
    width, height = random.uniform(0.0002, 0.001, (2, count))
    ids = random.permutation(np.arange(1, 3 * count + 1))[:count]
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.execute("create table parcel (id integer primary key, min_x, max_x, min_y, max_y)")
    connection.executemany(
        "insert into parcel values (?, ?, ?, ?, ?)",
        np.column_stack([ids, x, x + width, y, y + height]).tolist(),
    )
    for name in ("packed", "inserted"):
        connection.execute(
            f"create virtual table {name} using rtree(id, min_x, max_x, min_y, max_y)"
        )
    return connection


def packed(count: int) -> sqlite3.Connection:
    connection = parcels(count)
    connection.execute("begin")
    pack(connection, "packed", *boxes_of(connection, BOXES))
    connection.execute("commit")
    return connection


def found(connection: sqlite3.Connection, source: str, box: tuple[float, ...]) -> set[int]:
    west, south, east, north = box
    rows = connection.execute(
        f"select id from {source} where max_x >= ? and min_x <= ? and max_y >= ? and min_y <= ?",
        (west, east, south, north),
    )
    return {row[0] for row in rows}


# Empty, one root leaf, a full root, one level more, two levels more.
@pytest.mark.parametrize("count", [0, 1, 51, 52, 2_602, 20_000])
def test_sqlite_finds_a_packed_r_tree_sound(count):
    assert packed(count).execute("select rtreecheck('packed')").fetchone() == ("ok",)


def test_a_packed_r_tree_stores_each_box_as_sqlite_itself_would():
    connection = packed(5_000)
    connection.execute(f"insert into inserted {BOXES}")

    differing = connection.execute(
        "select count(*) from packed p join inserted i using (id) where p.min_x <> i.min_x"
        " or p.max_x <> i.max_x or p.min_y <> i.min_y or p.max_y <> i.max_y"
    ).fetchone()
    assert connection.execute("select count(*) from packed").fetchone() == (5_000,)
    assert differing == (0,)


def test_a_packed_r_tree_finds_exactly_the_boxes_that_meet_a_view():
    connection = packed(20_000)
    random = np.random.default_rng(11)
    for _ in range(40):
        west, south = random.uniform(105.3, 110.2), random.uniform(28.2, 32.2)
        size = random.uniform(0.001, 0.3)
        view = (west, south, west + size, south + size)
        assert found(connection, "packed", view) == found(connection, "parcel", view)


def test_a_packed_r_tree_takes_later_inserts_and_deletes():
    connection = packed(3_000)
    first_id = connection.execute("select min(id) from parcel").fetchone()[0]

    connection.execute("insert into packed values (999999, 106.5, 106.6, 29.5, 29.6)")
    connection.execute("delete from packed where id = ?", (first_id,))

    assert connection.execute("select rtreecheck('packed')").fetchone() == ("ok",)
    assert 999999 in found(connection, "packed", (106.55, 29.55, 106.56, 29.56))
    assert first_id not in found(connection, "packed", (100, 20, 115, 35))
