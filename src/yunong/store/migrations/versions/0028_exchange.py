"""rural property-rights deals

Revision ID: 0028
Revises: 0027

产权交易: the deals, recorded before the platform or made on it; listings, their bidders'
registrations and bids; the management rights the deals transfer, their 鉴证书, and the
地票 cases with their payments.
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
    op.create_table(
        "exchange_listing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("seller", sa.String(length=100), nullable=False),
        sa.Column("parcels", sa.String(length=2000), nullable=False),
        sa.Column("area_mu", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("term_years", sa.Integer(), nullable=True),
        sa.Column("rights_start", sa.Date(), nullable=True),
        sa.Column("reserve_yuan", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("increment_yuan", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("deposit_yuan", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("price_yuan", sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column("winner_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("relisted_from", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_exchange_listing_region_code_region")
        ),
        sa.ForeignKeyConstraint(
            ["relisted_from"],
            ["exchange_listing.id"],
            name=op.f("fk_exchange_listing_relisted_from_exchange_listing"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_listing")),
        sa.UniqueConstraint("code", name=op.f("uq_exchange_listing_code")),
    )
    op.create_index(
        op.f("ix_exchange_listing_ends_at"), "exchange_listing", ["ends_at"], unique=False
    )
    op.create_index(
        op.f("ix_exchange_listing_region_code"), "exchange_listing", ["region_code"], unique=False
    )
    op.create_index(
        op.f("ix_exchange_listing_status"), "exchange_listing", ["status"], unique=False
    )
    op.create_table(
        "exchange_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("bidder_name", sa.String(length=100), nullable=False),
        sa.Column("bidder_id_code", sa.String(length=18), nullable=False),
        sa.Column("qualified", sa.Boolean(), nullable=False),
        sa.Column("deposit_paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deposit_returned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["exchange_listing.id"],
            name=op.f("fk_exchange_registration_listing_id_exchange_listing"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_exchange_registration_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_registration")),
        sa.UniqueConstraint("listing_id", "number", name="uq_exchange_registration_listing_number"),
        sa.UniqueConstraint("listing_id", "user_id", name="uq_exchange_registration_listing_user"),
    )
    op.create_index(
        op.f("ix_exchange_registration_listing_id"),
        "exchange_registration",
        ["listing_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_exchange_registration_user_id"), "exchange_registration", ["user_id"], unique=False
    )
    op.create_table(
        "exchange_transfer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("parcel_code", sa.String(length=20), nullable=False),
        sa.Column("holder", sa.String(length=100), nullable=False),
        sa.Column("holder_id_code", sa.String(length=18), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["exchange_listing.id"],
            name=op.f("fk_exchange_transfer_listing_id_exchange_listing"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_transfer")),
    )
    op.create_index(
        op.f("ix_exchange_transfer_listing_id"), "exchange_transfer", ["listing_id"], unique=False
    )
    op.create_index(
        op.f("ix_exchange_transfer_parcel_code"), "exchange_transfer", ["parcel_code"], unique=False
    )
    op.create_table(
        "exchange_bid",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("amount_yuan", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["exchange_listing.id"],
            name=op.f("fk_exchange_bid_listing_id_exchange_listing"),
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["exchange_registration.id"],
            name=op.f("fk_exchange_bid_registration_id_exchange_registration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_bid")),
        sa.UniqueConstraint("listing_id", "sequence", name=op.f("uq_exchange_bid_listing_id")),
    )
    op.create_index(
        op.f("ix_exchange_bid_listing_id"), "exchange_bid", ["listing_id"], unique=False
    )

    op.create_table(
        "exchange_certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("seller", sa.String(length=100), nullable=False),
        sa.Column("buyer", sa.String(length=100), nullable=False),
        sa.Column("price_yuan", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["exchange_listing.id"],
            name=op.f("fk_exchange_certificate_listing_id_exchange_listing"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
            name=op.f("fk_exchange_certificate_region_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_certificate")),
        sa.UniqueConstraint("code", name=op.f("uq_exchange_certificate_code")),
        sa.UniqueConstraint("listing_id", name=op.f("uq_exchange_certificate_listing_id")),
    )
    op.create_index(
        op.f("ix_exchange_certificate_region_code"),
        "exchange_certificate",
        ["region_code"],
        unique=False,
    )

    op.create_table(
        "exchange_ticket_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parcel_code", sa.String(length=20), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("holder_code", sa.String(length=20), nullable=True),
        sa.Column("conditions", sa.String(length=400), nullable=False),
        sa.Column("step", sa.String(length=10), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("applied_by", sa.String(length=64), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("accepted_m2", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("reclamation_cost_yuan", sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column("ticket_code", sa.String(length=20), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("listing_id", sa.Integer(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["exchange_listing.id"],
            name=op.f("fk_exchange_ticket_case_listing_id_exchange_listing"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
            name=op.f("fk_exchange_ticket_case_region_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_ticket_case")),
        sa.UniqueConstraint("ticket_code", name=op.f("uq_exchange_ticket_case_ticket_code")),
    )
    op.create_index(
        op.f("ix_exchange_ticket_case_parcel_code"),
        "exchange_ticket_case",
        ["parcel_code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_exchange_ticket_case_region_code"),
        "exchange_ticket_case",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "exchange_ticket_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("payee", sa.String(length=12), nullable=False),
        sa.Column("payee_code", sa.String(length=20), nullable=False),
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("amount_yuan", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["exchange_ticket_case.id"],
            name=op.f("fk_exchange_ticket_payment_case_id_exchange_ticket_case"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_ticket_payment")),
    )
    op.create_index(
        op.f("ix_exchange_ticket_payment_case_id"),
        "exchange_ticket_payment",
        ["case_id"],
        unique=False,
    )


def downgrade() -> None:
    for table in (
        "exchange_ticket_payment",
        "exchange_ticket_case",
        "exchange_certificate",
        "exchange_bid",
        "exchange_transfer",
        "exchange_registration",
        "exchange_listing",
    ):
        op.drop_table(table)
    for column in ("kind", "region_code", "deal_date"):
        op.drop_index(op.f(f"ix_exchange_deal_{column}"), table_name="exchange_deal")
    op.drop_table("exchange_deal")
