"""Open the configured operational store, with clear messages when it is not there."""

from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from yunong.store.db import DatabaseMissing, make_engine
from yunong.store.migrate import upgrade


def open_engine(
    url: str, *, create: bool = False, pool_size: int = 5, pool_timeout: float = 30.0
) -> Engine:
    """An engine for ``url``; with ``create`` the schema is created or migrated first.
    ``pool_size`` and ``pool_timeout`` size its connection pool (see ``make_engine``).

    Without ``create``, a database that does not exist or was never
    initialised is refused with a message saying how to create it.
    """
    parsed = make_url(url)
    if not create and parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database not in ("", ":memory:") and not Path(database).exists():
            raise DatabaseMissing(f"数据库文件 {database} 不存在，请先运行 yunong init")
    engine = make_engine(url, pool_size=pool_size, pool_timeout=pool_timeout)
    try:
        if create:
            upgrade(engine)
        elif not inspect(engine).has_table("alembic_version"):
            raise DatabaseMissing(
                f"数据库 {parsed.render_as_string()} 尚未初始化，请先运行 yunong init"
            )
    except OperationalError as error:
        engine.dispose()
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise DatabaseMissing(f"无法连接数据库 {parsed.render_as_string()}：{reason}") from None
    return engine
