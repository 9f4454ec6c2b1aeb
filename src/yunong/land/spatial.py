"""The spatial index of the land layers: which rows may meet a bounding box.

Every parcel and zone stores its bounding box (``min_x`` … ``max_y``, degrees in
EPSG:4490). PostgreSQL answers a box with the GiST index on the geometry; SQLite
with an R-tree table per layer that triggers keep equal to the stored boxes, so
every writer — the importers, the demo's DuckDB load, a hand-written update — is
indexed without knowing it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import shapely
from sqlalchemy import Connection, Engine, Select, and_, column, func, select, table
from sqlalchemy.sql.expression import TableClause

from yunong.core.errors import InvalidValue
from yunong.land.rtree import boxes_of, pack

INDEXED_TABLES = ("land_parcel", "land_zone")


@dataclass(frozen=True)
class Box:
    """West, south, east, north in degrees (EPSG:4490 longitude and latitude)."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, text: str) -> "Box":
        """``west,south,east,north`` as OGC APIs and web maps send it."""
        try:
            west, south, east, north = (float(part) for part in text.split(","))
        except ValueError:
            raise InvalidValue(
                f"范围“{text}”无效：应为 西经度,南纬度,东经度,北纬度 四个数"
            ) from None
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise InvalidValue(f"范围“{text}”无效：西应不大于东、南应不大于北，且在经纬度范围内")
        return cls(west, south, east, north)

    @property
    def shape(self) -> shapely.Geometry:
        return shapely.box(self.west, self.south, self.east, self.north)


def bounds_of(geometry: shapely.Geometry) -> dict[str, float]:
    """The bounding-box columns of one geometry."""
    west, south, east, north = shapely.bounds(geometry).tolist()
    return {"min_x": west, "min_y": south, "max_x": east, "max_y": north}


def bounds_of_many(geometries: np.ndarray) -> list[dict[str, float]]:
    return [
        {"min_x": w, "min_y": s, "max_x": e, "max_y": n}
        for w, s, e, n in shapely.bounds(geometries).tolist()
    ]


def rtree(table_name: str) -> TableClause:
    return table(f"{table_name}_rtree", column("id"), *(column(c) for c in BOX_COLUMNS))


BOX_COLUMNS = ("min_x", "max_x", "min_y", "max_y")
"""The order an SQLite R-tree takes its dimensions in."""


def index_ddl(table_name: str, dialect: str, *, triggers: bool = True) -> list[str]:
    """Statements that create the spatial index of ``table_name`` and fill it."""
    if dialect == "postgresql":
        return [f"create index ix_{table_name}_geom on {table_name} using gist (geom)"]
    return [
        rtree_ddl(table_name),
        f"insert into {table_name}_rtree select id, {', '.join(BOX_COLUMNS)} from {table_name}"
        " where min_x is not null",
        *(trigger_ddl(table_name) if triggers else []),
    ]


def create_index(connection: Connection, table_name: str, *, triggers: bool = True) -> None:
    """Create the spatial index of ``table_name`` over the rows it holds. On SQLite the
    R-tree is packed from the stored boxes at once rather than filled row by row."""
    if connection.dialect.name == "postgresql":
        for statement in index_ddl(table_name, "postgresql"):
            connection.exec_driver_sql(statement)
        return
    connection.exec_driver_sql(rtree_ddl(table_name))
    driver = connection.connection.driver_connection
    assert driver is not None
    boxes = f"select id, {', '.join(BOX_COLUMNS)} from {table_name} where min_x is not null"
    pack(driver, f"{table_name}_rtree", *boxes_of(driver, boxes))
    for statement in trigger_ddl(table_name) if triggers else []:
        connection.exec_driver_sql(statement)


def rtree_ddl(table_name: str) -> str:
    return f"create virtual table {table_name}_rtree using rtree(id, {', '.join(BOX_COLUMNS)})"


def trigger_ddl(table_name: str) -> list[str]:
    """The SQLite triggers that keep the R-tree of ``table_name`` equal to its boxes."""
    index = f"{table_name}_rtree"
    values = ", ".join(f"new.{c}" for c in BOX_COLUMNS)
    return [
        f"create trigger {index}_insert after insert on {table_name} when new.min_x is not null"
        f" begin insert into {index} values (new.id, {values}); end",
        f"create trigger {index}_update after update of min_x, min_y, max_x, max_y"
        f" on {table_name} begin delete from {index} where id = old.id;"
        f" insert into {index} select new.id, {values} where new.min_x is not null; end",
        f"create trigger {index}_delete after delete on {table_name}"
        f" begin delete from {index} where id = old.id; end",
    ]


RTREE_SHADOW_TABLES = ("node", "rowid", "parent")


def adopt_index_ddl(table_name: str, schema: str) -> list[str]:
    """Statements that give ``table_name`` the R-tree built for the same rows in the
    attached database ``schema`` (with the same page size), instead of filling its own.

    An SQLite R-tree keeps its nodes in three ordinary shadow tables; copying them copies
    the index. An index packed beforehand on another thread (:mod:`yunong.land.rtree`)
    leaves only the copy, about a second for two million parcels, to the caller.
    """
    index = f"{table_name}_rtree"
    return [
        rtree_ddl(table_name),
        # The new R-tree's empty root node makes way for the built one's.
        f"delete from {index}_node",
        *(
            f"insert into {index}_{shadow} select * from {schema}.{index}_{shadow}"
            for shadow in RTREE_SHADOW_TABLES
        ),
        *trigger_ddl(table_name),
    ]


def drop_index_ddl(table_name: str, dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [f"drop index if exists ix_{table_name}_geom"]
    index = f"{table_name}_rtree"
    return [
        *(f"drop trigger if exists {index}_{event}" for event in ("insert", "update", "delete")),
        f"drop table if exists {index}",
    ]


@contextmanager
def rebuilt_after(engine: Engine) -> Iterator[None]:
    """Drop the spatial index for a bulk load and build it once afterwards: one pass over
    the loaded boxes instead of an index update (or trigger) per row."""
    dialect = engine.dialect.name
    with engine.begin() as connection:
        for name in INDEXED_TABLES:
            for statement in drop_index_ddl(name, dialect):
                connection.exec_driver_sql(statement)
    engine.dispose()
    try:
        yield
    finally:
        with engine.begin() as connection:
            for name in INDEXED_TABLES:
                create_index(connection, name)
        engine.dispose()


def is_index_object(name: str) -> bool:
    """True for the tables and indexes the spatial index adds beside the models."""
    return any(name.startswith(f"{t}_rtree") or name == f"ix_{t}_geom" for t in INDEXED_TABLES)


def ids_meeting(table_name: str, box: Box, dialect: str) -> Select[tuple[int]]:
    """The ids of the rows whose bounding box meets ``box``; a subquery for ``id in (…)``."""
    if dialect == "postgresql":
        envelope = func.ST_MakeEnvelope(box.west, box.south, box.east, box.north, 4490)
        source = table(table_name, column("id"), column("geom"))
        return select(source.c.id).where(source.c.geom.op("&&")(envelope))
    index = rtree(table_name)
    return select(index.c.id).where(
        and_(
            index.c.min_x <= box.east,
            index.c.max_x >= box.west,
            index.c.min_y <= box.north,
            index.c.max_y >= box.south,
        )
    )
