"""Screening every rule over the chongqing-scale demo, against a per-household Python loop.

The baseline is the straightforward way: for each household, load its ORM objects and
evaluate every rule in Python; it runs on a 100,000-household sample and the speed-up is
per household.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from bench import land_demo
from bench.timing import seconds
from yunong.core.scope import Scope
from yunong.monitor import jobs
from yunong.monitor.models import Household, HouseholdYear, Person, PersonYear, Signal
from yunong.policy import loader
from yunong.policy.schema import Pack
from yunong.store.db import make_engine, make_sessionmaker

YEAR = 2024
SAMPLE = 100_000


def python_risks(session: Session, household: Household, pack: Pack) -> set[str]:
    """Every rule for one household, evaluated over its ORM objects."""
    rules, monitoring = pack.monitoring.rules, pack.monitoring
    line = monitoring.line_for(YEAR)
    figures = session.get(HouseholdYear, (household.id, YEAR))
    if figures is None:
        return set()
    before = session.get(HouseholdYear, (household.id, YEAR - 1))
    persons = session.scalars(select(Person).where(Person.household_id == household.id)).all()
    years = [session.get(PersonYear, (person.id, YEAR)) for person in persons]
    signals = session.scalars(select(Signal).where(Signal.household_id == household.id)).all()
    this_year = [signal for signal in signals if signal.year == YEAR]
    pc = float(figures.per_capita_income or 0)
    income = float(figures.net_income or 0)
    tripped = set()

    def total(source: str, kind: str | None = None) -> float:
        return sum(
            float(s.amount or 0)
            for s in this_year
            if s.source == source and (kind is None or s.kind == kind)
        )

    def kinds(source: str) -> set[str]:
        return {s.kind for s in this_year if s.source == source}

    if pc < line:
        tripped.add("income_below_line")
    rule = rules["income_sharp_fall"]
    if (
        before
        and before.per_capita_income
        and pc < line * (rule.factor or 0)
        and pc <= float(before.per_capita_income) * (1 - (rule.share or 0))
    ):
        tripped.add("income_sharp_fall")
    rule = rules["medical_cost_high"]
    spent = sum(float(y.medical_out_of_pocket) for y in years if y)
    claimed = total("medical_insurance", "illness")
    if any(
        x >= (rule.amount or 0) or (income > 0 and x >= (rule.share or 0) * income)
        for x in (spent, claimed)
        if x
    ):
        tripped.add("medical_cost_high")
    if any(y and y.student for y in years) and pc < line * (rules["education_burden"].factor or 0):
        tripped.add("education_burden")
    if any(y and y.disabled for y in years) and pc < line * (
        rules["disability_burden"].factor or 0
    ):
        tripped.add("disability_burden")
    if (
        figures.disaster in ("一般", "严重")
        or total("disaster") >= (rules["disaster_loss"].amount or 0) > 0
    ):
        tripped.add("disaster_loss")
    if total("medical_insurance", "accident") >= (rules["accident"].amount or 0) > 0:
        tripped.add("accident")
    housing = sorted(
        (s for s in signals if s.source == "housing" and s.year <= YEAR),
        key=lambda s: (s.signal_date, s.id),
    )
    if housing and housing[-1].kind in ("grade_c", "grade_d"):
        tripped.add("housing_unsafe")
    if any(
        s.source == "water"
        and (s.kind != "cut" or (s.days or 0) >= (rules["water_unsafe"].days or 0))
        for s in this_year
    ):
        tripped.add("water_unsafe")
    if kinds("employment") & {"unemployed", "returned"}:
        tripped.add("work_lost")
    low, high = monitoring.working_age
    workers = [
        p
        for p, y in zip(persons, years, strict=True)
        if y
        and (p.left_year is None or p.left_year > YEAR)
        and not y.student
        and not y.disabled
        and low <= YEAR - p.birth_date.year <= high
    ]
    if not workers and pc < line * (rules["no_labour"].factor or 0):
        tripped.add("no_labour")
    if kinds("civil_affairs") & {"dibao", "tekun", "dibao_edge"}:
        tripped.add("civil_assistance")
    return tripped


def run() -> None:
    engine = make_engine(land_demo.url())
    pack = loader.get()
    report = None

    def sql_screen() -> None:
        nonlocal report
        report = jobs.screen(engine, scope=Scope.system("bench"), pack=pack, year=YEAR)

    measured = seconds(sql_screen)
    assert report is not None
    session = make_sessionmaker(engine)()
    sample = session.scalars(select(Household).order_by(Household.id).limit(SAMPLE)).all()
    tripped = 0

    def python_loop() -> None:
        nonlocal tripped
        tripped = sum(1 for household in sample if python_risks(session, household, pack))

    baseline = seconds(python_loop)
    session.close()
    per_sql = measured / report.households
    per_python = baseline / len(sample)
    print(
        f"python per-household loop over {len(sample):,} households (baseline): {baseline:.1f} s"
        f"  ({tripped:,} with a risk)"
    )
    print(
        f"DuckDB screening of {report.households:,} households, {report.alerts:,} alerts: "
        f"{measured:.1f} s  speed-up per household {per_python / per_sql:.0f}x"
    )
