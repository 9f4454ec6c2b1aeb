"""Opening many cases at once: the rules of one case, for all of them or none."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import add_user, make_place
from tests.monitor.factories import Member, add_alert, add_household, family
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, InvalidValue
from yunong.core.identity import codes
from yunong.core.identity import service as identity
from yunong.core.scope import Scope
from yunong.monitor import calendar, opening, workflow
from yunong.monitor.models import Alert, Case, CaseStep
from yunong.monitor.opening import Opening
from yunong.policy import loader

PACK = loader.get()
MONDAY = date(2024, 6, 3)
FRIDAY = date(2024, 6, 7)


def cadre(village: str) -> Scope:
    return Scope(actor="cadre", region_code=village, role=Role.VILLAGE_CADRE.value)


def village_with_alerts(session, count: int):
    """A village with a grid worker and ``count`` households, each with an open alert."""
    place = make_place(session)
    add_user(session, "grid_01", Role.GRID_WORKER, place.village)
    alerts = []
    for number in range(count):
        made = add_household(
            session, village=place.village, number=f"02{number:02d}", members=family()
        )
        alerts.append(add_alert(session, made))
    return place, alerts


def test_cases_opened_together_each_wait_for_verification_within_the_packs_limits(session):
    place, (first, second) = village_with_alerts(session, 2)
    ids = opening.open_cases(
        session,
        scope=cadre(place.village),
        openings=[Opening(first.id, "grid_01", MONDAY), Opening(second.id, "grid_01", FRIDAY)],
        pack=PACK,
    )
    cases = [session.get_one(Case, case_id) for case_id in ids]
    assert [case.household_id for case in cases] == [first.household_id, second.household_id]
    for case, day in zip(cases, (MONDAY, FRIDAY), strict=True):
        assert (case.state, case.assigned_to, case.opened_on) == ("verify", "grid_01", day)
        assert case.step_due_on == calendar.add_working_days(day, 5)
        assert case.identification_due_on == calendar.add_working_days(day, 20)
        [step] = workflow.steps_of(session, case)
        assert (step.step, step.started_on, step.due_on) == ("verify", day, case.step_due_on)
    assert {first.status, second.status} == {"case"}


def test_each_case_gets_its_own_event_code_linked_to_its_household(session):
    place, alerts = village_with_alerts(session, 3)
    ids = opening.open_cases(
        session,
        scope=cadre(place.village),
        openings=[Opening(alert.id, "grid_01", MONDAY) for alert in alerts],
        pack=PACK,
    )
    system = Scope.system("test")
    for case_id in ids:
        case = session.get_one(Case, case_id)
        entry = identity.get(session, scope=system, code=case.code)
        links = identity.get_links(session, scope=system, code=case.code)
        assert (entry.kind, entry.entity_type, entry.region_code) == (
            "E",
            "monitor_case",
            place.village,
        )
        assert [(link.relation, link.to_code) for link in links] == [("case", case.code)]
    serials = [codes.parse(session.get_one(Case, case_id).code).serial for case_id in ids]
    assert serials == [1, 2, 3]


def test_cases_opened_together_are_one_audit_record(session):
    place, alerts = village_with_alerts(session, 3)
    before = session.scalar(select(func.count()).select_from(AuditRecord))
    opening.open_cases(
        session,
        scope=cadre(place.village),
        openings=[Opening(alert.id, "grid_01", MONDAY) for alert in alerts],
        pack=PACK,
    )
    actions = session.scalars(
        select(AuditRecord.action).where(AuditRecord.seq > before).order_by(AuditRecord.seq)
    )
    assert list(actions) == ["code.issue", "code.link", "monitor.case.open"]


def test_one_opening_that_breaks_a_rule_refuses_them_all(session):
    place, (first, second) = village_with_alerts(session, 2)
    add_user(session, "grid_02", Role.GRID_WORKER, place.neighbour_village)
    with pytest.raises(InvalidValue, match="“grid_02”不是本村在岗的网格员"):
        opening.open_cases(
            session,
            scope=cadre(place.village),
            openings=[Opening(first.id, "grid_01", MONDAY), Opening(second.id, "grid_02", MONDAY)],
            pack=PACK,
        )
    assert session.scalar(select(func.count()).select_from(Case)) == 0
    assert session.scalar(select(func.count()).select_from(CaseStep)) == 0
    assert set(session.scalars(select(Alert.status))) == {"open"}


def test_two_openings_for_one_household_are_refused(session):
    place = make_place(session)
    add_user(session, "grid_01", Role.GRID_WORKER, place.village)
    made = add_household(session, village=place.village, number="0201", members=family())
    illness, schooling = add_alert(session, made), add_alert(session, made, risk_type="因学")
    openings = [Opening(illness.id, "grid_01", MONDAY), Opening(schooling.id, "grid_01", MONDAY)]
    with pytest.raises(Conflict, match="已有办理中的监测案件"):
        opening.open_cases(session, scope=cadre(place.village), openings=openings, pack=PACK)


def test_a_case_takes_in_every_open_alert_of_its_household_and_year(session):
    place = make_place(session)
    add_user(session, "grid_01", Role.GRID_WORKER, place.village)
    made = add_household(session, village=place.village, number="0201", members=family())
    illness = add_alert(session, made, risk_type="因病")
    schooling = add_alert(session, made, risk_type="因学")
    [case_id] = opening.open_cases(
        session,
        scope=cadre(place.village),
        openings=[Opening(illness.id, "grid_01", MONDAY)],
        pack=PACK,
    )
    assert session.get_one(Case, case_id).risk_types == "因学,因病"
    assert (illness.status, schooling.status) == ("case", "case")


def test_households_with_labour_have_a_working_age_member_neither_student_nor_disabled(session):
    place = make_place(session)
    working = add_household(session, village=place.village, number="0201", members=family())
    elderly = add_household(
        session,
        village=place.village,
        number="0202",
        members=[Member("王大爷", date(1950, 3, 1)), Member("刘大娘", date(1952, 7, 9), "配偶")],
    )
    disabled = add_household(
        session,
        village=place.village,
        number="0203",
        members=[Member("陈强", date(1985, 1, 5), disabled=True)],
    )
    ids = [made.household.id for made in (working, elderly, disabled)]
    found = workflow.households_with_labour(session, household_ids=ids, year=2024, pack=PACK)
    assert found == {working.household.id}
    assert [
        workflow.has_labour(session, household_id=household, year=2024, pack=PACK)
        for household in ids
    ] == [True, False, False]


def test_opening_no_cases_writes_nothing(session):
    place, _ = village_with_alerts(session, 1)
    before = session.scalar(select(func.count()).select_from(AuditRecord))
    assert opening.open_cases(session, scope=cadre(place.village), openings=[], pack=PACK) == []
    assert session.scalar(select(func.count()).select_from(Case)) == 0
    assert session.scalar(select(func.count()).select_from(AuditRecord)) == before
