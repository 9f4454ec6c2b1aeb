"""Build the demo database: regions and accounts, then each module's data."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, func, insert, inspect, select
from sqlalchemy.orm import Session

from yunong.core.errors import Conflict
from yunong.core.regions.codes import Level
from yunong.core.regions.importers import load_districts
from yunong.core.regions.models import Region
from yunong.demo import scales
from yunong.demo.assess import create_assess
from yunong.demo.cases import create_cases
from yunong.demo.households import create_households
from yunong.demo.land import generated_in_background
from yunong.demo.regions import towns_and_villages
from yunong.demo.trace import create_trace_demo
from yunong.demo.users import create_demo_users, demo_regions
from yunong.policy import loader as policy
from yunong.store.db import make_sessionmaker, rebuilding, transaction
from yunong.store.migrate import drop_all, upgrade
from yunong.store.models import AppMeta

Progress = Callable[[str, int, int], None]
"""Called with (step name, done, total) as the build advances."""

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
    """Drop every table, migrate, and fill the database with each module's demo data."""
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
        accounts = create_demo_users(session)
        session.add(AppMeta(key="demo_scale", value=scale.name))
        regions = count_regions(session)
    # Monitoring and land data are written by DuckDB on connections of their own, so the
    # regions they hang on are committed first; a failure leaves a demo database that the
    # next run rebuilds. The land is made ready beside everything up to its loading, which
    # comes as late as it can: the scores read it.
    with generated_in_background(engine, scale=scale, seed=SEED) as land_build:
        monitored = create_households(engine, scale=scale, seed=SEED, progress=report)
        with transaction(make_sessionmaker(engine)) as session:
            accounts += create_trace_demo(session, demo_village=demo_regions(session)["village"])
            report("农品一码通", 1, 1)
            demo_village = demo_regions(session)["village"]
        # Cases follow the households and every other code the demo issues, whose serials
        # they continue.
        cases = create_cases(engine, pack=policy.get(), seed=SEED, demo_village=demo_village)
        report("监测案件", 1, 1)
        land = land_build.load(engine, progress=report)
    # Scores read the cases and land above, so the assessment comes last.
    create_assess(engine, pack=policy.get(), seed=SEED)
    report("考核驾驶舱", 1, 1)
    return DemoResult(
        regions=regions,
        accounts=accounts,
        households=monitored.households,
        persons=monitored.persons,
        signals=monitored.signals,
        parcels=land.parcels,
        cases=cases.cases,
    )


def refuse_if_real_data(engine: Engine) -> None:
    """The demo rebuilds the database, so it only touches an empty or demo database."""
    if not inspect(engine).has_table("region"):
        return
    with transaction(make_sessionmaker(engine)) as session:
        has_regions = session.scalars(select(Region.code).limit(1)).first() is not None
        is_demo = session.get(AppMeta, "demo_scale") is not None
    if has_regions and not is_demo:
        raise Conflict("该数据库含有非演示数据，yunong demo 不会覆盖它；请为演示另设 YUNONG_DB_URL")


def count_regions(session: Session) -> dict[str, int]:
    counts: dict[int, int] = {
        level: number
        for level, number in session.execute(
            select(Region.level, func.count()).group_by(Region.level)
        )
    }
    return {level.label: counts.get(int(level), 0) for level in Level}
