"""Migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from yunong.store.all_models import Base


def test_migrated_schema_matches_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    ignorable = {"spatial_ref_sys"}  # PostGIS's own table
    assert [d for d in differences if not (d[0] == "remove_table" and d[1].name in ignorable)] == []
