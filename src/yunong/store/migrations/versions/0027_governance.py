"""grassroots governance

Revision ID: 0027
Revises: 0026

基层治理: matters routed by 三事分流, and the cadres stationed in villages.
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "governance_cadre",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("unit", sa.String(length=100), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["village_code"], ["region.code"], name=op.f("fk_governance_cadre_village_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_cadre")),
    )
    op.create_index(
        op.f("ix_governance_cadre_village_code"), "governance_cadre", ["village_code"], unique=False
    )
    op.create_table(
        "governance_matter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=24), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("handled_by", sa.String(length=12), nullable=False),
        sa.Column("sector", sa.String(length=12), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("reporter", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("feedback", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["village_code"], ["region.code"], name=op.f("fk_governance_matter_village_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_matter")),
        sa.UniqueConstraint("number", name=op.f("uq_governance_matter_number")),
    )
    op.create_index(
        op.f("ix_governance_matter_reported_on"), "governance_matter", ["reported_on"], unique=False
    )
    op.create_index(
        op.f("ix_governance_matter_village_code"),
        "governance_matter",
        ["village_code"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_governance_matter_village_code"), table_name="governance_matter")
    op.drop_index(op.f("ix_governance_matter_reported_on"), table_name="governance_matter")
    op.drop_table("governance_matter")
    op.drop_index(op.f("ix_governance_cadre_village_code"), table_name="governance_cadre")
    op.drop_table("governance_cadre")
