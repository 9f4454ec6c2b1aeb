"""Demo monitoring cases (planned in DuckDB, opened through ``opening.open_cases``, their
history written in bulk), against the service functions case by case.

The demo of the given scale (``small`` unless ``BENCH_CASES_SCALE`` says otherwise) is
built once; its cases are then removed and written again by ``create_cases`` (timed). The
baseline opens a case for each household of the demo village (at most 200) through
``opening.open_case`` and takes it two steps further, as the web app would; the ratio
compares the time per case.
"""

import os
from datetime import date

from sqlalchemy import Engine, delete, select

from bench.timing import scratch_dir, seconds
from yunong.core.auth.roles import Role
from yunong.core.identity.models import IdentityCode, IdentityLink, IdentitySerial
from yunong.core.scope import Scope
from yunong.demo.build import SEED, build
from yunong.demo.cases import create_cases
from yunong.demo.users import demo_regions
from yunong.monitor import opening, workflow
from yunong.monitor.models import (
    Alert,
    Case,
    CaseStep,
    Household,
    Measure,
    MeasureProgress,
    Signal,
    Visit,
)
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction

BASELINE_CASES = 200
TODAY = date(2024, 11, 15)


def remove_cases(engine: Engine) -> None:
    with transaction(make_sessionmaker(engine)) as session:
        session.execute(delete(Signal).where(Signal.source == "visit"))
        for model in (Visit, MeasureProgress, Measure, CaseStep):
            session.execute(delete(model))
        session.execute(delete(IdentityLink).where(IdentityLink.relation == "case"))
        session.execute(delete(Case))
        session.execute(delete(Alert))
        session.execute(delete(IdentityCode).where(IdentityCode.entity_type == "monitor_case"))
        session.execute(delete(IdentitySerial).where(IdentitySerial.kind == "E"))


def run() -> None:
    scale = os.environ.get("BENCH_CASES_SCALE", "small")
    folder = scratch_dir()
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    build(engine, scale_name=scale)
    with transaction(make_sessionmaker(engine)) as session:
        village = demo_regions(session)["village"]
    remove_cases(engine)
    counts = None

    def set_based() -> None:
        nonlocal counts
        counts = create_cases(
            engine, pack=loader.get(), seed=SEED, demo_village=village, today=TODAY
        )

    fast = seconds(set_based)
    assert counts is not None
    remove_cases(engine)
    opened = 0

    def one_by_one() -> None:
        nonlocal opened
        with transaction(make_sessionmaker(engine)) as session:
            in_village = session.scalars(
                select(Household.id).where(Household.village_code == village)
            ).all()
        opened = min(len(in_village), BASELINE_CASES)
        through_services(engine, village, opened)

    slow = seconds(one_by_one)
    per_fast = fast / max(counts.cases, 1)
    per_slow = slow / max(opened, 1)
    print(
        f"scale {scale}: {counts.cases} cases, {counts.alerts} alerts, {counts.measures} measures"
    )
    print(f"set-based create_cases: {fast:.2f} s ({per_fast * 1000:.3f} ms a case)")
    print(f"service functions, {opened} cases: {slow:.2f} s ({per_slow * 1000:.3f} ms a case)")
    print(f"ratio per case: {per_slow / per_fast:.0f}× faster")


def through_services(engine: Engine, village: str, limit: int) -> None:
    """Open ``limit`` cases in the demo village and take each through two steps."""
    pack = loader.get()
    with transaction(make_sessionmaker(engine)) as session:
        households = session.scalars(
            select(Household).where(Household.village_code == village).limit(limit)
        ).all()
        cadre = Scope(actor="c", region_code=village, role=Role.VILLAGE_CADRE.value)
        grid = Scope(actor="demo_grid", region_code=village, role=Role.GRID_WORKER.value)
        for household in households:
            alert = Alert(
                household_id=household.id,
                village_code=village,
                year=2024,
                risk_type="其他",
                rules="bench",
                sources="bench",
                status="open",
            )
            session.add(alert)
            session.flush()
            case = opening.open_case(
                session,
                scope=cadre,
                alert_id=alert.id,
                grid_worker="demo_grid",
                pack=pack,
                today=TODAY,
            )
            for step, scope in (("verify", grid), ("village_review", cadre)):
                workflow.take_step(
                    session, scope=scope, case=case, step_name=step, pack=pack, today=TODAY
                )
