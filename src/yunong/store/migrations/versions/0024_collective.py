"""collective economic organisations, their books and assets

Revision ID: 0024
Revises: 0023

渝农经管: organisations, members and share events, vouchers and their lines (amounts in fen),
closed periods and 财务公开 disclosures.
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collective_org",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("group_name", sa.String(length=40), nullable=False),
        sa.Column("legal_representative", sa.String(length=40), nullable=False),
        sa.Column("books_start", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_collective_org_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_org")),
        sa.UniqueConstraint("code", name=op.f("uq_collective_org_code")),
        sa.UniqueConstraint("uscc", name=op.f("uq_collective_org_uscc")),
    )
    op.create_index(
        op.f("ix_collective_org_region_code"), "collective_org", ["region_code"], unique=False
    )
    op.create_table(
        "collective_closed_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("closed_by", sa.String(length=64), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["collective_org.id"],
            name=op.f("fk_collective_closed_period_org_id_collective_org"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_closed_period")),
        sa.UniqueConstraint("org_id", "period", name=op.f("uq_collective_closed_period_org_id")),
    )
    op.create_table(
        "collective_disclosure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("generated_by", sa.String(length=64), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["collective_org.id"],
            name=op.f("fk_collective_disclosure_org_id_collective_org"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
            name=op.f("fk_collective_disclosure_region_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_disclosure")),
        sa.UniqueConstraint("org_id", "period", name=op.f("uq_collective_disclosure_org_id")),
    )
    op.create_index(
        op.f("ix_collective_disclosure_region_code"),
        "collective_disclosure",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "collective_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("person_code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("confirmed_on", sa.Date(), nullable=False),
        sa.Column("basis", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["collective_org.id"],
            name=op.f("fk_collective_member_org_id_collective_org"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_collective_member_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_member")),
        sa.UniqueConstraint("org_id", "person_code", name=op.f("uq_collective_member_org_id")),
    )
    op.create_index(
        op.f("ix_collective_member_org_id"), "collective_member", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_collective_member_region_code"), "collective_member", ["region_code"], unique=False
    )
    op.create_table(
        "collective_voucher",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("voucher_date", sa.Date(), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("posted_by", sa.String(length=64), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["collective_org.id"],
            name=op.f("fk_collective_voucher_org_id_collective_org"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_collective_voucher_region_code_region")
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["collective_voucher.id"],
            name=op.f("fk_collective_voucher_reverses_id_collective_voucher"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_voucher")),
        sa.UniqueConstraint(
            "org_id", "period", "number", name=op.f("uq_collective_voucher_org_id")
        ),
    )
    op.create_index(
        op.f("ix_collective_voucher_org_id"), "collective_voucher", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_collective_voucher_region_code"),
        "collective_voucher",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "collective_share_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("shares", sa.Integer(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["collective_member.id"],
            name=op.f("fk_collective_share_event_member_id_collective_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_share_event")),
    )
    op.create_index(
        op.f("ix_collective_share_event_member_id"),
        "collective_share_event",
        ["member_id"],
        unique=False,
    )
    op.create_table(
        "collective_voucher_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("voucher_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("account", sa.String(length=8), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("counterparty", sa.String(length=100), nullable=False),
        sa.Column("debit_fen", sa.BigInteger(), nullable=False),
        sa.Column("credit_fen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["collective_org.id"],
            name=op.f("fk_collective_voucher_line_org_id_collective_org"),
        ),
        sa.ForeignKeyConstraint(
            ["voucher_id"],
            ["collective_voucher.id"],
            name=op.f("fk_collective_voucher_line_voucher_id_collective_voucher"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_voucher_line")),
    )
    op.create_index(
        "ix_collective_line_org_period",
        "collective_voucher_line",
        ["org_id", "period", "account"],
        unique=False,
    )
    op.create_index(
        op.f("ix_collective_voucher_line_voucher_id"),
        "collective_voucher_line",
        ["voucher_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_collective_voucher_line_voucher_id"), table_name="collective_voucher_line"
    )
    op.drop_index("ix_collective_line_org_period", table_name="collective_voucher_line")
    op.drop_table("collective_voucher_line")
    op.drop_index(op.f("ix_collective_share_event_member_id"), table_name="collective_share_event")
    op.drop_table("collective_share_event")
    op.drop_index(op.f("ix_collective_voucher_region_code"), table_name="collective_voucher")
    op.drop_index(op.f("ix_collective_voucher_org_id"), table_name="collective_voucher")
    op.drop_table("collective_voucher")
    op.drop_index(op.f("ix_collective_member_region_code"), table_name="collective_member")
    op.drop_index(op.f("ix_collective_member_org_id"), table_name="collective_member")
    op.drop_table("collective_member")
    op.drop_index(op.f("ix_collective_disclosure_region_code"), table_name="collective_disclosure")
    op.drop_table("collective_disclosure")
    op.drop_table("collective_closed_period")
    op.drop_index(op.f("ix_collective_org_region_code"), table_name="collective_org")
    op.drop_table("collective_org")
