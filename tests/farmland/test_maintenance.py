"""管护: duties after acceptance, reports by the village's people, 待办 for the keepers with
the pack's deadline, closing only with a photo."""

from datetime import date

import pytest

from tests.factories import make_place
from tests.farmland.factories import SYSTEM, ready_project
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.scope import Scope
from yunong.farmland import maintenance, todo
from yunong.farmland.models import Duty, Project
from yunong.policy import loader

PACK = loader.get()
TODAY = date(2024, 6, 1)


@pytest.fixture
def kept(session):
    place = make_place(session)
    project = ready_project(session, "WZ-M")
    session.add(
        Duty(
            project_id=project.id,
            region_code=place.village,
            party_kind="collective",
            party_name="石坪村股份经济合作社",
            facilities="机耕路",
            until=date(2030, 12, 31),
        )
    )
    session.flush()
    return place


def scope(place_code, role, actor="someone"):
    return Scope(actor=actor, region_code=place_code, role=role)


def test_duties_wait_for_acceptance(session, kept):
    with pytest.raises(Conflict, match="尚未竣工验收"):
        maintenance.add_duty(
            session,
            scope=SYSTEM,
            number="WZ-M",
            duty_in=maintenance.DutyIn(kept.village, "collective", "合作社", "", date(2030, 1, 1)),
        )


def test_a_damage_report_is_on_the_keepers_todo_with_the_packs_deadline_until_closed(session, kept):
    grid = scope(kept.village, "grid_worker", "grid_01")
    report = maintenance.report(
        session,
        scope=grid,
        pack=PACK,
        number="WZ-M",
        report_in=maintenance.ReportIn("damage", "渠道垮塌"),
        today=TODAY,
    )
    assert report.deadline == date(2024, 6, 1 + PACK.farmland.repair_days)
    cadre = scope(kept.village, "village_cadre")
    [waiting] = todo.todo(session, cadre, today=TODAY)
    assert (waiting.total, waiting.action, waiting.items[0].link) == (
        1,
        "整改高标准农田损毁",
        f"/farmland/reports/{report.id}",
    )
    assert (
        todo.todo(session, scope(kept.neighbour_village, "village_cadre"), today=TODAY)[0].total
        == 0
    )
    with pytest.raises(Forbidden):
        maintenance.close(session, scope=grid, report_id=report.id, photo=b"jpeg")
    with pytest.raises(InvalidValue, match="须附整改后的照片"):
        maintenance.close(session, scope=cadre, report_id=report.id, photo=None)
    maintenance.close(session, scope=cadre, report_id=report.id, photo=b"jpeg", today=TODAY)
    assert todo.todo(session, cadre, today=TODAY)[0].total == 0


def test_reports_come_only_from_where_the_project_is_kept_up(session, kept):
    with pytest.raises(NotFound):
        maintenance.report(
            session,
            scope=scope(kept.other_district_village, "grid_worker"),
            pack=PACK,
            number="WZ-M",
            report_in=maintenance.ReportIn("inspection", "正常"),
        )
    with pytest.raises(Forbidden):
        maintenance.report(
            session,
            scope=scope(kept.village, "collective_accountant"),
            pack=PACK,
            number="WZ-M",
            report_in=maintenance.ReportIn("inspection", "正常"),
        )
    assert [
        p.number for p in maintenance.my_projects(session, scope=scope(kept.town, "town_officer"))
    ] == ["WZ-M"]
    assert session.query(Project).count() == 1
