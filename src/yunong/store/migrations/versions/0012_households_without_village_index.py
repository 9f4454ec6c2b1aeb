"""households without their separate village index

Revision ID: 0012
Revises: 0011

A household's number is unique within its village, and the index behind that rule starts
with the village code: it serves every lookup by village, so the separate village index
only cost each household one more b-tree entry.
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("monitor_household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitor_household_village_code"))


def downgrade() -> None:
    with op.batch_alter_table("monitor_household", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitor_household_village_code"), ["village_code"], unique=False
        )
