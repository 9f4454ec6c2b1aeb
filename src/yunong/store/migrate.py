"""Create or migrate the operational database with Alembic."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from yunong.store.all_models import Base
from yunong.store.db import foreign_keys_off

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema; running it twice changes nothing."""
    command.upgrade(alembic_config(engine), "head")


def drop_all(engine: Engine) -> None:
    """Drop every table of the schema, with no migration steps between: a demo rebuild
    would otherwise copy gigabytes through the downgrades' table rebuilds."""
    with engine.connect() as connection, foreign_keys_off(connection), connection.begin():
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        if connection.dialect.name == "sqlite":
            # Virtual tables (the R-tree spatial indexes) are not models.
            virtual = connection.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                    " AND sql LIKE 'CREATE VIRTUAL TABLE%'"
                )
            ).scalars()
            for name in list(virtual):
                connection.execute(text(f'DROP TABLE IF EXISTS "{name}"'))
    if engine.dialect.name == "sqlite":
        vacuum(engine)


def vacuum(engine: Engine) -> None:
    """Rewrite the emptied SQLite file: it gives the dropped tables' pages back and takes
    the engine's page size (outside WAL mode), so the tables that follow are written
    from a clean file."""
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None
        driver.execute("VACUUM")
