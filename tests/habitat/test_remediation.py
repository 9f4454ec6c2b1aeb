"""Remediation of black and odorous water through its stages, acceptance with a survey, the
districts that have cleared their water and the 2025 target."""

from datetime import date

import pytest

from tests.habitat.factories import RULES, TEST_HEADER, registered, write_csv
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue
from yunong.core.scope import Scope
from yunong.habitat import remediation, todo, water

pytestmark = pytest.mark.db
SYSTEM = Scope.system()
TODAY = date(2024, 12, 1)


def with_tests(session, tmp_path, rows, name="tests.csv"):
    path = write_csv(tmp_path / name, TEST_HEADER, rows)
    tally = water.import_tests(session, scope=SYSTEM, path=path, rules=RULES, today=TODAY)
    assert tally.rejected == 0, tally.errors


def to_treatment(session, code):
    remediation.start(session, scope=SYSTEM, body_code=code, on=date(2024, 3, 10), rules=RULES)
    for on in (date(2024, 3, 20), date(2024, 4, 1)):
        remediation.advance(session, scope=SYSTEM, body_code=code, on=on, rules=RULES)


def test_the_stages_go_in_order_and_acceptance_needs_a_clean_test_and_the_survey(session, tmp_path):
    place = registered(session, tmp_path)
    with_tests(session, tmp_path, [["WB001", "2024-03-01", 10, 100, 5, 1]])
    to_treatment(session, "WB001")
    district = Scope(actor="d", region_code=place.district, role=Role.DISTRICT_OFFICER)
    town = Scope(actor="t", region_code=place.town, role=Role.TOWN_OFFICER)
    assert [item.subject for item in todo.todo(session, district)[1].items] == ["石坪村1号塘"]
    with pytest.raises(Conflict, match="还没有不再黑臭的检测"):
        remediation.advance(
            session,
            scope=district,
            body_code="WB001",
            on=date(2024, 6, 1),
            rules=RULES,
            surveyed=40,
            satisfied=40,
        )
    with_tests(session, tmp_path, [["WB001", "2024-05-20", 40, 100, 5, 1]], "after.csv")
    with pytest.raises(Forbidden, match="整治验收由区县办理"):
        remediation.advance(
            session,
            scope=town,
            body_code="WB001",
            on=date(2024, 6, 1),
            rules=RULES,
            surveyed=40,
            satisfied=40,
        )
    with pytest.raises(InvalidValue, match="公众满意度调查"):
        remediation.advance(
            session, scope=district, body_code="WB001", on=date(2024, 6, 1), rules=RULES
        )
    with pytest.raises(Conflict, match="公众满意度 88% 低于 90%"):
        remediation.advance(
            session,
            scope=district,
            body_code="WB001",
            on=date(2024, 6, 1),
            rules=RULES,
            surveyed=50,
            satisfied=44,
        )
    done = remediation.advance(
        session,
        scope=district,
        body_code="WB001",
        on=date(2024, 6, 1),
        rules=RULES,
        surveyed=50,
        satisfied=45,
    )
    assert (done.stage, done.accepted_on, done.satisfied) == ("验收", date(2024, 6, 1), 45)
    assert todo.todo(session, district)[1].total == 0
    remediation.advance(
        session, scope=district, body_code="WB001", on=date(2024, 7, 1), rules=RULES
    )
    with pytest.raises(Conflict, match="已在最后一个环节（长效管护）"):
        remediation.advance(
            session, scope=district, body_code="WB001", on=date(2024, 8, 1), rules=RULES
        )


def test_only_a_black_body_is_taken_into_remediation(session, tmp_path):
    registered(session, tmp_path)
    with_tests(session, tmp_path, [["WB001", "2024-03-01", 40, 100, 5, 1]])
    with pytest.raises(Conflict, match="不是黑臭水体"):
        remediation.start(
            session, scope=SYSTEM, body_code="WB001", on=date(2024, 3, 10), rules=RULES
        )


def test_a_district_is_cleared_when_no_body_is_black_and_every_remediation_is_accepted(
    session, tmp_path
):
    registered(session, tmp_path)
    with_tests(
        session,
        tmp_path,
        [
            ["WB001", "2024-03-01", 10, 100, 5, 1],
            ["WB002", "2024-03-01", 40, 100, 5, 1],
            ["WB010", "2024-03-01", 40, 100, 5, 1],
        ],
    )
    to_treatment(session, "WB001")

    def state():
        found = remediation.clearance(session, scope=SYSTEM, rules=RULES)
        return {item.code[:6]: (item.bodies, item.black, item.open, item.cleared) for item in found}

    assert state() == {"500101": (9, 1, 1, False), "500102": (1, 0, 0, True)}
    target = remediation.clearance_target(session, scope=SYSTEM, rules=RULES, year=2024)
    assert target.as_json() == {
        "year": 2024,
        "target_year": 2025,
        "target_rate": 100,
        "districts": 2,
        "cleared": 1,
        "rate": 50.0,
        "black_bodies": 1,
        "met": False,
        "due": False,
    }
    with_tests(session, tmp_path, [["WB001", "2024-05-20", 40, 100, 5, 1]], "after.csv")
    assert state()["500101"] == (9, 0, 1, False)  # clean, but not yet accepted
    remediation.advance(
        session,
        scope=SYSTEM,
        body_code="WB001",
        on=date(2024, 6, 1),
        rules=RULES,
        surveyed=20,
        satisfied=20,
    )
    assert state()["500101"] == (9, 0, 0, True)
    assert remediation.clearance_target(session, scope=SYSTEM, rules=RULES, year=2025).met
