"""keyed audit chain and public scan signals

The audit head gets the keyed code of the newest record. Records already written keep
their plain SHA-256 (see ``YUNONG_AUDIT_LEGACY_UNTIL``): the key is not the database's
to know, so a migration cannot key them.

Scanners' positions become reports, one per client and batch, and counterfeit flags wait
for an official: flags raised before are pending again, since anonymous scans alone
raised them. Accounts of inspection agencies are registered, since only they and the
producer itself may record a batch's quality test. A household's yearly figures keep what
the roster's 受灾情况 said when it was more than a grade.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=64), nullable=True))
    with op.batch_alter_table("monitor_household_year", schema=None) as batch_op:
        batch_op.add_column(sa.Column("disaster_note", sa.String(length=40), nullable=True))
    op.create_table(
        "trace_scan_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=32), nullable=False),
        sa.Column("place", sa.String(length=24), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["trace_batch.id"], name=op.f("fk_trace_scan_report_batch_id_trace_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_scan_report")),
        sa.UniqueConstraint("batch_id", "client", name=op.f("uq_trace_scan_report_batch_id")),
    )
    with op.batch_alter_table("trace_scan_report", schema=None) as batch_op:
        batch_op.create_index(
            "ix_trace_scan_report_client_reported_at", ["client", "reported_at"], unique=False
        )
    op.create_table(
        "trace_inspector",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=80), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("registered_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_trace_inspector_region_code_region")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_trace_inspector_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_trace_inspector")),
    )
    with op.batch_alter_table("trace_inspector", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trace_inspector_region_code"), ["region_code"], unique=False
        )
    with op.batch_alter_table("trace_scan_flag", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("state", sa.String(length=12), server_default="pending", nullable=False)
        )
        batch_op.add_column(sa.Column("decided_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("note", sa.String(length=200), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("trace_scan_flag", schema=None) as batch_op:
        batch_op.drop_column("note")
        batch_op.drop_column("decided_at")
        batch_op.drop_column("decided_by")
        batch_op.drop_column("state")
    with op.batch_alter_table("trace_inspector", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trace_inspector_region_code"))
    op.drop_table("trace_inspector")
    with op.batch_alter_table("trace_scan_report", schema=None) as batch_op:
        batch_op.drop_index("ix_trace_scan_report_client_reported_at")
    op.drop_table("trace_scan_report")
    with op.batch_alter_table("monitor_household_year", schema=None) as batch_op:
        batch_op.drop_column("disaster_note")
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.drop_column("code")
