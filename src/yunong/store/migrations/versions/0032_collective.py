"""collective 三资 registry, 清产核资, 帮扶项目 and contracts

Revision ID: 0032
Revises: 0031

渝农经管: support projects (帮扶项目) with their fund sources, dated steps and yearly income;
the 三资 registry of funds, assets and resources; stock-takes (清产核资) against the books;
contracts letting the collective's resources and assets, with their payment schedules.
"""

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collective_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=12), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("beneficiaries", sa.Integer(), nullable=False),
        sa.Column("monitored_households", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_collective_project_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_project")),
        sa.UniqueConstraint("code", name=op.f("uq_collective_project_code")),
        sa.UniqueConstraint("number", name=op.f("uq_collective_project_number")),
    )
    op.create_index(
        op.f("ix_collective_project_region_code"),
        "collective_project",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "collective_project_fund",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["collective_project.id"],
            name=op.f("fk_collective_project_fund_project_id_collective_project"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_project_fund")),
        sa.UniqueConstraint(
            "project_id", "source", name=op.f("uq_collective_project_fund_project_id")
        ),
    )
    op.create_index(
        op.f("ix_collective_project_fund_project_id"),
        "collective_project_fund",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "collective_project_income",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["collective_project.id"],
            name=op.f("fk_collective_project_income_project_id_collective_project"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_project_income")),
        sa.UniqueConstraint(
            "project_id", "year", name=op.f("uq_collective_project_income_project_id")
        ),
    )
    op.create_index(
        op.f("ix_collective_project_income_project_id"),
        "collective_project_income",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "collective_project_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=12), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["collective_project.id"],
            name=op.f("fk_collective_project_step_project_id_collective_project"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_project_step")),
        sa.UniqueConstraint(
            "project_id", "step", name=op.f("uq_collective_project_step_project_id")
        ),
    )
    op.create_index(
        op.f("ix_collective_project_step_project_id"),
        "collective_project_step",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "collective_registry_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("book_value_fen", sa.BigInteger(), nullable=False),
        sa.Column("acquired_on", sa.Date(), nullable=True),
        sa.Column("depreciation_method", sa.String(length=20), nullable=False),
        sa.Column("useful_life_years", sa.Integer(), nullable=True),
        sa.Column("area_m2", sa.BigInteger(), nullable=True),
        sa.Column("parcel_code", sa.String(length=20), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["collective_org.id"],
            name=op.f("fk_collective_registry_item_org_id_collective_org"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["collective_project.id"],
            name=op.f("fk_collective_registry_item_project_id_collective_project"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
            name=op.f("fk_collective_registry_item_region_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_registry_item")),
        sa.UniqueConstraint("code", name=op.f("uq_collective_registry_item_code")),
    )
    op.create_index(
        op.f("ix_collective_registry_item_org_id"),
        "collective_registry_item",
        ["org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_collective_registry_item_project_id"),
        "collective_registry_item",
        ["project_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_collective_registry_item_region_code"),
        "collective_registry_item",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "collective_stock_take",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("differences", sa.Integer(), nullable=False),
        sa.Column("taken_by", sa.String(length=64), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["collective_org.id"],
            name=op.f("fk_collective_stock_take_org_id_collective_org"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
            name=op.f("fk_collective_stock_take_region_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_stock_take")),
        sa.UniqueConstraint("org_id", "taken_on", name=op.f("uq_collective_stock_take_org_id")),
    )
    op.create_index(
        op.f("ix_collective_stock_take_org_id"), "collective_stock_take", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_collective_stock_take_region_code"),
        "collective_stock_take",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "collective_contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("counterparty", sa.String(length=100), nullable=False),
        sa.Column("counterparty_code", sa.String(length=20), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("subject_code", sa.String(length=20), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("price_fen", sa.BigInteger(), nullable=False),
        sa.Column("deposit_fen", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["collective_org.id"],
            name=op.f("fk_collective_contract_org_id_collective_org"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_collective_contract_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_contract")),
        sa.UniqueConstraint("org_id", "number", name=op.f("uq_collective_contract_org_id")),
    )
    op.create_index(
        op.f("ix_collective_contract_org_id"), "collective_contract", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_collective_contract_region_code"),
        "collective_contract",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "collective_contract_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["collective_contract.id"],
            name=op.f("fk_collective_contract_payment_contract_id_collective_contract"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_contract_payment")),
        sa.UniqueConstraint(
            "contract_id", "due_on", name=op.f("uq_collective_contract_payment_contract_id")
        ),
    )
    op.create_index(
        op.f("ix_collective_contract_payment_contract_id"),
        "collective_contract_payment",
        ["contract_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_collective_contract_payment_contract_id"), table_name="collective_contract_payment"
    )
    op.drop_table("collective_contract_payment")
    op.drop_index(op.f("ix_collective_contract_region_code"), table_name="collective_contract")
    op.drop_index(op.f("ix_collective_contract_org_id"), table_name="collective_contract")
    op.drop_table("collective_contract")
    op.drop_index(op.f("ix_collective_stock_take_region_code"), table_name="collective_stock_take")
    op.drop_index(op.f("ix_collective_stock_take_org_id"), table_name="collective_stock_take")
    op.drop_table("collective_stock_take")
    op.drop_index(
        op.f("ix_collective_registry_item_region_code"), table_name="collective_registry_item"
    )
    op.drop_index(
        op.f("ix_collective_registry_item_project_id"), table_name="collective_registry_item"
    )
    op.drop_index(op.f("ix_collective_registry_item_org_id"), table_name="collective_registry_item")
    op.drop_table("collective_registry_item")
    op.drop_index(
        op.f("ix_collective_project_step_project_id"), table_name="collective_project_step"
    )
    op.drop_table("collective_project_step")
    op.drop_index(
        op.f("ix_collective_project_income_project_id"), table_name="collective_project_income"
    )
    op.drop_table("collective_project_income")
    op.drop_index(
        op.f("ix_collective_project_fund_project_id"), table_name="collective_project_fund"
    )
    op.drop_table("collective_project_fund")
    op.drop_index(op.f("ix_collective_project_region_code"), table_name="collective_project")
    op.drop_table("collective_project")
