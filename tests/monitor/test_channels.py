"""The two human channels: a household's own report and a cadre's visit become signals
that the screening merges with the departments' into one alert per risk."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import make_place
from tests.monitor.factories import add_household, add_signal, family
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue
from yunong.core.identity import codes
from yunong.core.listing import Page
from yunong.core.scope import Scope
from yunong.monitor import jobs, reports, visits
from yunong.monitor.models import Alert, SelfReport, Signal, Visit
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction

PACK = loader.get()
DAY = date(2024, 6, 20)


def grid(place) -> Scope:
    return Scope(actor="grid_01", region_code=place.village, role=Role.GRID_WORKER.value)


def a_visit(code: str, key: str = "phone-key-0001", risks=("因病",)) -> visits.VisitIn:
    return visits.VisitIn(
        client_key=key,
        household_code=code,
        visited_on=DAY,
        per_capita_income=Decimal(6500),
        risks_found=list(risks),
        note="户主住院，家中无人务工",
    )


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_visit_sent_twice_with_the_same_key_is_saved_once(session):
    place = make_place(session)
    made = add_household(session, village=place.village, number="0301", members=family())
    first, created = visits.record_visit(
        session, scope=grid(place), visit_in=a_visit(made.household.code), pack=PACK, today=DAY
    )
    again, created_again = visits.record_visit(
        session, scope=grid(place), visit_in=a_visit(made.household.code), pack=PACK, today=DAY
    )
    assert created and not created_again and again.id == first.id
    assert count(session, Visit) == 1
    assert count(session, Signal) == 1


def test_a_visits_key_reused_for_another_household_is_refused(session):
    place = make_place(session)
    one = add_household(session, village=place.village, number="0302", members=family())
    other = add_household(session, village=place.village, number="0303", members=family("王明"))
    visits.record_visit(
        session, scope=grid(place), visit_in=a_visit(one.household.code), pack=PACK, today=DAY
    )
    with pytest.raises(Conflict):
        visits.record_visit(
            session, scope=grid(place), visit_in=a_visit(other.household.code), pack=PACK, today=DAY
        )


def test_a_visit_dated_tomorrow_is_refused_in_chinese(session):
    place = make_place(session)
    made = add_household(session, village=place.village, number="0304", members=family())
    with pytest.raises(InvalidValue, match="晚于今天"):
        visits.record_visit(
            session,
            scope=grid(place),
            visit_in=a_visit(made.household.code),
            pack=PACK,
            today=date(2024, 6, 19),
        )


def test_a_collective_accountant_cannot_record_a_visit(session):
    place = make_place(session)
    made = add_household(session, village=place.village, number="0305", members=family())
    accountant = Scope(
        actor="acc", region_code=place.village, role=Role.COLLECTIVE_ACCOUNTANT.value
    )
    with pytest.raises(Forbidden):
        visits.record_visit(
            session, scope=accountant, visit_in=a_visit(made.household.code), pack=PACK, today=DAY
        )


def report_in(made, where: str, **changes: str) -> reports.ReportIn:
    """A valid report by the household's head from ``where``, with some fields changed."""
    values = {
        "name": made.persons[0].name,
        "id_number": made.persons[0].id_number,
        "village": where,
        "what_happened": "老伴突发脑梗住院，自付费用三万多元",
        "risk_type": "因病",
    }
    return reports.ReportIn(**(values | changes))


def test_a_self_report_gets_a_reference_code_and_becomes_a_signal(session):
    place = make_place(session)
    made = add_household(session, village=place.village, number="0306", members=family())
    report = reports.submit(session, report_in=report_in(made, "万州区龙沙镇石坪村"), today=DAY)
    assert codes.is_valid(report.reference) and report.reference.startswith("E" + place.village)
    assert report.household_id == made.household.id
    [signal] = session.scalars(select(Signal).where(Signal.source == "self_report"))
    assert (signal.kind, signal.signal_date) == ("因病", DAY)


def test_the_same_report_sent_twice_makes_one_signal(session):
    place = make_place(session)
    made = add_household(session, village=place.village, number="0307", members=family())
    for _ in range(2):
        reports.submit(session, report_in=report_in(made, place.village), today=DAY)
    assert count(session, SelfReport) == 2
    assert count(session, Signal) == 1


def test_a_reporter_not_in_the_villages_roster_is_kept_for_the_cadre(session):
    place = make_place(session)
    made = add_household(session, village=place.village, number="0308", members=family())
    report = reports.submit(session, report_in=report_in(made, "万州区龙沙镇复兴村"), today=DAY)
    assert report.household_id is None and report.village_code == place.neighbour_village
    assert count(session, Signal) == 0
    cadre = Scope(actor="c", region_code=place.neighbour_village, role=Role.VILLAGE_CADRE.value)
    found = reports.get_page(session, scope=cadre, page=Page()).rows
    assert [item.reference for item in found] == [report.reference]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id_number": "500101197804121234"}, "校验位错误"),
        ({"village": "龙沙镇不存在村"}, "找不到村"),
        ({"what_happened": "难"}, "请简要说明"),
        ({"risk_type": "因懒"}, "困难类型应为"),
    ],
)
def test_a_bad_report_is_refused_naming_the_field(session, change, message):
    place = make_place(session)
    made = add_household(session, village=place.village, number="0309", members=family())
    with pytest.raises(InvalidValue, match=message):
        reports.submit(session, report_in=report_in(made, place.village, **change), today=DAY)


def test_screening_merges_reports_visits_and_department_signals_into_one_alert(private_db_url):
    engine = make_engine(private_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        place = make_place(session)
        made = add_household(session, village=place.village, number="0310", members=family())
        quiet = add_household(session, village=place.village, number="0311", members=family("赵刚"))
        add_signal(session, made, source="medical_insurance", kind="illness", amount=Decimal(25000))
        visits.record_visit(
            session, scope=grid(place), visit_in=a_visit(made.household.code), pack=PACK, today=DAY
        )
        reports.submit(session, report_in=report_in(made, place.village), today=DAY)
        visits.record_visit(
            session,
            scope=grid(place),
            visit_in=a_visit(quiet.household.code, key="phone-key-0002", risks=("因自然灾害",)),
            pack=PACK,
            today=DAY,
        )
        ids = made.household.id, quiet.household.id
    jobs.screen(engine, scope=Scope.system("test"), pack=PACK, year=2024)
    with transaction(make_sessionmaker(engine)) as session:
        ill = session.scalars(select(Alert).where(Alert.household_id == ids[0])).all()
        flooded = session.scalars(select(Alert).where(Alert.household_id == ids[1])).all()
    engine.dispose()
    assert [(alert.risk_type, alert.sources) for alert in ill] == [
        ("因病", "medical_insurance,self_report,visit")
    ]
    assert [(alert.risk_type, alert.rules) for alert in flooded] == [
        ("因自然灾害", "reported_visit")
    ]
