"""keyed audit chain and public scan signals

The audit head gets the keyed code of the newest record. Records already written keep
their plain SHA-256 (see ``YUNONG_AUDIT_LEGACY_UNTIL``): the key is not the database's
to know, so a migration cannot key them.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.drop_column("code")
