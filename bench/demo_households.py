"""`yunong demo --scale chongqing` with its 3.5 million monitored households, against
`--scale small` as the baseline; both as fresh processes into the default SQLite file."""

import shutil
from pathlib import Path

from sqlalchemy import func, select

from bench.timing import scratch_dir, yunong_command
from yunong.monitor.models import Household, Person
from yunong.store.db import make_engine, make_sessionmaker, transaction


def counts(var_dir: Path) -> tuple[int, int]:
    engine = make_engine(f"sqlite:///{var_dir / 'yunong.db'}")
    with transaction(make_sessionmaker(engine)) as session:
        households = session.scalar(select(func.count()).select_from(Household)) or 0
        persons = session.scalar(select(func.count()).select_from(Person)) or 0
    engine.dispose()
    return households, persons


def demo(scale: str) -> tuple[float, int, int]:
    var_dir = scratch_dir()
    try:
        elapsed = yunong_command("demo", "--scale", scale, var_dir=var_dir)
        return elapsed, *counts(var_dir)
    finally:
        shutil.rmtree(var_dir)  # the chongqing database takes about 6 GB


def run() -> None:
    small, small_households, small_persons = demo("small")
    full, households, persons = demo("chongqing")
    print(
        f"demo --scale small (baseline): {small:.1f} s  {small_households:,} households, "
        f"{small_persons:,} persons, {small_households / small:,.0f} households/s"
    )
    print(
        f"demo --scale chongqing:        {full:.1f} s  {households:,} households, "
        f"{persons:,} persons, {households / full:,.0f} households/s, {persons / full:,.0f} "
        f"persons/s  ratio {full / small:.1f}x time for {households / small_households:.0f}x "
        f"households"
    )
