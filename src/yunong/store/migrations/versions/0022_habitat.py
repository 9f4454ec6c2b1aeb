"""habitat registries

Revision ID: 0022
Revises: 0021

人居环境: water bodies and their tests, settlements and sewage facilities, household toilets.
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "habitat_sewage_facility",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("capacity_m3", sa.Numeric(precision=10, scale=1), nullable=False),
        sa.Column("grade", sa.String(length=8), nullable=False),
        sa.Column("network", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
            name=op.f("fk_habitat_sewage_facility_region_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_habitat_sewage_facility")),
        sa.UniqueConstraint("code", name=op.f("uq_habitat_sewage_facility_code")),
    )
    op.create_index(
        op.f("ix_habitat_sewage_facility_region_code"),
        "habitat_sewage_facility",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "habitat_toilet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("household_number", sa.String(length=20), nullable=False),
        sa.Column("head_name", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sanitary", sa.Boolean(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_habitat_toilet_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_habitat_toilet")),
        sa.UniqueConstraint(
            "region_code", "household_number", name=op.f("uq_habitat_toilet_region_code")
        ),
    )
    op.create_index(
        op.f("ix_habitat_toilet_region_code"), "habitat_toilet", ["region_code"], unique=False
    )
    op.create_table(
        "habitat_toilet_subsidy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("household_number", sa.String(length=20), nullable=False),
        sa.Column("head_name", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("built_on", sa.Date(), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
            name=op.f("fk_habitat_toilet_subsidy_region_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_habitat_toilet_subsidy")),
    )
    op.create_index(
        op.f("ix_habitat_toilet_subsidy_region_code"),
        "habitat_toilet_subsidy",
        ["region_code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_habitat_toilet_subsidy_state"), "habitat_toilet_subsidy", ["state"], unique=False
    )
    op.create_table(
        "habitat_toilet_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("household_number", sa.String(length=20), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("in_use", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
            name=op.f("fk_habitat_toilet_visit_region_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_habitat_toilet_visit")),
    )
    op.create_index(
        op.f("ix_habitat_toilet_visit_region_code"),
        "habitat_toilet_visit",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "habitat_water_body",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("area_m2", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("tested_on", sa.Date(), nullable=True),
        sa.Column("black", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_habitat_water_body_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_habitat_water_body")),
        sa.UniqueConstraint("code", name=op.f("uq_habitat_water_body_code")),
    )
    op.create_index(
        op.f("ix_habitat_water_body_black"), "habitat_water_body", ["black"], unique=False
    )
    op.create_index(
        op.f("ix_habitat_water_body_region_code"),
        "habitat_water_body",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "habitat_facility_inspection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("running", sa.Boolean(), nullable=False),
        sa.Column("cod", sa.Numeric(precision=10, scale=3), nullable=True),
        sa.Column("ammonia_nitrogen", sa.Numeric(precision=10, scale=3), nullable=True),
        sa.Column("total_phosphorus", sa.Numeric(precision=10, scale=3), nullable=True),
        sa.Column("suspended_solids", sa.Numeric(precision=10, scale=3), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["habitat_sewage_facility.id"],
            name=op.f("fk_habitat_facility_inspection_facility_id_habitat_sewage_facility"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_habitat_facility_inspection")),
        sa.UniqueConstraint(
            "facility_id", "inspected_on", name=op.f("uq_habitat_facility_inspection_facility_id")
        ),
    )
    op.create_index(
        op.f("ix_habitat_facility_inspection_facility_id"),
        "habitat_facility_inspection",
        ["facility_id"],
        unique=False,
    )
    op.create_table(
        "habitat_remediation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("stage_on", sa.Date(), nullable=False),
        sa.Column("surveyed", sa.Integer(), nullable=True),
        sa.Column("satisfied", sa.Integer(), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["habitat_water_body.id"],
            name=op.f("fk_habitat_remediation_body_id_habitat_water_body"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_habitat_remediation_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_habitat_remediation")),
        sa.UniqueConstraint("body_id", name=op.f("uq_habitat_remediation_body_id")),
    )
    op.create_index(
        op.f("ix_habitat_remediation_region_code"),
        "habitat_remediation",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "habitat_settlement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("residents", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=True),
        sa.Column("refuse_collected", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["habitat_sewage_facility.id"],
            name=op.f("fk_habitat_settlement_facility_id_habitat_sewage_facility"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_habitat_settlement_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_habitat_settlement")),
        sa.UniqueConstraint("code", name=op.f("uq_habitat_settlement_code")),
    )
    op.create_index(
        op.f("ix_habitat_settlement_facility_id"),
        "habitat_settlement",
        ["facility_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_habitat_settlement_region_code"),
        "habitat_settlement",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "habitat_water_test",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("tested_on", sa.Date(), nullable=False),
        sa.Column("transparency_cm", sa.Numeric(precision=10, scale=3), nullable=False),
        sa.Column("depth_cm", sa.Numeric(precision=10, scale=3), nullable=True),
        sa.Column("dissolved_oxygen", sa.Numeric(precision=10, scale=3), nullable=False),
        sa.Column("ammonia_nitrogen", sa.Numeric(precision=10, scale=3), nullable=False),
        sa.Column("black", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["habitat_water_body.id"],
            name=op.f("fk_habitat_water_test_body_id_habitat_water_body"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_habitat_water_test")),
        sa.UniqueConstraint("body_id", "tested_on", name=op.f("uq_habitat_water_test_body_id")),
    )
    op.create_index(
        op.f("ix_habitat_water_test_body_id"), "habitat_water_test", ["body_id"], unique=False
    )
    op.create_table(
        "habitat_remediation_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("remediation_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["remediation_id"],
            ["habitat_remediation.id"],
            name=op.f("fk_habitat_remediation_step_remediation_id_habitat_remediation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_habitat_remediation_step")),
    )
    op.create_index(
        op.f("ix_habitat_remediation_step_remediation_id"),
        "habitat_remediation_step",
        ["remediation_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("habitat_remediation_step")
    op.drop_table("habitat_water_test")
    op.drop_table("habitat_settlement")
    op.drop_table("habitat_remediation")
    op.drop_table("habitat_facility_inspection")
    op.drop_table("habitat_water_body")
    op.drop_table("habitat_toilet_visit")
    op.drop_table("habitat_toilet_subsidy")
    op.drop_table("habitat_toilet")
    op.drop_table("habitat_sewage_facility")
