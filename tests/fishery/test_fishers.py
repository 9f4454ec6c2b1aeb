"""Retired fishers linked to the household registry by 全农码; yearly visits update their work
and insurance; a retired fisher's household meeting the pack's rule reaches the next 防返贫
screening with the fishery signal named."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import make_place
from tests.monitor.factories import Member, add_household
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden, NotFound
from yunong.core.scope import Scope
from yunong.fishery import fishers
from yunong.monitor import jobs
from yunong.monitor.models import Alert, Household
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.db
SYSTEM = Scope.system("test")
YEAR = 2024


def couple(head: str) -> list[Member]:
    return [Member(head, date(1968, 4, 2)), Member("李秀英", date(1970, 9, 9), relation="配偶")]


def register(session, made, employment="未就业", insurance="城乡居民养老保险"):
    return fishers.register(
        session,
        scope=SYSTEM,
        fisher_in=fishers.FisherIn(
            made.persons[0].code, "2020-12-31", "渝万州渔0001", "2021-03-15", "42000",
            insurance, employment,
        ),
    )  # fmt: skip


def test_a_fisher_is_linked_by_the_persons_code_and_registering_again_updates(session):
    place = make_place(session)
    made = add_household(session, village=place.village, number="001", members=couple("王德才"))
    first = register(session, made)
    again = register(session, made, employment="务工就业")
    assert again.id == first.id
    assert (again.household_id, again.village_code) == (made.household.id, place.village)
    assert (again.employment, again.compensation) == ("job", Decimal("42000"))


def test_a_person_outside_the_callers_scope_is_not_found(session):
    place = make_place(session)
    made = add_household(session, village=place.village, number="001", members=couple("王德才"))
    elsewhere = Scope(actor="fl", region_code="500102000000", role=Role.DISTRICT_OFFICER.value)
    with pytest.raises(NotFound):
        fishers.register(
            session,
            scope=elsewhere,
            fisher_in=fishers.FisherIn(made.persons[0].code, "2020-12-31"),
        )


def test_a_grid_workers_visit_updates_work_and_insurance_and_the_id_is_masked(session):
    place = make_place(session)
    made = add_household(session, village=place.village, number="001", members=couple("王德才"))
    fisher = register(session, made)
    grid = Scope(actor="grid", region_code=place.village, role=Role.GRID_WORKER.value)
    district = Scope(actor="wz", region_code=place.district, role=Role.DISTRICT_OFFICER.value)
    with pytest.raises(Forbidden):
        fishers.visit(
            session, scope=district, fisher_id=fisher.id, visited_on=date(2024, 12, 1),
            employment="务工就业", insured=True,
        )  # fmt: skip
    fishers.visit(
        session, scope=grid, fisher_id=fisher.id, visited_on=date(2024, 12, 1),
        employment="自主创业", insured=False,
    )  # fmt: skip
    assert (fisher.employment, fisher.insurance) == ("business", "none")
    view = fishers.view(session, scope=grid, fisher_id=fisher.id)
    assert (
        view.id_number == made.persons[0].id_number[:3] + "*" * 11 + made.persons[0].id_number[-4:]
    )
    assert [visit.employment for visit in view.visits] == ["business"]


@pytest.fixture(scope="module")
def screened(module_db_url):
    """Line 2024: 7,600 yuan; the pack's factor 1.5 makes 11,400. Per-capita incomes:
    unemployed fisher 10,000 (trips), employed fisher 10,000 (does not), unemployed fisher
    12,000 (does not), a neighbour who never fished 10,000 (does not)."""
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        place = make_place(session)
        for number, income, employment in (
            ("F1", 20000, "未就业"),
            ("F2", 20000, "务工就业"),
            ("F3", 24000, "未就业"),
        ):
            made = add_household(
                session, village=place.village, number=number, members=couple("张建国"),
                net_income=Decimal(income),
            )  # fmt: skip
            register(session, made, employment=employment)
        add_household(
            session, village=place.village, number="N1", members=couple("刘国华"),
            net_income=Decimal(20000),
        )  # fmt: skip
    jobs.screen(engine, scope=SYSTEM, pack=loader.get(), year=YEAR)
    yield engine
    engine.dispose()


def alerts(engine) -> dict[str, tuple[str, str, str]]:
    with transaction(make_sessionmaker(engine)) as session:
        rows = session.execute(
            select(Household.number, Alert.risk_type, Alert.rules, Alert.sources).join(
                Household, Household.id == Alert.household_id
            )
        ).tuples()
        return {number: (risk, rules, sources) for number, risk, rules, sources in rows}


def test_the_unemployed_fishers_low_income_household_is_screened_with_the_signal_named(
    screened,
):
    found = alerts(screened)
    assert found == {"F1": ("因务工就业不稳", "fishery_retired_no_work", "fishery")}
