"""high-standard farmland projects

Revision ID: 0023
Revises: 0022

高标准农田: projects, their steps and parties, boundaries, maintenance.
"""

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
