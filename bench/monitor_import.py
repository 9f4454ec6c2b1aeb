"""Importing a 1,000,000-row household workbook (csv) into a Chongqing-scale region table.

Baseline: reading the same file with the csv module alone, in the same run.
"""

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert

from bench.timing import scratch_dir, seconds
from yunong.core.regions.importers import load_districts
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.core.validators import resident_id_check_char
from yunong.demo import scales
from yunong.demo.regions import towns_and_villages
from yunong.monitor.importers import COLUMNS
from yunong.monitor.registry import import_households
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.store.migrate import upgrade

ROWS = 1_000_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林"
GIVEN = "建国秀英志强小梅德才桂兰明华春燕国平晓东丽娟大山"


def regions_database(path: Path) -> tuple[str, list[str]]:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        load_districts(session)
        districts = [
            f"{code}000000"
            for code in (
                "500101",
                "500102",
                "500110",
                "500116",
                "500117",
                "500118",
                "500229",
                "500243",
            )
        ]
        rows = list(towns_and_villages(districts, scales.get("chongqing"), seed=1))
        session.execute(insert(Region), rows)
    villages = [str(row["code"]) for row in rows if row["level"] == 4]
    engine.dispose()
    return url, villages


def write_rows(path: Path, villages: list[str]) -> int:
    rng = random.Random(7)
    written, household = 0, 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([labels[0] for labels in COLUMNS.values()])
        while written < ROWS:
            household += 1
            village = villages[household % len(villages)]
            size = min(rng.randint(1, 5), ROWS - written)
            income = rng.randint(8000, 120000)
            for member in range(size):
                born = date(1940, 1, 1) + timedelta(days=rng.randint(0, 30000))
                # Address digits and sequence come from the row number, so no number repeats.
                first17 = f"50{written // 1000 % 10000:04d}{born:%Y%m%d}{written % 1000:03d}"
                values = {
                    "village": village,
                    "number": f"{household:07d}",
                    "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                    "id_number": first17 + resident_id_check_char(first17),
                    "relation": "户主" if member == 0 else "子女",
                    "phone": "13800000000" if member == 0 else "",
                    "disabled": "否",
                    "student": "否",
                    "migrant": rng.choice(["是", "否", ""]),
                    "income": income if member == 0 else "",
                    "medical": rng.choice(["", "300", "1.2千"]),
                    "disaster": "",
                }
                writer.writerow([values[name] for name in COLUMNS])
                written += 1
    return written


def run() -> None:
    folder = scratch_dir()
    url, villages = regions_database(folder / "import.db")
    path = folder / "households.csv"
    rows = write_rows(path, villages)

    def read_only() -> None:
        with path.open(encoding="utf-8") as handle:
            for _ in csv.reader(handle):
                pass

    engine = make_engine(url)

    def imported() -> None:
        with transaction(make_sessionmaker(engine)) as session:
            result = import_households(session, scope=Scope.system("bench"), path=path, year=2024)
        print(
            f"  households imported {result.households.imported:,}, "
            f"rejected {result.households.rejected:,}, errors {len(result.errors):,}"
        )

    baseline, measured = seconds(read_only), seconds(imported)
    print(f"csv.reader over {rows:,} rows (baseline): {baseline:.2f} s")
    print(
        f"import households, {rows:,} rows: {measured:.2f} s  ratio {measured / baseline:.1f}x"
        f"  ({rows / measured:,.0f} rows/s)"
    )
