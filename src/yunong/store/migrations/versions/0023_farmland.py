"""high-standard farmland projects

Revision ID: 0023
Revises: 0022

高标准农田: projects, their steps and parties, boundaries, maintenance; and on the parcels,
the year of the accepted project that made them high-standard farmland.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType

revision = "0023"
down_revision = "0022"
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


def project_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["project_id"],
        ["farmland_project.id"],
        name=op.f(f"fk_{table}_project_id_farmland_project"),
    )


def upgrade() -> None:
    op.create_table(
        "farmland_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("scale_mu", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=True),
        sa.Column("cultivated_m2", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("boundary_m2", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("geom", Geometry(), nullable=True),
        sa.Column("min_x", sa.Float(), nullable=True),
        sa.Column("min_y", sa.Float(), nullable=True),
        sa.Column("max_x", sa.Float(), nullable=True),
        sa.Column("max_y", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_farmland_project_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_farmland_project")),
        sa.UniqueConstraint("code", name=op.f("uq_farmland_project_code")),
        sa.UniqueConstraint("number", name=op.f("uq_farmland_project_number")),
    )
    op.create_index(
        op.f("ix_farmland_project_region_code"), "farmland_project", ["region_code"], unique=False
    )
    op.create_index(op.f("ix_farmland_project_year"), "farmland_project", ["year"], unique=False)
    op.create_table(
        "farmland_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("document", sa.String(length=100), nullable=False),
        sa.Column("approved_by", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        project_fk("farmland_step"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_farmland_step")),
        sa.UniqueConstraint("project_id", "step", name=op.f("uq_farmland_step_project_id")),
    )
    op.create_index(
        op.f("ix_farmland_step_project_id"), "farmland_step", ["project_id"], unique=False
    )
    op.create_table(
        "farmland_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        project_fk("farmland_party"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_farmland_party")),
        sa.UniqueConstraint(
            "project_id", "role", "credit_code", name=op.f("uq_farmland_party_project_id")
        ),
    )
    op.create_index(
        op.f("ix_farmland_party_project_id"), "farmland_party", ["project_id"], unique=False
    )
    op.create_table(
        "farmland_content",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        project_fk("farmland_content"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_farmland_content")),
        sa.UniqueConstraint("project_id", "category", name=op.f("uq_farmland_content_project_id")),
    )
    op.create_index(
        op.f("ix_farmland_content_project_id"), "farmland_content", ["project_id"], unique=False
    )
    op.create_table(
        "farmland_funding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.Numeric(precision=16, scale=2), nullable=False),
        project_fk("farmland_funding"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_farmland_funding")),
        sa.UniqueConstraint("project_id", "source", name=op.f("uq_farmland_funding_project_id")),
    )
    op.create_index(
        op.f("ix_farmland_funding_project_id"), "farmland_funding", ["project_id"], unique=False
    )
    op.create_table(
        "farmland_project_parcel",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("parcel_id", sa.Integer(), nullable=False),
        sa.Column("overlap_m2", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("parcel_m2", sa.Numeric(precision=14, scale=2), nullable=False),
        project_fk("farmland_project_parcel"),
        sa.ForeignKeyConstraint(
            ["parcel_id"],
            ["land_parcel.id"],
            name=op.f("fk_farmland_project_parcel_parcel_id_land_parcel"),
        ),
        sa.PrimaryKeyConstraint("project_id", "parcel_id", name=op.f("pk_farmland_project_parcel")),
    )
    op.create_index(
        op.f("ix_farmland_project_parcel_parcel_id"),
        "farmland_project_parcel",
        ["parcel_id"],
        unique=False,
    )
    op.create_table(
        "farmland_duty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("party_kind", sa.String(length=16), nullable=False),
        sa.Column("party_name", sa.String(length=100), nullable=False),
        sa.Column("facilities", sa.Text(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        project_fk("farmland_duty"),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_farmland_duty_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_farmland_duty")),
    )
    op.create_index(
        op.f("ix_farmland_duty_project_id"), "farmland_duty", ["project_id"], unique=False
    )
    op.create_index(
        op.f("ix_farmland_duty_region_code"), "farmland_duty", ["region_code"], unique=False
    )
    op.create_table(
        "farmland_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_farmland_photo")),
    )
    op.create_table(
        "farmland_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("duty_id", sa.Integer(), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("finding", sa.Text(), nullable=False),
        sa.Column("photo_id", sa.Integer(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("reported_by", sa.String(length=64), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.Column("closing_photo_id", sa.Integer(), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=False),
        project_fk("farmland_report"),
        sa.ForeignKeyConstraint(
            ["duty_id"], ["farmland_duty.id"], name=op.f("fk_farmland_report_duty_id_farmland_duty")
        ),
        sa.ForeignKeyConstraint(
            ["photo_id"],
            ["farmland_photo.id"],
            name=op.f("fk_farmland_report_photo_id_farmland_photo"),
        ),
        sa.ForeignKeyConstraint(
            ["closing_photo_id"],
            ["farmland_photo.id"],
            name=op.f("fk_farmland_report_closing_photo_id_farmland_photo"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_farmland_report_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_farmland_report")),
    )
    op.create_index(
        op.f("ix_farmland_report_project_id"), "farmland_report", ["project_id"], unique=False
    )
    op.create_index(
        op.f("ix_farmland_report_region_code"), "farmland_report", ["region_code"], unique=False
    )
    op.add_column("land_parcel", sa.Column("high_standard_year", sa.SmallInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("land_parcel", schema=None) as batch_op:
        batch_op.drop_column("high_standard_year")
    for table in (
        "farmland_report",
        "farmland_photo",
        "farmland_duty",
        "farmland_project_parcel",
        "farmland_funding",
        "farmland_content",
        "farmland_party",
        "farmland_step",
        "farmland_project",
    ):
        op.drop_table(table)
