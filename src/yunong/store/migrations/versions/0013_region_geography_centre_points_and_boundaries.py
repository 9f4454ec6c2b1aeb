"""region geography: centre points and boundaries

Revision ID: 0013
Revises: 0012

``region_geography`` holds each region's centre point and, once a boundary layer has been
imported, its boundary: PostGIS ``geometry(Geometry, 4490)`` on PostgreSQL, WKB in a BLOB
on SQLite.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.types import UserDefinedType

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


class PostgisGeometry(UserDefinedType[Any]):
    cache_ok = True

    def get_col_spec(self, **_kw: Any) -> str:
        return "geometry(Geometry, 4490)"


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "region_geography",
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("boundary", PostgisGeometry() if postgres else sa.LargeBinary(), nullable=True),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_region_geography_region_code_region")
        ),
        sa.PrimaryKeyConstraint("region_code", name=op.f("pk_region_geography")),
    )


def downgrade() -> None:
    op.drop_table("region_geography")
