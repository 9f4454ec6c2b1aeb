"""habitat registries

Revision ID: 0022
Revises: 0021

人居环境: water bodies and their tests, settlements and sewage facilities, household toilets.
"""

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
