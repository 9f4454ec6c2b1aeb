"""leaner registry and yearly tables

Revision ID: 0007
Revises: 0006

The code registry and the yearly figures hold tens of millions of small rows. On
SQLite they become WITHOUT ROWID tables (one b-tree instead of two); the indexes on
low-selectivity columns (a code's kind, a figure's year) go; the national code is
indexed only where present; a person's ID number is unique through an index, which a
bulk load can build after the rows.
"""

from typing import Literal

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NATIONAL_CODE_PRESENT = sa.text("national_code IS NOT NULL")


def recreate() -> Literal["always", "auto"]:
    """SQLite changes a table's storage only by copying it; PostgreSQL alters in place."""
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


def upgrade() -> None:
    with op.batch_alter_table(
        "identity_code", recreate=recreate(), table_kwargs={"sqlite_with_rowid": False}
    ) as batch_op:
        batch_op.drop_index("ix_identity_code_kind")
        batch_op.drop_constraint("uq_identity_code_national_code", type_="unique")
        batch_op.create_index(
            "uq_identity_code_national_code",
            ["national_code"],
            unique=True,
            sqlite_where=NATIONAL_CODE_PRESENT,
            postgresql_where=NATIONAL_CODE_PRESENT,
        )
    for table in ("monitor_household_year", "monitor_person_year"):
        with op.batch_alter_table(
            table, recreate=recreate(), table_kwargs={"sqlite_with_rowid": False}
        ) as batch_op:
            batch_op.drop_index(f"ix_{table}_year")
    with op.batch_alter_table("monitor_person") as batch_op:
        batch_op.drop_constraint("uq_monitor_person_id_number", type_="unique")
        batch_op.create_index("uq_monitor_person_id_number", ["id_number"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("monitor_person") as batch_op:
        batch_op.drop_index("uq_monitor_person_id_number")
        batch_op.create_unique_constraint("uq_monitor_person_id_number", ["id_number"])
    for table in ("monitor_person_year", "monitor_household_year"):
        with op.batch_alter_table(
            table, recreate=recreate(), table_kwargs={"sqlite_with_rowid": True}
        ) as batch_op:
            batch_op.create_index(f"ix_{table}_year", ["year"], unique=False)
    with op.batch_alter_table(
        "identity_code", recreate=recreate(), table_kwargs={"sqlite_with_rowid": True}
    ) as batch_op:
        batch_op.drop_index("uq_identity_code_national_code")
        batch_op.create_unique_constraint("uq_identity_code_national_code", ["national_code"])
        batch_op.create_index("ix_identity_code_kind", ["kind"], unique=False)
