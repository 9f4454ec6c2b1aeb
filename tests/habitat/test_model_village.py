"""达标村 from data: the checklist items the habitat registries answer (black water, sewage,
toilets, refuse) are computed from them, and replace the villages' ticks in the rate."""

from datetime import date
from decimal import Decimal

import pytest

from tests.assess.factories import PACK, officer
from tests.factories import make_place
from tests.habitat.factories import HABITAT, RULES, TEST_HEADER, registered, write_csv
from yunong.assess import datasets, model_village
from yunong.assess.catalogue import CHECKLIST_PREFIX
from yunong.assess.datasets import Entry
from yunong.core.indicators import Measure
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.habitat import indicators, sewage, toilets, water
from yunong.habitat.sewage import FacilityIn, SettlementIn
from yunong.habitat.toilets import VisitIn

pytestmark = pytest.mark.db
SYSTEM = Scope.system()
HABITAT_ITEMS = {
    "no_black_odorous_water": "computed:habitat.no_black_water",
    "sewage_treated": "computed:habitat.sewage_treated",
    "sanitary_toilets": "computed:habitat.sanitary_toilets",
    "waste_collected": "computed:habitat.refuse_collected",
}
ALL_YES = dict.fromkeys(PACK.model_village.items, "是")


def answer(session, village, answers):
    unit = officer(village)
    entries = [Entry(CHECKLIST_PREFIX + key, value) for key, value in answers.items()]
    datasets.save(session, scope=unit, pack=PACK, period=2024, region_code=village, entries=entries)
    datasets.submit(session, scope=unit, pack=PACK, period=2024, region_code=village)
    datasets.approve(session, scope=officer(village[:9] + "000"), period=2024, region_code=village)


def town_rate(session, town):
    found = model_village.rate(session, pack=PACK, period=2024, level=Level.TOWN, under=town)
    return round(found[town].value, 2)


def toilet(session, village, number, kind):
    grid = Scope(actor="grid", region_code=village, role="grid_worker")
    visit = VisitIn(village, number, kind, head_name=f"户主{number}")
    toilets.visit(session, scope=grid, visit_in=visit, rules=HABITAT.toilets, on=date(2024, 5, 1))


def test_the_pack_computes_the_four_habitat_items():
    assert {key: PACK.model_village.items[key].method for key in HABITAT_ITEMS} == HABITAT_ITEMS


def test_the_cockpit_counts_the_registrys_black_bodies_beside_the_reported_count():
    registered = PACK.indicators["black_odorous_bodies_registered"]
    assert registered.method == "computed:habitat.black_odorous_bodies"
    assert registered.monitored_only
    assert registered.targets == PACK.indicators["black_odorous_water_bodies"].targets


def test_computed_items_replace_the_hand_ticked_ones_in_the_rate(session, tmp_path):
    """石坪村 and 复兴村 both tick every item. The registries say otherwise: 石坪村 has a black
    and odorous pond; 复兴村 ticked 否 for toilets, but every toilet recorded there is sanitary."""
    place = registered(session, tmp_path)
    answer(session, place.village, ALL_YES)
    answer(session, place.neighbour_village, ALL_YES | {"sanitary_toilets": "否"})
    assert town_rate(session, place.town) == 50.0  # by the ticks: 石坪村 only

    tests = [["WB001", "2024-04-01", 12, 100, 5, 1], ["WB009", "2024-04-01", 40, 100, 5, 1]]
    path = write_csv(tmp_path / "tests.csv", TEST_HEADER, tests)
    water.import_tests(session, scope=SYSTEM, path=path, rules=RULES, today=date(2024, 12, 1))
    toilet(session, place.neighbour_village, "0001", "三格式")
    toilet(session, place.neighbour_village, "0002", "水冲接管网")

    results = {
        result.code: result
        for result in model_village.evaluate(session, pack=PACK, period=2024, under=place.town)
    }
    shiping, fuxing = results[place.village], results[place.neighbour_village]
    assert shiping.items["no_black_odorous_water"] is False
    assert shiping.origins["no_black_odorous_water"] == "系统计算（0.0%）"
    assert fuxing.items["sanitary_toilets"] is True
    assert fuxing.origins["sanitary_toilets"] == "系统计算（100.0%）"
    assert fuxing.origins["sewage_treated"] == "村填报（已审核）"  # no settlement: the tick
    assert (shiping.met, fuxing.met) == (False, True)
    assert town_rate(session, place.town) == 50.0  # now 复兴村 only


def test_sewage_and_refuse_are_computed_from_the_settlements(session):
    place = make_place(session)
    facility_in = FacilityIn("F1", "石坪村污水站", place.village, Decimal(80), "一级", True)
    sewage.create_facility(session, scope=SYSTEM, facility_in=facility_in, rules=HABITAT.sewage)
    for code, households, facility, refuse in (
        ("S1", 260, "F1", True),
        ("S2", 210, None, True),
        ("S3", 40, None, False),  # below the floor: counts for refuse only
    ):
        settlement_in = SettlementIn(
            code, code, place.village, households, households * 2, facility, refuse
        )
        sewage.create_settlement(session, scope=SYSTEM, settlement_in=settlement_in)
    treated = indicators.sewage_treated(session, period=2024, level=Level.VILLAGE, under=place.town)
    refuse = indicators.refuse_collected(session, period=2024, level=Level.TOWN, under=place.town)
    assert treated == {place.village: Measure(50.0, numerator=1, denominator=2)}
    assert refuse[place.town].numerator == 2 and refuse[place.town].denominator == 3
    sewage.inspect(
        session,
        scope=SYSTEM,
        facility_code="F1",
        on=date(2024, 6, 1),
        results={"cod": Decimal(200)},
        running=True,
        rules=HABITAT.sewage,
    )
    failed = indicators.sewage_treated(session, period=2024, level=Level.VILLAGE, under=place.town)
    assert failed[place.village].numerator == 0
    before = indicators.sewage_treated(session, period=2023, level=Level.VILLAGE, under=place.town)
    assert before[place.village].numerator == 1  # the failed inspection came in 2024


def test_the_cockpit_counts_black_bodies_and_the_clear_district_rate(session, tmp_path):
    place = registered(session, tmp_path)
    tests = [["WB001", "2024-04-01", 12, 100, 5, 1], ["WB010", "2024-04-01", 40, 100, 5, 1]]
    path = write_csv(tmp_path / "tests.csv", TEST_HEADER, tests)
    water.import_tests(session, scope=SYSTEM, path=path, rules=RULES, today=date(2024, 12, 1))
    black = indicators.black_odorous_bodies(
        session, period=2024, level=Level.DISTRICT, under="500000000000"
    )
    assert black == {place.district: Measure(1.0), "500102000000": Measure(0.0)}
    assert (
        indicators.black_odorous_bodies(
            session, period=2023, level=Level.CITY, under="500000000000"
        )
        == {}
    )
    rate = indicators.clear_district_rate(
        session, period=2024, level=Level.CITY, under="500000000000"
    )
    assert rate == {"500000000000": Measure(50.0, numerator=1, denominator=2)}
