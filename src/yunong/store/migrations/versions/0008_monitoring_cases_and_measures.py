"""monitoring cases, steps, visits, self-reports and measures

Revision ID: 0008
Revises: 0007

The case workflow of 防返贫监测 (issue 5): one case per household from alert to closing,
the history of its steps, home visits (each once, by the phone's key), households' own
reports and the household's list of measures (一户一清单) with its progress.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monitor_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("risk_types", sa.String(length=120), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=True),
        sa.Column("has_labour", sa.Boolean(), nullable=True),
        sa.Column("assigned_to", sa.String(length=64), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("identification_due_on", sa.Date(), nullable=False),
        sa.Column("step_started_on", sa.Date(), nullable=False),
        sa.Column("step_due_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.Column("tracked_after_removal", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["monitor_household.id"],
            name=op.f("fk_monitor_case_household_id_monitor_household"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_case")),
        sa.UniqueConstraint("code", name=op.f("uq_monitor_case_code")),
    )
    op.create_index(
        op.f("ix_monitor_case_household_id"), "monitor_case", ["household_id"], unique=False
    )
    op.create_index(op.f("ix_monitor_case_state"), "monitor_case", ["state"], unique=False)
    op.create_index(
        op.f("ix_monitor_case_village_code"), "monitor_case", ["village_code"], unique=False
    )
    op.create_table(
        "monitor_self_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("phone", sa.String(length=11), nullable=True),
        sa.Column("risk_type", sa.String(length=16), nullable=False),
        sa.Column("what_happened", sa.String(length=400), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["monitor_household.id"],
            name=op.f("fk_monitor_self_report_household_id_monitor_household"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_self_report")),
        sa.UniqueConstraint("reference", name=op.f("uq_monitor_self_report_reference")),
    )
    op.create_index(
        op.f("ix_monitor_self_report_village_code"),
        "monitor_self_report",
        ["village_code"],
        unique=False,
    )
    op.create_table(
        "monitor_case_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["monitor_case.id"], name=op.f("fk_monitor_case_step_case_id_monitor_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_case_step")),
    )
    op.create_index(
        op.f("ix_monitor_case_step_case_id"), "monitor_case_step", ["case_id"], unique=False
    )
    op.create_table(
        "monitor_measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("content", sa.String(length=200), nullable=False),
        sa.Column("responsible", sa.String(length=64), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("progress", sa.String(length=400), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["monitor_case.id"], name=op.f("fk_monitor_measure_case_id_monitor_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_measure")),
    )
    op.create_index(
        op.f("ix_monitor_measure_case_id"), "monitor_measure", ["case_id"], unique=False
    )
    op.create_index(
        op.f("ix_monitor_measure_village_code"), "monitor_measure", ["village_code"], unique=False
    )
    op.create_table(
        "monitor_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_key", sa.String(length=64), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("visitor", sa.String(length=64), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("per_capita_income", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("rigid_costs_resolved", sa.Boolean(), nullable=True),
        sa.Column("education_secure", sa.Boolean(), nullable=True),
        sa.Column("medical_secure", sa.Boolean(), nullable=True),
        sa.Column("housing_secure", sa.Boolean(), nullable=True),
        sa.Column("water_secure", sa.Boolean(), nullable=True),
        sa.Column("risks_found", sa.String(length=120), nullable=False),
        sa.Column("note", sa.String(length=400), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["monitor_case.id"], name=op.f("fk_monitor_visit_case_id_monitor_case")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["monitor_household.id"],
            name=op.f("fk_monitor_visit_household_id_monitor_household"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_visit")),
        sa.UniqueConstraint("client_key", name=op.f("uq_monitor_visit_client_key")),
    )
    op.create_index(
        op.f("ix_monitor_visit_household_id"), "monitor_visit", ["household_id"], unique=False
    )
    op.create_index(
        op.f("ix_monitor_visit_village_code"), "monitor_visit", ["village_code"], unique=False
    )
    op.create_table(
        "monitor_measure_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=400), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["monitor_measure.id"],
            name=op.f("fk_monitor_measure_progress_measure_id_monitor_measure"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_measure_progress")),
    )
    op.create_index(
        op.f("ix_monitor_measure_progress_measure_id"),
        "monitor_measure_progress",
        ["measure_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_monitor_measure_progress_measure_id"), table_name="monitor_measure_progress"
    )
    op.drop_table("monitor_measure_progress")
    op.drop_index(op.f("ix_monitor_visit_village_code"), table_name="monitor_visit")
    op.drop_index(op.f("ix_monitor_visit_household_id"), table_name="monitor_visit")
    op.drop_table("monitor_visit")
    op.drop_index(op.f("ix_monitor_measure_village_code"), table_name="monitor_measure")
    op.drop_index(op.f("ix_monitor_measure_case_id"), table_name="monitor_measure")
    op.drop_table("monitor_measure")
    op.drop_index(op.f("ix_monitor_case_step_case_id"), table_name="monitor_case_step")
    op.drop_table("monitor_case_step")
    op.drop_index(op.f("ix_monitor_self_report_village_code"), table_name="monitor_self_report")
    op.drop_table("monitor_self_report")
    op.drop_index(op.f("ix_monitor_case_village_code"), table_name="monitor_case")
    op.drop_index(op.f("ix_monitor_case_state"), table_name="monitor_case")
    op.drop_index(op.f("ix_monitor_case_household_id"), table_name="monitor_case")
    op.drop_table("monitor_case")
