"""land units, protection zones and the 以补定占 ledger

Revision ID: 0006
Revises: 0005
"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


class PostgisGeometry(UserDefinedType[Any]):
    cache_ok = True

    def get_col_spec(self, **_kw: Any) -> str:
        return "geometry(Geometry, 4490)"


class Geometry(TypeDecorator[Any]):
    """The stored geometry as it was when this revision was written: a PostGIS column in
    EPSG:4490 on PostgreSQL, WKB in a BLOB elsewhere."""

    impl = sa.LargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(PostgisGeometry())
        return dialect.type_descriptor(sa.LargeBinary())


def upgrade() -> None:
    op.create_table(
        "land_parcel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("source_key", sa.String(length=64), nullable=False),
        sa.Column("contract_plot_code", sa.String(length=19), nullable=True),
        sa.Column("real_estate_unit_code", sa.String(length=28), nullable=True),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("land_class_code", sa.String(length=8), nullable=False),
        sa.Column("land_class", sa.String(length=20), nullable=False),
        sa.Column("area_m2", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("reported_area_m2", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("slope_grade", sa.SmallInteger(), nullable=True),
        sa.Column("terrace", sa.String(length=2), nullable=True),
        sa.Column("permanent_farmland", sa.Boolean(), nullable=False),
        sa.Column("high_standard", sa.Boolean(), nullable=False),
        sa.Column("high_standard_project", sa.String(length=60), nullable=True),
        sa.Column("current_use", sa.String(length=16), nullable=True),
        sa.Column("use_year", sa.SmallInteger(), nullable=True),
        sa.Column("abandoned_year", sa.SmallInteger(), nullable=True),
        sa.Column("recultivated_year", sa.SmallInteger(), nullable=True),
        sa.Column("holder_code", sa.String(length=20), nullable=True),
        sa.Column("contractor_code", sa.String(length=18), nullable=True),
        sa.Column("owner_code", sa.String(length=19), nullable=True),
        sa.Column("geom", Geometry(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["village_code"], ["region.code"], name=op.f("fk_land_parcel_village_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_land_parcel")),
        sa.UniqueConstraint("code", name=op.f("uq_land_parcel_code")),
        sa.UniqueConstraint("source_key", name=op.f("uq_land_parcel_source_key")),
    )
    with op.batch_alter_table("land_parcel", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_land_parcel_village_code"), ["village_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_land_parcel_contract_plot_code"), ["contract_plot_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_land_parcel_holder_code"), ["holder_code"], unique=False
        )

    op.create_table(
        "land_zone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("source_key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("area_m2", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("geom", Geometry(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_land_zone_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_land_zone")),
        sa.UniqueConstraint("code", name=op.f("uq_land_zone_code")),
        sa.UniqueConstraint("source_key", name=op.f("uq_land_zone_source_key")),
    )
    with op.batch_alter_table("land_zone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_land_zone_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_land_zone_region_code"), ["region_code"], unique=False)

    op.create_table(
        "land_ledger_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=True),
        sa.Column("document_number", sa.String(length=60), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("area_m2", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("purpose", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_land_ledger_entry_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_land_ledger_entry")),
        sa.UniqueConstraint(
            "region_code", "kind", "document_number", name=op.f("uq_land_ledger_entry_region_code")
        ),
    )
    with op.batch_alter_table("land_ledger_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_land_ledger_entry_region_code"), ["region_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_land_ledger_entry_year"), ["year"], unique=False)

    op.create_table(
        "land_ledger_parcel",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("parcel_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["land_ledger_entry.id"],
            name=op.f("fk_land_ledger_parcel_entry_id_land_ledger_entry"),
        ),
        sa.ForeignKeyConstraint(
            ["parcel_id"],
            ["land_parcel.id"],
            name=op.f("fk_land_ledger_parcel_parcel_id_land_parcel"),
        ),
        sa.PrimaryKeyConstraint("entry_id", "parcel_id", name=op.f("pk_land_ledger_parcel")),
        sa.UniqueConstraint("kind", "parcel_id", name=op.f("uq_land_ledger_parcel_kind")),
    )


def downgrade() -> None:
    op.drop_table("land_ledger_parcel")
    with op.batch_alter_table("land_ledger_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_land_ledger_entry_year"))
        batch_op.drop_index(batch_op.f("ix_land_ledger_entry_region_code"))
    op.drop_table("land_ledger_entry")
    with op.batch_alter_table("land_zone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_land_zone_region_code"))
        batch_op.drop_index(batch_op.f("ix_land_zone_kind"))
    op.drop_table("land_zone")
    with op.batch_alter_table("land_parcel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_land_parcel_holder_code"))
        batch_op.drop_index(batch_op.f("ix_land_parcel_contract_plot_code"))
        batch_op.drop_index(batch_op.f("ix_land_parcel_village_code"))
    op.drop_table("land_parcel")
