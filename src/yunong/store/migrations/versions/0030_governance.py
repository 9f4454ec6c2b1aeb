"""governance grids and points

Revision ID: 0030
Revises: 0029

基层治理: grids within villages and their households, points for good conduct (积分制) and
their ledger, matters reported on the public page (reference, photo); 长江治渔: the role and
joining day of patrol team members.
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "governance_grid",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("worker", sa.String(length=64), nullable=False),
        sa.Column("boundary", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["village_code"], ["region.code"], name=op.f("fk_governance_grid_village_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_grid")),
        sa.UniqueConstraint("village_code", "name", name=op.f("uq_governance_grid_village_code")),
    )
    op.create_index(
        op.f("ix_governance_grid_village_code"), "governance_grid", ["village_code"], unique=False
    )
    op.create_table(
        "governance_grid_household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("assigned_by", sa.String(length=64), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["grid_id"],
            ["governance_grid.id"],
            name=op.f("fk_governance_grid_household_grid_id_governance_grid"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["monitor_household.id"],
            name=op.f("fk_governance_grid_household_household_id_monitor_household"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_grid_household")),
        sa.UniqueConstraint("household_id", name=op.f("uq_governance_grid_household_household_id")),
    )
    op.create_index(
        op.f("ix_governance_grid_household_grid_id"),
        "governance_grid_household",
        ["grid_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_governance_grid_household_village_code"),
        "governance_grid_household",
        ["village_code"],
        unique=False,
    )
    op.create_table(
        "governance_points_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=40), nullable=False),
        sa.Column("item_name", sa.String(length=60), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("photo", sa.LargeBinary(), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("reviewed_by", sa.String(length=64), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["monitor_household.id"],
            name=op.f("fk_governance_points_entry_household_id_monitor_household"),
        ),
        sa.ForeignKeyConstraint(
            ["village_code"],
            ["region.code"],
            name=op.f("fk_governance_points_entry_village_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_points_entry")),
    )
    op.create_index(
        op.f("ix_governance_points_entry_household_id"),
        "governance_points_entry",
        ["household_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_governance_points_entry_recorded_on"),
        "governance_points_entry",
        ["recorded_on"],
        unique=False,
    )
    op.create_index(
        op.f("ix_governance_points_entry_village_code"),
        "governance_points_entry",
        ["village_code"],
        unique=False,
    )
    op.create_table(
        "governance_points_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=60), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("booked_by", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["governance_points_entry.id"],
            name=op.f("fk_governance_points_ledger_entry_id_governance_points_entry"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["monitor_household.id"],
            name=op.f("fk_governance_points_ledger_household_id_monitor_household"),
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["governance_points_ledger.id"],
            name=op.f("fk_governance_points_ledger_reverses_id_governance_points_ledger"),
        ),
        sa.ForeignKeyConstraint(
            ["village_code"],
            ["region.code"],
            name=op.f("fk_governance_points_ledger_village_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_points_ledger")),
        sa.UniqueConstraint("entry_id", name=op.f("uq_governance_points_ledger_entry_id")),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_governance_points_ledger_reverses_id")),
    )
    op.create_index(
        op.f("ix_governance_points_ledger_household_id"),
        "governance_points_ledger",
        ["household_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_governance_points_ledger_village_code"),
        "governance_points_ledger",
        ["village_code"],
        unique=False,
    )
    op.add_column(
        "fishery_team_member",
        sa.Column("role", sa.String(length=8), server_default="member", nullable=False),
    )
    op.add_column("fishery_team_member", sa.Column("starts_on", sa.Date(), nullable=True))
    op.add_column("governance_matter", sa.Column("reference", sa.String(length=20), nullable=True))
    op.add_column("governance_matter", sa.Column("photo", sa.LargeBinary(), nullable=True))
    op.create_index(
        op.f("ix_governance_matter_reference"), "governance_matter", ["reference"], unique=True
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_governance_matter_reference"), table_name="governance_matter")
    with op.batch_alter_table("governance_matter") as batch_op:
        batch_op.drop_column("photo")
    with op.batch_alter_table("governance_matter") as batch_op:
        batch_op.drop_column("reference")
    with op.batch_alter_table("fishery_team_member") as batch_op:
        batch_op.drop_column("starts_on")
    with op.batch_alter_table("fishery_team_member") as batch_op:
        batch_op.drop_column("role")
    op.drop_index(
        op.f("ix_governance_points_ledger_village_code"), table_name="governance_points_ledger"
    )
    op.drop_index(
        op.f("ix_governance_points_ledger_household_id"), table_name="governance_points_ledger"
    )
    op.drop_table("governance_points_ledger")
    op.drop_index(
        op.f("ix_governance_points_entry_village_code"), table_name="governance_points_entry"
    )
    op.drop_index(
        op.f("ix_governance_points_entry_recorded_on"), table_name="governance_points_entry"
    )
    op.drop_index(
        op.f("ix_governance_points_entry_household_id"), table_name="governance_points_entry"
    )
    op.drop_table("governance_points_entry")
    op.drop_index(
        op.f("ix_governance_grid_household_village_code"), table_name="governance_grid_household"
    )
    op.drop_index(
        op.f("ix_governance_grid_household_grid_id"), table_name="governance_grid_household"
    )
    op.drop_table("governance_grid_household")
    op.drop_index(op.f("ix_governance_grid_village_code"), table_name="governance_grid")
    op.drop_table("governance_grid")
