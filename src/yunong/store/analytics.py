"""DuckDB connection for batch analytics over the operational database.

Extensions come from the ``duckdb-extension-*`` packages installed with
Yunong and are loaded by file path; DuckDB never downloads anything at run
time (``autoinstall_known_extensions`` is off).
"""

import importlib.util
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

import duckdb
from sqlalchemy.engine import make_url

from yunong.core.errors import YunongError

EXTENSION_PACKAGES = {
    "spatial": "duckdb_extension_spatial",
    "sqlite_scanner": "duckdb_extension_sqlite_scanner",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
}


T = TypeVar("T")


class ExtensionMissing(YunongError):
    status_code = 500


def extension_path(name: str) -> Path:
    """Where the installed package keeps the ``.duckdb_extension`` file for this DuckDB."""
    spec = importlib.util.find_spec(EXTENSION_PACKAGES[name])
    if spec is None or spec.origin is None:
        raise ExtensionMissing(
            f"未安装 DuckDB 扩展包 {EXTENSION_PACKAGES[name]}，请运行 make setup"
        )
    version = duckdb.__version__
    path = Path(spec.origin).parent / "extensions" / f"v{version}" / f"{name}.duckdb_extension"
    if not path.exists():
        raise ExtensionMissing(f"DuckDB 扩展 {name} 与 DuckDB {version} 版本不符：找不到 {path}")
    return path


def connect(db_url: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with spatial loaded and the operational database attached
    read-only as ``op``.

    >>> con = connect("sqlite:///var/yunong.db")  # doctest: +SKIP
    >>> con.sql("select count(*) from op.region").fetchone()  # doctest: +SKIP
    """
    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    con.load_extension(str(extension_path("spatial")))
    url = make_url(db_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        con.load_extension(str(extension_path("sqlite_scanner")))
        con.execute(f"ATTACH '{url.database}' AS op (TYPE sqlite, READ_ONLY)")
    elif backend == "postgresql":
        con.load_extension(str(extension_path("postgres_scanner")))
        con.execute(f"ATTACH '{libpq_dsn(db_url)}' AS op (TYPE postgres, READ_ONLY)")
    else:
        raise YunongError(f"分析库不支持数据库类型 {backend}")
    return con


def libpq_dsn(db_url: str) -> str:
    """The key=value connection string that DuckDB's postgres extension expects."""
    url = make_url(db_url)
    parts = {
        "host": url.host or "",
        "port": str(url.port or ""),
        "dbname": url.database or "",
        "user": url.username or "",
        "password": url.password or "",
    }
    parts.update({key: str(value) for key, value in url.query.items()})
    return " ".join(f"{key}={value}" for key, value in parts.items() if value).replace("'", "")


def apart(db_url: str, job: Callable[..., T], *args: Any) -> T:
    """``job(db_url, *args)``, in a process of its own when the database is a SQLite file.

    DuckDB reads SQLite through its own copy of the SQLite library, and two copies in one
    process do not see each other's POSIX locks: when DuckDB closes the file, the locks of
    the process's other connections go with it, and their next commit fails with "locking
    protocol" (or worse). A job that attaches the live file while the caller may hold a
    connection to it therefore runs apart; ``job`` and its arguments must be picklable.
    """
    if make_url(db_url).get_backend_name() != "sqlite":
        return job(db_url, *args)
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(job, db_url, *args).result()
