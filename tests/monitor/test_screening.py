"""Each screening rule trips on a household built to trip it and not on its near miss."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import make_place
from tests.monitor.factories import Member, add_household, add_signal, add_year, family
from yunong.core.scope import Scope
from yunong.monitor import jobs
from yunong.monitor.models import Alert, Household
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction

YEAR = 2024
D = Decimal


def elders() -> list[Member]:
    return [Member("王德才", date(1952, 3, 1)), Member("刘桂兰", date(1954, 7, 9), relation="配偶")]


def couple(disabled: bool = False) -> list[Member]:
    return [
        Member("陈志强", date(1975, 2, 2)),
        Member("周小梅", date(1977, 6, 6), relation="配偶", disabled=disabled),
    ]


def build(session, village: str) -> None:
    def household(number, members, income, **extra):
        return add_household(
            session, village=village, number=number, members=members, net_income=D(income), **extra
        )

    household("safe", family(), 60000)
    household("below-line", family(), 21000)  # 7,000 per head, line 7,600
    household("near-line", family(), 23100)  # 7,700 per head
    fell = household("fell", family(), 30000)  # 10,000 per head, 15,000 the year before
    add_year(session, fell, year=YEAR - 1, net_income=D(45000))
    dipped = household("dipped", family(), 30000)  # 13,000 the year before: a 23 % fall
    add_year(session, dipped, year=YEAR - 1, net_income=D(39000))
    sick = family()
    sick[1].medical = D(21000)
    household("medical", sick, 60000)
    less_sick = family()
    less_sick[1].medical = D(19000)
    household("medical-near", less_sick, 60000)
    household("student-poor", family(), 27000)  # 9,000 per head, 1.2 × line = 9,120
    household("student-near", family(), 27600)
    household("disabled-poor", couple(disabled=True), 18000)
    household("disabled-near", couple(disabled=True), 18400)
    household("disaster", family(), 60000, disaster="严重")
    household("disaster-near", family(), 60000, disaster="轻微")
    flooded = household("disaster-list", family(), 60000)
    add_signal(session, flooded, source="disaster", kind="disaster", amount=D(6000))
    hurt = household("accident", family(), 60000)
    add_signal(session, hurt, source="medical_insurance", kind="accident", amount=D(6000))
    scratched = household("accident-near", family(), 60000)
    add_signal(session, scratched, source="medical_insurance", kind="accident", amount=D(4000))
    unsafe = household("housing", family(), 60000)
    add_signal(session, unsafe, source="housing", kind="grade_d")
    repaired = household("housing-near", family(), 60000)
    add_signal(session, repaired, source="housing", kind="grade_d", on=date(2023, 4, 1))
    add_signal(session, repaired, source="housing", kind="grade_a", on=date(2024, 3, 1))
    dry = household("water", family(), 60000)
    add_signal(session, dry, source="water", kind="cut", days=45)
    short_cut = household("water-near", family(), 60000)
    add_signal(session, short_cut, source="water", kind="cut", days=10)
    jobless = household("work", family(), 60000)
    add_signal(session, jobless, source="employment", kind="unemployed")
    working = household("work-near", family(), 60000)
    add_signal(session, working, source="employment", kind="employed")
    household("no-labour", elders(), 20000)
    household(
        "no-labour-near", elders() + [Member("王强", date(1985, 5, 5), relation="子女")], 30000
    )
    assisted = household("assisted", family(), 60000)
    add_signal(session, assisted, source="civil_affairs", kind="dibao")
    helped_once = household("assisted-near", family(), 60000)
    add_signal(session, helped_once, source="civil_affairs", kind="temporary")
    many = family()
    many[0].medical = D(25000)
    ill = household("ill-many-sources", many, 60000)
    for month in (3, 7):
        add_signal(
            session,
            ill,
            source="medical_insurance",
            kind="illness",
            amount=D(15000),
            on=date(2024, month, 1),
        )


CASES = [
    ("income_below_line", "below-line", "near-line"),
    ("income_sharp_fall", "fell", "dipped"),
    ("medical_cost_high", "medical", "medical-near"),
    ("education_burden", "student-poor", "student-near"),
    ("disability_burden", "disabled-poor", "disabled-near"),
    ("disaster_loss", "disaster", "disaster-near"),
    ("disaster_loss", "disaster-list", "safe"),
    ("accident", "accident", "accident-near"),
    ("housing_unsafe", "housing", "housing-near"),
    ("water_unsafe", "water", "water-near"),
    ("work_lost", "work", "work-near"),
    ("no_labour", "no-labour", "no-labour-near"),
    ("civil_assistance", "assisted", "assisted-near"),
]


@pytest.fixture(scope="module")
def screened(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        place = make_place(session)
        build(session, place.village)
    report = jobs.screen(engine, scope=Scope.system("test"), pack=loader.get(), year=YEAR)
    yield engine, report
    engine.dispose()


def alerts_of(engine, number: str) -> list[Alert]:
    with transaction(make_sessionmaker(engine)) as session:
        return list(
            session.scalars(
                select(Alert)
                .join(Household, Household.id == Alert.household_id)
                .where(Household.number == number)
            )
        )


def rules_of(engine, number: str) -> set[str]:
    return {rule for alert in alerts_of(engine, number) for rule in alert.rules.split(",")}


@pytest.mark.parametrize(("rule", "trips", "passes"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_each_rule_trips_on_its_household_and_not_on_the_near_miss(screened, rule, trips, passes):
    engine, _ = screened
    assert rule in rules_of(engine, trips)
    assert rule not in rules_of(engine, passes)


def test_a_household_that_trips_nothing_has_no_alert(screened):
    engine, _ = screened
    assert alerts_of(engine, "safe") == []


def test_every_rule_of_the_pack_has_a_case_here():
    assert {rule for rule, _, _ in CASES} == set(loader.get().monitoring.rules)


def test_several_sources_about_one_risk_make_one_alert(screened):
    engine, _ = screened
    [alert] = [a for a in alerts_of(engine, "ill-many-sources") if a.risk_type == "因病"]
    assert alert.sources == "medical_insurance,registry"


def test_screening_again_creates_no_duplicate_alerts(screened):
    engine, first = screened
    again = jobs.screen(engine, scope=Scope.system("test"), pack=loader.get(), year=YEAR)
    with transaction(make_sessionmaker(engine)) as session:
        stored = session.scalar(select(func.count()).select_from(Alert))
    assert again.new_alerts == 0
    assert again.alerts == first.alerts == stored
