"""industry series, warnings

Revision ID: 0021
Revises: 0020

The 产业大脑's dated observations and the warnings raised from them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "industry_observation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(length=40), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
            name=op.f("fk_industry_observation_region_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_industry_observation")),
        sa.UniqueConstraint(
            "series", "region_code", "period", "source",
            name=op.f("uq_industry_observation_series"),
        ),
    )  # fmt: skip
    op.create_index(
        op.f("ix_industry_observation_region_code"),
        "industry_observation",
        ["region_code"],
        unique=False,
    )
    op.create_index(
        "ix_industry_observation_series_region",
        "industry_observation",
        ["series", "region_code", "period"],
        unique=False,
    )
    op.create_table(
        "industry_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=20), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("chain", sa.String(length=20), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_by", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_industry_warning_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_industry_warning")),
        sa.UniqueConstraint(
            "rule", "indicator", "region_code", "period", name=op.f("uq_industry_warning_rule")
        ),
    )
    for column in ("rule", "chain", "region_code", "period"):
        op.create_index(
            op.f(f"ix_industry_warning_{column}"), "industry_warning", [column], unique=False
        )


def downgrade() -> None:
    for column in ("rule", "chain", "region_code", "period"):
        op.drop_index(op.f(f"ix_industry_warning_{column}"), table_name="industry_warning")
    op.drop_table("industry_warning")
    op.drop_index("ix_industry_observation_series_region", table_name="industry_observation")
    op.drop_index(op.f("ix_industry_observation_region_code"), table_name="industry_observation")
    op.drop_table("industry_observation")
