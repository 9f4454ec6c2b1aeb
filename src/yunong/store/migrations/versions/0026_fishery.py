"""the Yangtze fishing ban and retired fishers

Revision ID: 0026
Revises: 0025

长江治渔: ban zones, patrol teams and tracks with their coverage of the zones, public tips,
illegal-fishing cases and their steps, retired fishers and their follow-up visits.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType

revision = "0026"
down_revision = "0025"
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
        "fishery_team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_fishery_team_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fishery_team")),
        sa.UniqueConstraint("name", name=op.f("uq_fishery_team_name")),
    )
    op.create_index(
        op.f("ix_fishery_team_region_code"), "fishery_team", ["region_code"], unique=False
    )
    op.create_table(
        "fishery_zone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("basis", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("area_m2", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("geom", Geometry(), nullable=False),
        sa.Column("min_x", sa.Float(), nullable=False),
        sa.Column("min_y", sa.Float(), nullable=False),
        sa.Column("max_x", sa.Float(), nullable=False),
        sa.Column("max_y", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_fishery_zone_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fishery_zone")),
        sa.UniqueConstraint("number", name=op.f("uq_fishery_zone_number")),
    )
    op.create_index(
        op.f("ix_fishery_zone_region_code"), "fishery_zone", ["region_code"], unique=False
    )
    op.create_table(
        "fishery_patrol",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("patrolled_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("inside_points", sa.Integer(), nullable=False),
        sa.Column("length_m", sa.Float(), nullable=False),
        sa.Column("geom", Geometry(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["fishery_team.id"], name=op.f("fk_fishery_patrol_team_id_fishery_team")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fishery_patrol")),
        sa.UniqueConstraint("team_id", "digest", name=op.f("uq_fishery_patrol_team_id")),
    )
    op.create_index(
        op.f("ix_fishery_patrol_patrolled_on"), "fishery_patrol", ["patrolled_on"], unique=False
    )
    op.create_index(
        op.f("ix_fishery_patrol_region_code"), "fishery_patrol", ["region_code"], unique=False
    )
    op.create_index(op.f("ix_fishery_patrol_team_id"), "fishery_patrol", ["team_id"], unique=False)
    op.create_table(
        "fishery_team_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["fishery_team.id"],
            name=op.f("fk_fishery_team_member_team_id_fishery_team"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fishery_team_member")),
        sa.UniqueConstraint("team_id", "name", name=op.f("uq_fishery_team_member_team_id")),
    )
    op.create_index(
        op.f("ix_fishery_team_member_team_id"), "fishery_team_member", ["team_id"], unique=False
    )
    op.create_table(
        "fishery_tip",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("photo", sa.LargeBinary(), nullable=True),
        sa.Column("photo_type", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reply", sa.String(length=300), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_fishery_tip_region_code_region")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["fishery_team.id"], name=op.f("fk_fishery_tip_team_id_fishery_team")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fishery_tip")),
        sa.UniqueConstraint("reference", name=op.f("uq_fishery_tip_reference")),
    )
    op.create_index(
        op.f("ix_fishery_tip_region_code"), "fishery_tip", ["region_code"], unique=False
    )
    op.create_table(
        "fishery_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=24), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("tip_id", sa.Integer(), nullable=True),
        sa.Column("patrol_id", sa.Integer(), nullable=True),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("step", sa.String(length=12), nullable=False),
        sa.Column("gear", sa.String(length=300), nullable=False),
        sa.Column("handed_to", sa.String(length=100), nullable=False),
        sa.Column("result", sa.String(length=300), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patrol_id"],
            ["fishery_patrol.id"],
            name=op.f("fk_fishery_case_patrol_id_fishery_patrol"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_fishery_case_region_code_region")
        ),
        sa.ForeignKeyConstraint(
            ["tip_id"], ["fishery_tip.id"], name=op.f("fk_fishery_case_tip_id_fishery_tip")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fishery_case")),
        sa.UniqueConstraint("number", name=op.f("uq_fishery_case_number")),
        sa.UniqueConstraint("tip_id", name=op.f("uq_fishery_case_tip_id")),
    )
    op.create_index(
        op.f("ix_fishery_case_region_code"), "fishery_case", ["region_code"], unique=False
    )
    op.create_table(
        "fishery_fisher",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=False),
        sa.Column("boat_number", sa.String(length=40), nullable=False),
        sa.Column("boat_dismantled_on", sa.Date(), nullable=True),
        sa.Column("compensation", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("insurance", sa.String(length=16), nullable=False),
        sa.Column("employment", sa.String(length=16), nullable=False),
        sa.Column("employment_detail", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["monitor_household.id"],
            name=op.f("fk_fishery_fisher_household_id_monitor_household"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["monitor_person.id"],
            name=op.f("fk_fishery_fisher_person_id_monitor_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fishery_fisher")),
        sa.UniqueConstraint("person_id", name=op.f("uq_fishery_fisher_person_id")),
    )
    op.create_index(
        op.f("ix_fishery_fisher_household_id"), "fishery_fisher", ["household_id"], unique=False
    )
    op.create_index(
        op.f("ix_fishery_fisher_village_code"), "fishery_fisher", ["village_code"], unique=False
    )
    op.create_table(
        "fishery_patrol_zone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patrol_id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patrol_id"],
            ["fishery_patrol.id"],
            name=op.f("fk_fishery_patrol_zone_patrol_id_fishery_patrol"),
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["fishery_zone.id"],
            name=op.f("fk_fishery_patrol_zone_zone_id_fishery_zone"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fishery_patrol_zone")),
        sa.UniqueConstraint("patrol_id", "zone_id", name=op.f("uq_fishery_patrol_zone_patrol_id")),
    )
    op.create_index(
        op.f("ix_fishery_patrol_zone_patrol_id"), "fishery_patrol_zone", ["patrol_id"], unique=False
    )
    op.create_index(
        op.f("ix_fishery_patrol_zone_zone_id"), "fishery_patrol_zone", ["zone_id"], unique=False
    )
    op.create_table(
        "fishery_case_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=12), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["fishery_case.id"], name=op.f("fk_fishery_case_step_case_id_fishery_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fishery_case_step")),
        sa.UniqueConstraint("case_id", "step", name=op.f("uq_fishery_case_step_case_id")),
    )
    op.create_index(
        op.f("ix_fishery_case_step_case_id"), "fishery_case_step", ["case_id"], unique=False
    )
    op.create_table(
        "fishery_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fisher_id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("employment", sa.String(length=16), nullable=False),
        sa.Column("insured", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("visitor", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["fisher_id"],
            ["fishery_fisher.id"],
            name=op.f("fk_fishery_visit_fisher_id_fishery_fisher"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fishery_visit")),
        sa.UniqueConstraint("fisher_id", "visited_on", name=op.f("uq_fishery_visit_fisher_id")),
    )
    op.create_index(
        op.f("ix_fishery_visit_fisher_id"), "fishery_visit", ["fisher_id"], unique=False
    )
    op.create_index(op.f("ix_fishery_visit_year"), "fishery_visit", ["year"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_fishery_visit_year"), table_name="fishery_visit")
    op.drop_index(op.f("ix_fishery_visit_fisher_id"), table_name="fishery_visit")
    op.drop_table("fishery_visit")
    op.drop_index(op.f("ix_fishery_case_step_case_id"), table_name="fishery_case_step")
    op.drop_table("fishery_case_step")
    op.drop_index(op.f("ix_fishery_patrol_zone_zone_id"), table_name="fishery_patrol_zone")
    op.drop_index(op.f("ix_fishery_patrol_zone_patrol_id"), table_name="fishery_patrol_zone")
    op.drop_table("fishery_patrol_zone")
    op.drop_index(op.f("ix_fishery_fisher_village_code"), table_name="fishery_fisher")
    op.drop_index(op.f("ix_fishery_fisher_household_id"), table_name="fishery_fisher")
    op.drop_table("fishery_fisher")
    op.drop_index(op.f("ix_fishery_case_region_code"), table_name="fishery_case")
    op.drop_table("fishery_case")
    op.drop_index(op.f("ix_fishery_tip_region_code"), table_name="fishery_tip")
    op.drop_table("fishery_tip")
    op.drop_index(op.f("ix_fishery_team_member_team_id"), table_name="fishery_team_member")
    op.drop_table("fishery_team_member")
    op.drop_index(op.f("ix_fishery_patrol_team_id"), table_name="fishery_patrol")
    op.drop_index(op.f("ix_fishery_patrol_region_code"), table_name="fishery_patrol")
    op.drop_index(op.f("ix_fishery_patrol_patrolled_on"), table_name="fishery_patrol")
    op.drop_table("fishery_patrol")
    op.drop_index(op.f("ix_fishery_zone_region_code"), table_name="fishery_zone")
    op.drop_table("fishery_zone")
    op.drop_index(op.f("ix_fishery_team_region_code"), table_name="fishery_team")
    op.drop_table("fishery_team")
