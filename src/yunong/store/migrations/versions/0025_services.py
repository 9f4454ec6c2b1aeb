"""socialised agricultural services

Revision ID: 0025
Revises: 0024

农事服务: providers and machines, orders and their parcels, the day's dispatch, work records on
parcels, drying centres and bookings, trusteeship contracts and their parcels.
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "services_drying_centre",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("tonnes_per_day", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
            name=op.f("fk_services_drying_centre_region_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services_drying_centre")),
        sa.UniqueConstraint("code", name=op.f("uq_services_drying_centre_code")),
    )
    op.create_index(
        op.f("ix_services_drying_centre_region_code"),
        "services_drying_centre",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "services_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("operation", sa.String(length=8), nullable=False),
        sa.Column("area_mu", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("earliest", sa.Date(), nullable=False),
        sa.Column("latest", sa.Date(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("land_type", sa.String(length=20), nullable=False),
        sa.Column("price_yuan_per_mu", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("requester", sa.String(length=64), nullable=False),
        sa.Column("holder_code", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_services_order_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services_order")),
        sa.UniqueConstraint("code", name=op.f("uq_services_order_code")),
    )
    op.create_index(
        op.f("ix_services_order_earliest"), "services_order", ["earliest"], unique=False
    )
    op.create_index(
        op.f("ix_services_order_holder_code"), "services_order", ["holder_code"], unique=False
    )
    op.create_index(
        op.f("ix_services_order_region_code"), "services_order", ["region_code"], unique=False
    )
    op.create_table(
        "services_provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("credential", sa.String(length=18), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("services", sa.String(length=200), nullable=False),
        sa.Column("prices", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_services_provider_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services_provider")),
        sa.UniqueConstraint("credential", name=op.f("uq_services_provider_credential")),
        sa.UniqueConstraint("name", name=op.f("uq_services_provider_name")),
    )
    op.create_index(
        op.f("ix_services_provider_region_code"), "services_provider", ["region_code"], unique=False
    )
    op.create_table(
        "services_drying_booking",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("tonnes", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("requester", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["services_drying_centre.id"],
            name=op.f("fk_services_drying_booking_centre_id_services_drying_centre"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
            name=op.f("fk_services_drying_booking_region_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services_drying_booking")),
    )
    op.create_index(
        op.f("ix_services_drying_booking_centre_id"),
        "services_drying_booking",
        ["centre_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_services_drying_booking_region_code"),
        "services_drying_booking",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "services_machine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("capacity_mu", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("operator", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("located_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["services_provider.id"],
            name=op.f("fk_services_machine_provider_id_services_provider"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_services_machine_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services_machine")),
        sa.UniqueConstraint("code", name=op.f("uq_services_machine_code")),
    )
    op.create_index(
        op.f("ix_services_machine_region_code"), "services_machine", ["region_code"], unique=False
    )
    op.create_table(
        "services_order_parcel",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("parcel_code", sa.String(length=20), nullable=False),
        sa.Column("area_mu", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["services_order.id"],
            name=op.f("fk_services_order_parcel_order_id_services_order"),
        ),
        sa.PrimaryKeyConstraint("order_id", "parcel_code", name=op.f("pk_services_order_parcel")),
    )
    op.create_table(
        "services_trusteeship",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("profit_model", sa.String(length=24), nullable=False),
        sa.Column("farmer", sa.String(length=64), nullable=False),
        sa.Column("holder_code", sa.String(length=20), nullable=True),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("crop", sa.String(length=16), nullable=False),
        sa.Column("area_mu", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("fee_yuan_per_mu", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("guaranteed_kg_per_mu", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("dividend_share", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("price_yuan_per_kg", sa.Numeric(precision=10, scale=4), nullable=False),
        sa.Column("recorded_kg", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["services_provider.id"],
            name=op.f("fk_services_trusteeship_provider_id_services_provider"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
            name=op.f("fk_services_trusteeship_region_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services_trusteeship")),
        sa.UniqueConstraint("code", name=op.f("uq_services_trusteeship_code")),
    )
    op.create_index(
        op.f("ix_services_trusteeship_holder_code"),
        "services_trusteeship",
        ["holder_code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_services_trusteeship_region_code"),
        "services_trusteeship",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "services_work_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parcel_code", sa.String(length=20), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("operation", sa.String(length=8), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("area_mu", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("machine_code", sa.String(length=40), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["services_order.id"],
            name=op.f("fk_services_work_record_order_id_services_order"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
            name=op.f("fk_services_work_record_region_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services_work_record")),
        sa.UniqueConstraint(
            "order_id", "parcel_code", name=op.f("uq_services_work_record_order_id")
        ),
    )
    op.create_index(
        op.f("ix_services_work_record_order_id"), "services_work_record", ["order_id"], unique=False
    )
    op.create_index(
        op.f("ix_services_work_record_parcel_code"),
        "services_work_record",
        ["parcel_code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_services_work_record_region_code"),
        "services_work_record",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "services_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("machine_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["machine_id"],
            ["services_machine.id"],
            name=op.f("fk_services_assignment_machine_id_services_machine"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["services_order.id"],
            name=op.f("fk_services_assignment_order_id_services_order"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services_assignment")),
        sa.UniqueConstraint("order_id", name=op.f("uq_services_assignment_order_id")),
    )
    op.create_index(
        op.f("ix_services_assignment_day"), "services_assignment", ["day"], unique=False
    )
    op.create_index(
        op.f("ix_services_assignment_machine_id"),
        "services_assignment",
        ["machine_id"],
        unique=False,
    )
    op.create_table(
        "services_trusteeship_parcel",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("parcel_code", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["services_trusteeship.id"],
            name=op.f("fk_services_trusteeship_parcel_contract_id_services_trusteeship"),
        ),
        sa.PrimaryKeyConstraint(
            "contract_id", "parcel_code", name=op.f("pk_services_trusteeship_parcel")
        ),
    )


def downgrade() -> None:
    op.drop_table("services_trusteeship_parcel")
    op.drop_index(op.f("ix_services_assignment_machine_id"), table_name="services_assignment")
    op.drop_index(op.f("ix_services_assignment_day"), table_name="services_assignment")
    op.drop_table("services_assignment")
    op.drop_index(op.f("ix_services_work_record_region_code"), table_name="services_work_record")
    op.drop_index(op.f("ix_services_work_record_parcel_code"), table_name="services_work_record")
    op.drop_index(op.f("ix_services_work_record_order_id"), table_name="services_work_record")
    op.drop_table("services_work_record")
    op.drop_index(op.f("ix_services_trusteeship_region_code"), table_name="services_trusteeship")
    op.drop_index(op.f("ix_services_trusteeship_holder_code"), table_name="services_trusteeship")
    op.drop_table("services_trusteeship")
    op.drop_table("services_order_parcel")
    op.drop_index(op.f("ix_services_machine_region_code"), table_name="services_machine")
    op.drop_table("services_machine")
    op.drop_index(
        op.f("ix_services_drying_booking_region_code"), table_name="services_drying_booking"
    )
    op.drop_index(
        op.f("ix_services_drying_booking_centre_id"), table_name="services_drying_booking"
    )
    op.drop_table("services_drying_booking")
    op.drop_index(op.f("ix_services_provider_region_code"), table_name="services_provider")
    op.drop_table("services_provider")
    op.drop_index(op.f("ix_services_order_region_code"), table_name="services_order")
    op.drop_index(op.f("ix_services_order_holder_code"), table_name="services_order")
    op.drop_index(op.f("ix_services_order_earliest"), table_name="services_order")
    op.drop_table("services_order")
    op.drop_index(
        op.f("ix_services_drying_centre_region_code"), table_name="services_drying_centre"
    )
    op.drop_table("services_drying_centre")
