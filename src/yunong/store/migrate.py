"""Create or migrate the operational database with Alembic."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema; running it twice changes nothing."""
    command.upgrade(alembic_config(engine), "head")


def downgrade_to_empty(engine: Engine) -> None:
    command.downgrade(alembic_config(engine), "base")
