"""notices and read receipts

Revision ID: 0019
Revises: 0018

通知公告: a notice published by a city, district or town office to its region, the roles it
is for (one row a role), and each recipient's receipt, written when they open it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("published_by", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_notice_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
    )
    op.create_index(op.f("ix_notice_region_code"), "notice", ["region_code"], unique=False)
    op.create_table(
        "notice_audience",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notice.id"], name=op.f("fk_notice_audience_notice_id_notice")
        ),
        sa.PrimaryKeyConstraint("notice_id", "role", name=op.f("pk_notice_audience")),
    )
    op.create_index(op.f("ix_notice_audience_role"), "notice_audience", ["role"], unique=False)
    op.create_table(
        "notice_receipt",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notice.id"], name=op.f("fk_notice_receipt_notice_id_notice")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_notice_receipt_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("notice_id", "user_id", name=op.f("pk_notice_receipt")),
    )
    op.create_index(op.f("ix_notice_receipt_user_id"), "notice_receipt", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_notice_receipt_user_id"), table_name="notice_receipt")
    op.drop_table("notice_receipt")
    op.drop_index(op.f("ix_notice_audience_role"), table_name="notice_audience")
    op.drop_table("notice_audience")
    op.drop_index(op.f("ix_notice_region_code"), table_name="notice")
    op.drop_table("notice")
