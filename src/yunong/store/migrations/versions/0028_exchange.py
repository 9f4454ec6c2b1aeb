"""rural property-rights deals

Revision ID: 0028
Revises: 0027

产权交易: the deals, recorded before the platform or made on it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_deal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("town", sa.String(length=40), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("area_mu", sa.Numeric(14, 4), nullable=False),
        sa.Column("term_years", sa.Integer(), nullable=True),
        sa.Column("price_yuan", sa.Numeric(16, 2), nullable=False),
        sa.Column("deal_date", sa.Date(), nullable=False),
        sa.Column("buyer", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_exchange_deal_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_deal")),
        sa.UniqueConstraint("project_code", name=op.f("uq_exchange_deal_project_code")),
    )
    for column in ("kind", "region_code", "deal_date"):
        op.create_index(op.f(f"ix_exchange_deal_{column}"), "exchange_deal", [column])


def downgrade() -> None:
    for column in ("kind", "region_code", "deal_date"):
        op.drop_index(op.f(f"ix_exchange_deal_{column}"), table_name="exchange_deal")
    op.drop_table("exchange_deal")
