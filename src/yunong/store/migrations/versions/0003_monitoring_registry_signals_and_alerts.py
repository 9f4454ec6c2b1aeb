"""monitoring registry, signals and alerts

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monitor_household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["village_code"], ["region.code"], name=op.f("fk_monitor_household_village_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_household")),
        sa.UniqueConstraint("code", name=op.f("uq_monitor_household_code")),
        sa.UniqueConstraint(
            "village_code", "number", name=op.f("uq_monitor_household_village_code")
        ),
    )
    with op.batch_alter_table("monitor_household", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitor_household_village_code"), ["village_code"], unique=False
        )

    op.create_table(
        "monitor_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("risk_type", sa.String(length=16), nullable=False),
        sa.Column("rules", sa.String(length=300), nullable=False),
        sa.Column("sources", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("screened_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["monitor_household.id"],
            name=op.f("fk_monitor_alert_household_id_monitor_household"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_alert")),
        sa.UniqueConstraint(
            "household_id", "year", "risk_type", name=op.f("uq_monitor_alert_household_id")
        ),
    )
    with op.batch_alter_table("monitor_alert", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitor_alert_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_monitor_alert_village_code"), ["village_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_monitor_alert_year"), ["year"], unique=False)

    op.create_table(
        "monitor_household_year",
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("members", sa.SmallInteger(), nullable=False),
        sa.Column("net_income", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("per_capita_income", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("disaster", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["monitor_household.id"],
            name=op.f("fk_monitor_household_year_household_id_monitor_household"),
        ),
        sa.PrimaryKeyConstraint("household_id", "year", name=op.f("pk_monitor_household_year")),
    )
    with op.batch_alter_table("monitor_household_year", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitor_household_year_year"), ["year"], unique=False)

    op.create_table(
        "monitor_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("relation", sa.String(length=16), nullable=False),
        sa.Column("phone", sa.String(length=11), nullable=True),
        sa.Column("left_year", sa.SmallInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["monitor_household.id"],
            name=op.f("fk_monitor_person_household_id_monitor_household"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_person")),
        sa.UniqueConstraint("code", name=op.f("uq_monitor_person_code")),
        sa.UniqueConstraint("id_number", name=op.f("uq_monitor_person_id_number")),
    )
    with op.batch_alter_table("monitor_person", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitor_person_household_id"), ["household_id"], unique=False
        )

    op.create_table(
        "monitor_person_year",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("student", sa.Boolean(), nullable=False),
        sa.Column("medical_out_of_pocket", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["monitor_person.id"],
            name=op.f("fk_monitor_person_year_person_id_monitor_person"),
        ),
        sa.PrimaryKeyConstraint("person_id", "year", name=op.f("pk_monitor_person_year")),
    )
    with op.batch_alter_table("monitor_person_year", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitor_person_year_year"), ["year"], unique=False)

    op.create_table(
        "monitor_signal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("signal_date", sa.Date(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["monitor_household.id"],
            name=op.f("fk_monitor_signal_household_id_monitor_household"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["monitor_person.id"],
            name=op.f("fk_monitor_signal_person_id_monitor_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_signal")),
        sa.UniqueConstraint(
            "source", "person_id", "signal_date", "kind", name=op.f("uq_monitor_signal_source")
        ),
    )
    with op.batch_alter_table("monitor_signal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitor_signal_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_monitor_signal_year"), ["year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("monitor_signal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitor_signal_year"))
        batch_op.drop_index(batch_op.f("ix_monitor_signal_household_id"))

    op.drop_table("monitor_signal")
    with op.batch_alter_table("monitor_person_year", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitor_person_year_year"))

    op.drop_table("monitor_person_year")
    with op.batch_alter_table("monitor_person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitor_person_household_id"))

    op.drop_table("monitor_person")
    with op.batch_alter_table("monitor_household_year", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitor_household_year_year"))

    op.drop_table("monitor_household_year")
    with op.batch_alter_table("monitor_alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitor_alert_year"))
        batch_op.drop_index(batch_op.f("ix_monitor_alert_village_code"))
        batch_op.drop_index(batch_op.f("ix_monitor_alert_household_id"))

    op.drop_table("monitor_alert")
    with op.batch_alter_table("monitor_household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitor_household_village_code"))

    op.drop_table("monitor_household")
