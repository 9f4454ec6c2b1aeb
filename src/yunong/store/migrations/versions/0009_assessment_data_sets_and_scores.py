"""assessment data sets, values, figures and scores

Revision ID: 0009
Revises: 0008

考核驾驶舱 (issue 8): each unit's reported data set per period with its approval state,
the reported values (indicators and 达标村 checklist items), and the stored figures and
scores of 赛马比拼.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assess_data_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.SmallInteger(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.String(length=400), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_assess_data_set_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assess_data_set")),
        sa.UniqueConstraint("period", "region_code", name=op.f("uq_assess_data_set_period")),
    )
    op.create_index(op.f("ix_assess_data_set_period"), "assess_data_set", ["period"], unique=False)
    op.create_index(
        op.f("ix_assess_data_set_region_code"), "assess_data_set", ["region_code"], unique=False
    )
    op.create_table(
        "assess_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.SmallInteger(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("target_year", sa.SmallInteger(), nullable=True),
        sa.Column("progress", sa.Float(), nullable=True),
        sa.Column("colour", sa.String(length=8), nullable=False),
        sa.Column("points", sa.Float(), nullable=True),
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_assess_figure_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assess_figure")),
        sa.UniqueConstraint(
            "period", "region_code", "indicator", name=op.f("uq_assess_figure_period")
        ),
    )
    op.create_index(op.f("ix_assess_figure_period"), "assess_figure", ["period"], unique=False)
    op.create_index(
        op.f("ix_assess_figure_region_code"), "assess_figure", ["region_code"], unique=False
    )
    op.create_table(
        "assess_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.SmallInteger(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("previous_rank", sa.Integer(), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_assess_score_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assess_score")),
        sa.UniqueConstraint("period", "region_code", name=op.f("uq_assess_score_period")),
    )
    op.create_index(op.f("ix_assess_score_period"), "assess_score", ["period"], unique=False)
    op.create_table(
        "assess_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data_set_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["data_set_id"],
            ["assess_data_set.id"],
            name=op.f("fk_assess_value_data_set_id_assess_data_set"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assess_value")),
        sa.UniqueConstraint("data_set_id", "item", name=op.f("uq_assess_value_data_set_id")),
    )
    op.create_index(
        op.f("ix_assess_value_data_set_id"), "assess_value", ["data_set_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_assess_value_data_set_id"), table_name="assess_value")
    op.drop_table("assess_value")
    op.drop_index(op.f("ix_assess_score_period"), table_name="assess_score")
    op.drop_table("assess_score")
    op.drop_index(op.f("ix_assess_figure_region_code"), table_name="assess_figure")
    op.drop_index(op.f("ix_assess_figure_period"), table_name="assess_figure")
    op.drop_table("assess_figure")
    op.drop_index(op.f("ix_assess_data_set_region_code"), table_name="assess_data_set")
    op.drop_index(op.f("ix_assess_data_set_period"), table_name="assess_data_set")
    op.drop_table("assess_data_set")
