"""trace: producers, brands, products, batches, events, certificates and scans

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trace_brand",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("owner", sa.String(length=80), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("registration", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_trace_brand_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_brand")),
        sa.UniqueConstraint("name", name=op.f("uq_trace_brand_name")),
    )
    with op.batch_alter_table("trace_brand", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trace_brand_region_code"), ["region_code"], unique=False
        )

    op.create_table(
        "trace_producer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("contact_name", sa.String(length=40), nullable=False),
        sa.Column("contact_phone", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_trace_producer_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_producer")),
        sa.UniqueConstraint("code", name=op.f("uq_trace_producer_code")),
        sa.UniqueConstraint("uscc", name=op.f("uq_trace_producer_uscc")),
    )
    with op.batch_alter_table("trace_producer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trace_producer_region_code"), ["region_code"], unique=False
        )

    op.create_table(
        "trace_brand_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("producer_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("granted_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["trace_brand.id"], name=op.f("fk_trace_brand_grant_brand_id_trace_brand")
        ),
        sa.ForeignKeyConstraint(
            ["producer_id"],
            ["trace_producer.id"],
            name=op.f("fk_trace_brand_grant_producer_id_trace_producer"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_brand_grant")),
        sa.UniqueConstraint(
            "brand_id",
            "producer_id",
            "category",
            "valid_from",
            name=op.f("uq_trace_brand_grant_brand_id"),
        ),
    )
    with op.batch_alter_table("trace_brand_grant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trace_brand_grant_brand_id"), ["brand_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_trace_brand_grant_producer_id"), ["producer_id"], unique=False
        )

    op.create_table(
        "trace_producer_account",
        sa.Column("producer_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["producer_id"],
            ["trace_producer.id"],
            name=op.f("fk_trace_producer_account_producer_id_trace_producer"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_trace_producer_account_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("producer_id", "user_id", name=op.f("pk_trace_producer_account")),
    )
    with op.batch_alter_table("trace_producer_account", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trace_producer_account_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "trace_product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("producer_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=True),
        sa.Column("brand_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["trace_brand.id"], name=op.f("fk_trace_product_brand_id_trace_brand")
        ),
        sa.ForeignKeyConstraint(
            ["producer_id"],
            ["trace_producer.id"],
            name=op.f("fk_trace_product_producer_id_trace_producer"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_product")),
        sa.UniqueConstraint("gtin", name=op.f("uq_trace_product_gtin")),
        sa.UniqueConstraint("producer_id", "name", name=op.f("uq_trace_product_producer_id")),
    )
    with op.batch_alter_table("trace_product", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trace_product_producer_id"), ["producer_id"], unique=False
        )

    op.create_table(
        "trace_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("lot", sa.String(length=20), nullable=False),
        sa.Column("produced_on", sa.Date(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("packages", sa.Integer(), nullable=True),
        sa.Column("origin_code", sa.String(length=12), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=True),
        sa.Column("digital_link", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["trace_brand.id"], name=op.f("fk_trace_batch_brand_id_trace_brand")
        ),
        sa.ForeignKeyConstraint(
            ["origin_code"], ["region.code"], name=op.f("fk_trace_batch_origin_code_region")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["trace_product.id"],
            name=op.f("fk_trace_batch_product_id_trace_product"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_batch")),
        sa.UniqueConstraint("code", name=op.f("uq_trace_batch_code")),
        sa.UniqueConstraint("digital_link", name=op.f("uq_trace_batch_digital_link")),
        sa.UniqueConstraint("product_id", "lot", name=op.f("uq_trace_batch_product_id")),
    )
    with op.batch_alter_table("trace_batch", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trace_batch_origin_code"), ["origin_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_trace_batch_product_id"), ["product_id"], unique=False)

    op.create_table(
        "trace_batch_parcel",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("parcel_code", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["trace_batch.id"],
            name=op.f("fk_trace_batch_parcel_batch_id_trace_batch"),
        ),
        sa.PrimaryKeyConstraint("batch_id", "parcel_code", name=op.f("pk_trace_batch_parcel")),
    )
    op.create_table(
        "trace_certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("basis", sa.String(length=40), nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["trace_batch.id"], name=op.f("fk_trace_certificate_batch_id_trace_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_certificate")),
        sa.UniqueConstraint("batch_id", name=op.f("uq_trace_certificate_batch_id")),
    )
    op.create_table(
        "trace_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("parcel_code", sa.String(length=20), nullable=True),
        sa.Column("input_name", sa.String(length=60), nullable=True),
        sa.Column("input_kind", sa.String(length=16), nullable=True),
        sa.Column("safe_interval_days", sa.Integer(), nullable=True),
        sa.Column("result", sa.String(length=8), nullable=True),
        sa.Column("agency", sa.String(length=80), nullable=True),
        sa.Column("quantity", sa.Numeric(precision=14, scale=3), nullable=True),
        sa.Column("unit", sa.String(length=8), nullable=True),
        sa.Column("partner", sa.String(length=80), nullable=True),
        sa.Column("output_batch_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["trace_batch.id"], name=op.f("fk_trace_event_batch_id_trace_batch")
        ),
        sa.ForeignKeyConstraint(
            ["output_batch_id"],
            ["trace_batch.id"],
            name=op.f("fk_trace_event_output_batch_id_trace_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_event")),
        sa.UniqueConstraint("batch_id", "fingerprint", name=op.f("uq_trace_event_batch_id")),
    )
    with op.batch_alter_table("trace_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trace_event_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_trace_event_event_time"), ["event_time"], unique=False)

    op.create_table(
        "trace_scan",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=24), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["trace_batch.id"], name=op.f("fk_trace_scan_batch_id_trace_batch")
        ),
        sa.PrimaryKeyConstraint("batch_id", "day", "place", name=op.f("pk_trace_scan")),
    )
    op.create_table(
        "trace_scan_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["trace_batch.id"], name=op.f("fk_trace_scan_flag_batch_id_trace_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_scan_flag")),
        sa.UniqueConstraint("batch_id", "reason", name=op.f("uq_trace_scan_flag_batch_id")),
    )
    with op.batch_alter_table("trace_scan_flag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trace_scan_flag_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_trace_scan_flag_region_code"), ["region_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("trace_scan_flag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trace_scan_flag_region_code"))
        batch_op.drop_index(batch_op.f("ix_trace_scan_flag_batch_id"))

    op.drop_table("trace_scan_flag")
    op.drop_table("trace_scan")
    with op.batch_alter_table("trace_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trace_event_event_time"))
        batch_op.drop_index(batch_op.f("ix_trace_event_batch_id"))

    op.drop_table("trace_event")
    op.drop_table("trace_certificate")
    op.drop_table("trace_batch_parcel")
    with op.batch_alter_table("trace_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trace_batch_product_id"))
        batch_op.drop_index(batch_op.f("ix_trace_batch_origin_code"))

    op.drop_table("trace_batch")
    with op.batch_alter_table("trace_product", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trace_product_producer_id"))

    op.drop_table("trace_product")
    with op.batch_alter_table("trace_producer_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trace_producer_account_user_id"))

    op.drop_table("trace_producer_account")
    with op.batch_alter_table("trace_brand_grant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trace_brand_grant_producer_id"))
        batch_op.drop_index(batch_op.f("ix_trace_brand_grant_brand_id"))

    op.drop_table("trace_brand_grant")
    with op.batch_alter_table("trace_producer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trace_producer_region_code"))

    op.drop_table("trace_producer")
    with op.batch_alter_table("trace_brand", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trace_brand_region_code"))

    op.drop_table("trace_brand")
