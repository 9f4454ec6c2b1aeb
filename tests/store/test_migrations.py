"""Migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from yunong.land import spatial
from yunong.store.all_models import Base


def test_migrated_schema_matches_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert [d for d in differences if not ignorable(d)] == []


def ignorable(difference: tuple) -> bool:
    """PostGIS's own table, and the spatial index beside the land tables."""
    kind, item = difference[0], difference[1]
    if kind == "remove_table":
        return item.name == "spatial_ref_sys" or spatial.is_index_object(item.name)
    return kind == "remove_index" and spatial.is_index_object(item.name)
