"""Importing the 2 million demo parcels from a GeoPackage land-survey layer into an empty
registry, against reading the same file with pyogrio alone as the baseline."""

import pyogrio

from bench import land_demo
from bench.timing import scratch_dir, seconds
from yunong.core.scope import Scope
from yunong.land import importers
from yunong.store.db import make_sessionmaker, transaction


def run() -> None:
    path = land_demo.survey_layer()
    read = seconds(lambda: pyogrio.read_dataframe(path))
    engine = land_demo.regions_only(scratch_dir() / "import.db")
    result = None

    def load() -> None:
        nonlocal result
        with transaction(make_sessionmaker(engine)) as session:
            result = importers.import_file(
                session, scope=Scope.system("bench"), path=path, layer="parcels"
            )

    took = seconds(load)
    engine.dispose()
    assert result is not None
    print(f"pyogrio.read_dataframe of {result.features:,} features (baseline): {read:.1f} s")
    print(
        f"yunong land import: {took:.1f} s, {result.imported:,} parcels imported, "
        f"{result.rejected:,} refused, {result.features / took:,.0f} parcels/s, "
        f"ratio {took / read:.1f}x the read alone"
    )
