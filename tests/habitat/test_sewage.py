"""Settlements and sewage facilities: the （十八） list of settlements of 200 households or 500
residents without a facility and its network, and inspections against DB 50/848 grades."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_place
from tests.habitat.factories import HABITAT
from yunong.core.errors import Conflict, InvalidValue
from yunong.core.scope import OutOfScope, Scope
from yunong.habitat import sewage
from yunong.habitat.sewage import FacilityIn, SettlementIn
from yunong.policy.loader import get

pytestmark = pytest.mark.db
PACK = get()
SYSTEM = Scope.system()


def facility(session, code, region, *, network=True, grade="一级"):
    facility_in = FacilityIn(code, f"{code}站", region, Decimal(50), grade, network)
    return sewage.create_facility(
        session, scope=SYSTEM, facility_in=facility_in, rules=HABITAT.sewage
    )


def settlement(session, code, region, households, residents, facility_code=None):
    settlement_in = SettlementIn(code, f"{code}院子", region, households, residents, facility_code)
    return sewage.create_settlement(session, scope=SYSTEM, settlement_in=settlement_in)


def test_the_floor_is_the_packs_rule_either_figure_inclusive(session):
    place = make_place(session)
    facility(session, "F1", place.village)
    facility(session, "F2", place.village, network=False)
    settlement(session, "S1", place.village, 199, 499)  # below both: not listed
    settlement(session, "S2", place.village, 200, 300)  # 200 households
    settlement(session, "S3", place.village, 150, 500)  # 500 residents
    settlement(session, "S4", place.village, 260, 700, "F1")  # served
    settlement(session, "S5", place.neighbour_village, 260, 700, "F2")  # no network
    settlement(session, "S6", place.other_district_village, 400, 1200)
    found = sewage.unserved(session, scope=SYSTEM.narrowed_to(place.district), pack=PACK)
    assert [(item.code, item.reason) for item in found] == [
        ("S2", "无污水处理设施"),
        ("S3", "无污水处理设施"),
        ("S5", "设施无配套管网"),
    ]
    assert sewage.floor(PACK) == sewage.Floor(households=200, residents=500)


def test_the_list_is_the_callers_region_only(session):
    place = make_place(session)
    settlement(session, "S1", place.village, 300, 800)
    settlement(session, "S2", place.other_town_village, 300, 800)
    town = Scope(actor="t", region_code=place.town, role="town_officer")
    assert [item.code for item in sewage.unserved(session, scope=town, pack=PACK)] == ["S1"]
    with pytest.raises(OutOfScope):
        settlement_in = SettlementIn("S3", "外村", place.other_town_village, 10, 20)
        sewage.create_settlement(session, scope=town, settlement_in=settlement_in)


def test_an_inspection_passes_within_the_grades_limits_and_names_what_exceeds(session):
    place = make_place(session)
    facility(session, "F1", place.village, grade="一级")
    limits = HABITAT.sewage.grades["一级"]
    at_limit = {
        "cod": Decimal(str(limits.cod)),
        "ammonia_nitrogen": Decimal(str(limits.ammonia_nitrogen)),
    }
    passed = sewage.inspect(
        session,
        scope=SYSTEM,
        facility_code="F1",
        on=date(2024, 6, 1),
        results=at_limit,
        running=True,
        rules=HABITAT.sewage,
    )
    assert passed.passed and passed.reasons == ""
    over = {"cod": Decimal(str(limits.cod)) + Decimal("0.1")}
    failed = sewage.inspect(
        session,
        scope=SYSTEM,
        facility_code="F1",
        on=date(2024, 7, 1),
        results=over,
        running=True,
        rules=HABITAT.sewage,
    )
    assert not failed.passed and failed.reasons.startswith("化学需氧量 60.1 mg/L 超过一级标准")
    idle = sewage.inspect(
        session,
        scope=SYSTEM,
        facility_code="F1",
        on=date(2024, 8, 1),
        results={},
        running=False,
        rules=HABITAT.sewage,
    )
    assert idle.reasons == "设施未正常运行"


def test_a_facility_needs_a_known_grade_and_a_unique_code(session):
    place = make_place(session)
    with pytest.raises(InvalidValue, match="排放标准等级“四级”"):
        facility(session, "F1", place.village, grade="四级")
    facility(session, "F1", place.village)
    with pytest.raises(Conflict):
        facility(session, "F1", place.village)
