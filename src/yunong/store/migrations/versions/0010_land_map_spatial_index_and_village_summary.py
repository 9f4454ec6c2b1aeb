"""the one map: bounding boxes with a spatial index, and the village land summary

Revision ID: 0010
Revises: 0009

Parcels and zones gain their bounding box (min/max longitude and latitude). On PostgreSQL
the geometry gets a GiST index; on SQLite an R-tree table per layer is kept in step with
the bounding boxes by triggers. ``land_village_summary`` holds the analysis figures and
centre of each village that the zoomed-out map and its statistics read.
"""

import numpy as np
import shapely
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BOX = ("min_x", "min_y", "max_x", "max_y")
INDEXED_TABLES = ("land_parcel", "land_zone")
RTREE_COLUMNS = ("min_x", "max_x", "min_y", "max_y")
"""The order an SQLite R-tree takes its dimensions in."""


def index_ddl(table: str, dialect: str) -> list[str]:
    """The spatial index of ``table`` as this revision made it, filled from its boxes."""
    if dialect == "postgresql":
        return [f"create index ix_{table}_geom on {table} using gist (geom)"]
    index = f"{table}_rtree"
    columns = ", ".join(RTREE_COLUMNS)
    values = ", ".join(f"new.{c}" for c in RTREE_COLUMNS)
    return [
        f"create virtual table {index} using rtree(id, {columns})",
        f"insert into {index} select id, {columns} from {table} where min_x is not null",
        f"create trigger {index}_insert after insert on {table} when new.min_x is not null"
        f" begin insert into {index} values (new.id, {values}); end",
        f"create trigger {index}_update after update of min_x, min_y, max_x, max_y"
        f" on {table} begin delete from {index} where id = old.id;"
        f" insert into {index} select new.id, {values} where new.min_x is not null; end",
        f"create trigger {index}_delete after delete on {table}"
        f" begin delete from {index} where id = old.id; end",
    ]


def drop_index_ddl(table: str, dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [f"drop index if exists ix_{table}_geom"]
    index = f"{table}_rtree"
    return [
        *(f"drop trigger if exists {index}_{event}" for event in ("insert", "update", "delete")),
        f"drop table if exists {index}",
    ]


def upgrade() -> None:
    for table in INDEXED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in BOX:
                batch_op.add_column(sa.Column(column, sa.Float(), nullable=True))
        fill_boxes(table)
        for statement in index_ddl(table, op.get_bind().dialect.name):
            op.execute(statement)
    op.create_table(
        "land_village_summary",
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("min_x", sa.Float(), nullable=False),
        sa.Column("min_y", sa.Float(), nullable=False),
        sa.Column("max_x", sa.Float(), nullable=False),
        sa.Column("max_y", sa.Float(), nullable=False),
        sa.Column("parcels", sa.Integer(), nullable=False),
        sa.Column("cultivated", sa.Float(), nullable=False),
        sa.Column("homestead", sa.Float(), nullable=False),
        sa.Column("construction", sa.Float(), nullable=False),
        sa.Column("permanent_farmland", sa.Float(), nullable=False),
        sa.Column("permanent_high_standard", sa.Float(), nullable=False),
        sa.Column("high_standard", sa.Float(), nullable=False),
        sa.Column("abandoned", sa.Float(), nullable=False),
        sa.Column("to_recultivate", sa.Float(), nullable=False),
        sa.Column("recultivated", sa.Float(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["village_code"],
            ["region.code"],
            name=op.f("fk_land_village_summary_village_code_region"),
        ),
        sa.PrimaryKeyConstraint("village_code", name=op.f("pk_land_village_summary")),
    )


def fill_boxes(table: str) -> None:
    """Bounding boxes of the rows already stored."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            f"update {table} set min_x = ST_XMin(geom), min_y = ST_YMin(geom), "
            "max_x = ST_XMax(geom), max_y = ST_YMax(geom)"
        )
        return
    rows = bind.execute(sa.text(f"select id, geom from {table}")).all()
    for start in range(0, len(rows), 50_000):
        batch = rows[start : start + 50_000]
        boxes = shapely.bounds(shapely.from_wkb(np.array([bytes(r[1]) for r in batch])))
        bind.execute(
            sa.text(
                f"update {table} set min_x = :min_x, min_y = :min_y, max_x = :max_x, "
                "max_y = :max_y where id = :id"
            ),
            [
                dict(zip(("id", *BOX), (row[0], *box), strict=True))
                for row, box in zip(batch, boxes.tolist(), strict=True)
            ],
        )


def downgrade() -> None:
    op.drop_table("land_village_summary")
    for table in INDEXED_TABLES:
        for statement in drop_index_ddl(table, op.get_bind().dialect.name):
            op.execute(statement)
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in reversed(BOX):
                batch_op.drop_column(column)
