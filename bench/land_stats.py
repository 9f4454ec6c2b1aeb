"""The full land statistics job at 2 million parcels (every district, town and village:
areas by kind, class and slope, protection, abandonment and re-cultivation), against
reading the parcel table into pandas and grouping it the straightforward way as the
baseline; then the re-cultivation and non-grain lists, timed on their own."""

import pandas as pd
from sqlalchemy import Engine, text

from bench import land_demo
from bench.timing import seconds
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.land import jobs
from yunong.policy import loader
from yunong.store.db import make_engine

COLUMNS = (
    "village_code, kind, land_class, area_m2, slope_grade, permanent_farmland, high_standard, "
    "current_use, recultivated_year"
)


def pandas_statistics(engine: Engine) -> int:
    """The same district, town and village totals with pandas over the table read whole."""
    with engine.connect() as connection:
        frame = pd.read_sql(text(f"select {COLUMNS} from land_parcel"), connection)
    frame["area_m2"] = frame["area_m2"].astype(float)
    cultivated = frame["kind"] == "cultivated"
    groups = 0
    for length in (6, 9, 12):
        region = frame["village_code"].str[:length]
        groups += len(frame.groupby([region, "kind"])["area_m2"].sum())
        groups += len(frame.groupby([region, "land_class"])["area_m2"].sum())
        groups += len(
            frame[cultivated].groupby([region[cultivated], "slope_grade"])["area_m2"].sum()
        )
        protected = frame[cultivated & frame["permanent_farmland"].astype(bool)]
        groups += len(protected.groupby([region, "high_standard"])["area_m2"].sum())
        abandoned = frame[cultivated & (frame["current_use"] == "abandoned")]
        groups += len(abandoned.groupby([region, "slope_grade"])["area_m2"].sum())
    return groups


def run() -> None:
    engine = make_engine(land_demo.url())
    scope, pack = Scope.system("bench"), loader.get()
    baseline = seconds(lambda: pandas_statistics(engine))
    regions = 0

    def job() -> None:
        nonlocal regions
        levels = [Level.DISTRICT, Level.TOWN, Level.VILLAGE]
        found = jobs.statistics_by_level(engine, scope=scope, pack=pack, levels=levels)
        regions = sum(len(stats) for stats in found.values())

    took = seconds(job)
    listed: list[int] = []
    recultivation = seconds(
        lambda: listed.append(len(jobs.recultivation_list(engine, scope=scope, pack=pack).items))
    )
    non_grain = seconds(
        lambda: listed.append(len(jobs.non_grain_list(engine, scope=scope, pack=pack)))
    )
    engine.dispose()
    print(f"pandas: read the parcel table and group it by region (baseline): {baseline:.1f} s")
    print(
        f"DuckDB statistics for {regions:,} regions at three levels: {took:.1f} s  "
        f"ratio {baseline / took:.1f}x faster"
    )
    print(
        f"re-cultivation list ({listed[0]:,} parcels with holders): {recultivation:.1f} s, "
        f"non-grain list ({listed[1]:,} parcels): {non_grain:.1f} s"
    )
