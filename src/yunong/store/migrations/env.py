from alembic import context

from yunong.store.all_models import Base
from yunong.store.db import foreign_keys_off

engine = context.config.attributes["engine"]

with engine.connect() as connection, foreign_keys_off(connection):
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
