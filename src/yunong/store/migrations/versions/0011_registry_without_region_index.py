"""the 全农码 registry without its region index

Revision ID: 0011
Revises: 0010

A code carries its region right after the kind letter, so the codes of one region and
kind are a range of the primary key; the separate region index was never read and cost
every issued code one more b-tree insert.
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("identity_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_code_region_code"))


def downgrade() -> None:
    with op.batch_alter_table("identity_code", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_identity_code_region_code"), ["region_code"], unique=False
        )
