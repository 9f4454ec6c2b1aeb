"""三事分流: a matter of each class is routed to its place and closed there; the town's monthly
summary counts them by class; stationed cadres cover the villages they are in."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import make_place
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue
from yunong.core.scope import Scope
from yunong.governance import cadres, matters, public_matters
from yunong.policy import loader

pytestmark = pytest.mark.db
RULES = loader.get().governance
SYSTEM = Scope.system("test")


def report(session, village, kind, day=date(2024, 5, 6), **extra):
    values = {"sector": "民生服务"} if kind == "大事" else {}
    if kind == "私事":
        values["guidance"] = "可到镇便民服务中心办理"
    values |= extra
    return matters.report(
        session,
        scope=SYSTEM,
        rules=RULES,
        matter_in=matters.MatterIn(
            village, kind, "村道塌方需要抢修", "王德才", "grid", reported_on=day, **values
        ),
    )


def test_each_class_is_routed_to_its_place_and_closed_there(session):
    place = make_place(session)
    town = Scope(actor="town", region_code=place.town, role=Role.TOWN_OFFICER.value)
    cadre = Scope(actor="cadre", region_code=place.village, role=Role.VILLAGE_CADRE.value)
    big, small, private = (report(session, place.village, k) for k in ("大事", "小事", "私事"))
    assert (big.handled_by, big.sector, big.due_on) == (place.town, "民生服务", date(2024, 5, 21))
    assert (small.handled_by, small.due_on) == (place.village, date(2024, 5, 13))
    assert (private.closed_on, private.feedback) == (date(2024, 5, 6), "可到镇便民服务中心办理")
    with pytest.raises(Forbidden):
        matters.close(session, scope=cadre, number=big.number, feedback="已抢修")
    matters.close(
        session, scope=town, number=big.number, feedback="已抢修", closed_on=date(2024, 5, 20)
    )
    matters.close(
        session, scope=cadre, number=small.number, feedback="已修好", closed_on=date(2024, 5, 15)
    )
    with pytest.raises(Conflict):
        matters.close(session, scope=town, number=big.number, feedback="再次")
    assert [m.number for m in matters.waiting(session, scope=town)] == []


def test_a_big_matter_needs_a_sector_and_a_private_one_guidance(session):
    place = make_place(session)
    with pytest.raises(InvalidValue, match="大事应分派到镇街指挥中心的板块"):
        report(session, place.village, "大事", sector="")
    with pytest.raises(InvalidValue, match="请写明给出的指导意见"):
        report(session, place.village, "私事", guidance="")


def test_the_monthly_summary_counts_by_class_with_closing_in_time(session):
    place = make_place(session)
    town = Scope(actor="town", region_code=place.town, role=Role.TOWN_OFFICER.value)
    in_time = report(session, place.village, "大事")
    late = report(session, place.neighbour_village, "大事")
    report(session, place.village, "大事")  # still open, past due on 2024-06-30
    report(session, place.village, "小事")
    report(session, place.village, "私事")
    report(session, place.village, "小事", day=date(2024, 6, 1))  # another month
    report(session, place.other_town_village, "小事")  # another town
    matters.close(
        session, scope=town, number=in_time.number, feedback="好", closed_on=date(2024, 5, 21)
    )
    matters.close(
        session, scope=town, number=late.number, feedback="好", closed_on=date(2024, 5, 22)
    )
    rows = matters.monthly_summary(
        session, scope=SYSTEM, town=place.town, month="2024-05", today=date(2024, 6, 30)
    )
    found = {
        row.kind: (row.reported, row.closed, row.closed_in_time, row.open, row.overdue)
        for row in rows
    }
    assert found == {"big": (3, 2, 1, 1, 1), "small": (1, 0, 0, 1, 1), "private": (1, 1, 1, 0, 0)}


def test_coverage_counts_villages_with_a_first_secretary_or_instructor_on_the_day(session):
    place = make_place(session)

    def station(village, role, ends=""):
        cadres.station(
            session, scope=SYSTEM,
            cadre_in=cadres.CadreIn(village, "李明", role, "市农业农村委", "2022-01-01", ends),
        )  # fmt: skip

    station(place.village, "第一书记")
    station(place.neighbour_village, "驻村工作队员")  # a team member alone does not cover
    station(place.other_town_village, "乡村振兴指导员", ends="2023-12-31")
    station(place.other_district_village, "instructor")
    rows = {
        row.district: (row.covered, row.villages)
        for row in cadres.coverage(session, scope=SYSTEM, on=date(2024, 6, 1))
    }
    assert rows == {place.district: (1, 3), "500102000000": (1, 1)}


def test_every_view_of_a_public_reports_photo_is_recorded(session):
    place = make_place(session)
    cadre = Scope(actor="cadre", region_code=place.village, role=Role.VILLAGE_CADRE.value)
    sent = public_matters.submit(
        session,
        rules=RULES,
        report_in=public_matters.ReportIn(place.village, "村口路灯坏了好几天"),
        photo=b"jpeg",
    )
    assert matters.photo_of(session, scope=cadre, number=sent.number) == b"jpeg"
    viewers = session.scalars(
        select(AuditRecord.actor).where(
            AuditRecord.action == "governance.matter_photo_view",
            AuditRecord.target_id == sent.number,
        )
    ).all()
    assert viewers == ["cadre"]
