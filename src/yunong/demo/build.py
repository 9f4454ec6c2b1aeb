"""Build the demo database: regions and accounts, then each application's demo steps."""

from contextlib import ExitStack
from dataclasses import dataclass

from sqlalchemy import Engine, func, insert, inspect, select
from sqlalchemy.orm import Session

from yunong import apps
from yunong.core.application import resolve
from yunong.core.audit.models import AuditHead
from yunong.core.errors import Conflict
from yunong.core.regions.codes import Level
from yunong.core.regions.importers import load_districts
from yunong.core.regions.models import Region
from yunong.demo import scales
from yunong.demo.geography import create_geography
from yunong.demo.regions import towns_and_villages
from yunong.demo.steps import Context, Progress
from yunong.demo.users import create_demo_users
from yunong.policy import loader as policy
from yunong.store.all_models import Base
from yunong.store.db import make_sessionmaker, rebuilding, transaction
from yunong.store.migrate import drop_all, upgrade
from yunong.store.models import AppMeta

SEED = 20240101
CHUNK = 2000


@dataclass(frozen=True)
class DemoResult:
    regions: dict[str, int]
    accounts: list[tuple[str, str, str, str]]
    """(name, password, role, region code) of each demo account."""
    households: int = 0
    persons: int = 0
    signals: int = 0
    parcels: int = 0
    cases: int = 0


def build(engine: Engine, *, scale_name: str, progress: Progress | None = None) -> DemoResult:
    """Replace the database's contents with demo data at ``scale_name``."""
    scale = scales.get(scale_name)
    refuse_if_real_data(engine)
    with rebuilding(engine) as unsynced:
        return rebuild(unsynced, scale, progress)


def rebuild(engine: Engine, scale: scales.Scale, progress: Progress | None) -> DemoResult:
    """Drop every table, migrate, add regions and accounts, then run every demo step."""
    drop_all(engine)
    upgrade(engine)
    report = progress or (lambda _step, _done, _total: None)
    with transaction(make_sessionmaker(engine)) as session:
        load_districts(session)
        districts = list(
            session.scalars(select(Region.code).where(Region.level == int(Level.DISTRICT)))
        )
        rows = list(towns_and_villages(districts, scale, SEED))
        done = 0
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            session.execute(insert(Region), chunk)
            done += len(chunk)
            report("区划", done, len(rows))
        create_geography(session, seed=SEED)
        accounts = create_demo_users(session)
        session.add(AppMeta(key="demo_scale", value=scale.name))
        regions = count_regions(session)
    # Steps that write through DuckDB use connections of their own, so the regions they
    # hang on are committed first; a failure leaves a demo database that the next run
    # rebuilds.
    with ExitStack() as resources:
        context = Context(engine, scale, SEED, policy.get(), report, resources, accounts=accounts)
        for step in apps.demo_steps():
            resolve(step.function)(context)
    return DemoResult(regions=regions, accounts=context.accounts, **context.counts)


def refuse_if_real_data(engine: Engine) -> None:
    """The demo rebuilds the database, so it only touches an empty or demo database.

    A database that ``yunong init`` made holds the 38 districts and nothing else: that is
    reference data, not anybody's work, and the demo may replace it.
    """
    existing = set(inspect(engine).get_table_names())
    with transaction(make_sessionmaker(engine)) as session:
        if "app_meta" in existing and session.get(AppMeta, "demo_scale") is not None:
            return
        if holds_user_data(session, existing):
            raise Conflict(
                "该数据库含有非演示数据，yunong demo 不会覆盖它；请为演示另设 YUNONG_DB_URL"
            )


def holds_user_data(session: Session, existing: set[str]) -> bool:
    """Whether any table has rows beyond the districts that ``yunong init`` loads."""
    for table in Base.metadata.sorted_tables:
        if table.name not in existing or table.name in REFERENCE_TABLES:
            continue
        query = select(table).limit(1)
        if table.name == Region.__tablename__:
            query = query.where(Region.level > int(Level.DISTRICT))
        if session.execute(query).first() is not None:
            return True
    return False


REFERENCE_TABLES = {AppMeta.__tablename__, AuditHead.__tablename__}
"""Bookkeeping that a new database has too: the chain's head says where the next record
goes, and ``audit_record`` holds the records themselves."""


def count_regions(session: Session) -> dict[str, int]:
    counts: dict[int, int] = {
        level: number
        for level, number in session.execute(
            select(Region.level, func.count()).group_by(Region.level)
        )
    }
    return {level.label: counts.get(int(level), 0) for level in Level}
