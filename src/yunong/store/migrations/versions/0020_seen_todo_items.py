"""seen todo items

Revision ID: 0020
Revises: 0019

待办 items a user was shown when they last opened the home page (at most a few dozen rows a
user), so that the menu's badge counts the items new since then.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "todo_seen",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=300), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_todo_seen_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("user_id", "item_key", name=op.f("pk_todo_seen")),
    )


def downgrade() -> None:
    op.drop_table("todo_seen")
