"""shared rate limit counts

Revision ID: 0016
Revises: 0015

The rate limits of the public pages counted per minute in the database, so that every
server process of ``yunong serve --workers N`` counts against the same budget.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_count",
        sa.Column("bucket", sa.String(length=160), nullable=False),
        sa.Column("minute", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "minute", name=op.f("pk_rate_count")),
    )


def downgrade() -> None:
    op.drop_table("rate_count")
