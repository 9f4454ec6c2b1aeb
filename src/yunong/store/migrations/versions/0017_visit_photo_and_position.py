"""visit photo and position

Revision ID: 0017
Revises: 0016

A visit keeps where the phone was (latitude, longitude and the accuracy its GPS gave) and
one photo, re-encoded as a JPEG, in a table of its own so that reading visits never loads it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("monitor_visit") as batch:
        batch.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        batch.add_column(sa.Column("longitude", sa.Float(), nullable=True))
        batch.add_column(sa.Column("position_accuracy_m", sa.Integer(), nullable=True))
    op.create_table(
        "monitor_visit_photo",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["monitor_visit.id"],
            name=op.f("fk_monitor_visit_photo_visit_id_monitor_visit"),
        ),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_monitor_visit_photo")),
    )


def downgrade() -> None:
    op.drop_table("monitor_visit_photo")
    with op.batch_alter_table("monitor_visit") as batch:
        batch.drop_column("position_accuracy_m")
        batch.drop_column("longitude")
        batch.drop_column("latitude")
