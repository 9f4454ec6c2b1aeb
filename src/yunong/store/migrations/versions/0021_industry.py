"""industry series, warnings

Revision ID: 0021
Revises: 0020

The 产业大脑's dated observations and the warnings raised from them.
"""

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
