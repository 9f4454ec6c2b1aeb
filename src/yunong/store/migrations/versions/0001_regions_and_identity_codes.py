"""regions and identity codes

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_meta",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_meta")),
    )
    op.create_table(
        "identity_serial",
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("last_serial", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "region_code", name=op.f("pk_identity_serial")),
    )
    op.create_table(
        "region",
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("parent_code", sa.String(length=12), nullable=True),
        sa.Column("urban_rural_class", sa.String(length=3), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_code"], ["region.code"], name=op.f("fk_region_parent_code_region")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_region")),
    )
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_region_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_region_parent_code"), ["parent_code"], unique=False)

    op.create_table(
        "identity_code",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("national_code", sa.String(length=40), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_identity_code_region_code_region")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_identity_code")),
        sa.UniqueConstraint("national_code", name=op.f("uq_identity_code_national_code")),
    )
    with op.batch_alter_table("identity_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_code_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_identity_code_region_code"), ["region_code"], unique=False
        )

    op.create_table(
        "identity_link",
        sa.Column("from_code", sa.String(length=20), nullable=False),
        sa.Column("relation", sa.String(length=40), nullable=False),
        sa.Column("to_code", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("from_code <> to_code", name=op.f("ck_identity_link_not_self")),
        sa.ForeignKeyConstraint(
            ["from_code"],
            ["identity_code.code"],
            name=op.f("fk_identity_link_from_code_identity_code"),
        ),
        sa.ForeignKeyConstraint(
            ["to_code"], ["identity_code.code"], name=op.f("fk_identity_link_to_code_identity_code")
        ),
        sa.PrimaryKeyConstraint("from_code", "relation", "to_code", name=op.f("pk_identity_link")),
    )
    with op.batch_alter_table("identity_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_link_to_code"), ["to_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("identity_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_link_to_code"))

    op.drop_table("identity_link")
    with op.batch_alter_table("identity_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_code_region_code"))
        batch_op.drop_index(batch_op.f("ix_identity_code_kind"))

    op.drop_table("identity_code")
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_region_parent_code"))
        batch_op.drop_index(batch_op.f("ix_region_level"))

    op.drop_table("region")
    op.drop_table("identity_serial")
    op.drop_table("app_meta")
