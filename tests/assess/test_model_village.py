"""巴渝和美乡村“达标村”: villages against the checklist, and the rate per region."""

from datetime import date

import pytest

from tests.assess.factories import CITY, PACK, officer
from tests.factories import add_user, make_place
from tests.monitor.factories import add_alert, add_household, family
from yunong.assess import datasets, model_village
from yunong.assess.catalogue import CHECKLIST_PREFIX
from yunong.assess.datasets import Entry
from yunong.core.auth.roles import Role
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.monitor import opening

pytestmark = pytest.mark.db
ALL_YES = dict.fromkeys(PACK.model_village.items, "是")


def answer(session, village, answers, approve=True):
    unit = officer(village)
    entries = [Entry(CHECKLIST_PREFIX + key, value) for key, value in answers.items()]
    datasets.save(session, scope=unit, pack=PACK, period=2024, region_code=village, entries=entries)
    if approve:
        datasets.submit(session, scope=unit, pack=PACK, period=2024, region_code=village)
        datasets.approve(
            session, scope=officer(village[:9] + "000"), period=2024, region_code=village
        )


def rates(session, level, under=CITY):
    found = model_village.rate(session, pack=PACK, period=2024, level=level, under=under)
    return {code: round(measure.value, 2) for code, measure in found.items()}


def three_villages(session):
    """石坪村 and 下中村 meet every item; 复兴村 answers 否 to 村规民约; 凤阳村 did not report."""
    place = make_place(session)
    answer(session, place.village, ALL_YES)
    answer(session, place.other_town_village, ALL_YES)
    answer(session, place.neighbour_village, ALL_YES | {"civility": "否"})
    return place


def test_the_rate_per_district_counts_villages_meeting_every_item(session):
    three_villages(session)
    assert rates(session, Level.DISTRICT) == {"500101000000": 66.67, "500102000000": 0.0}


def test_the_rate_rolls_up_to_towns_and_the_city(session):
    place = three_villages(session)
    assert rates(session, Level.TOWN, "500101000000") == {place.town: 50.0, place.other_town: 100.0}
    assert rates(session, Level.CITY) == {CITY: 50.0}


def test_answers_count_only_once_approved(session):
    place = make_place(session)
    answer(session, place.village, ALL_YES, approve=False)
    results = model_village.evaluate(session, pack=PACK, period=2024, under=place.town)
    shiping = next(result for result in results if result.code == place.village)
    assert not shiping.met
    assert shiping.origins["village_plan"] == "未填报或未审核"


def test_a_computed_item_overrides_the_villages_answer_where_the_module_has_data(session):
    """石坪村 answers 是 to 问题动态清零, but a home visit fell due in June and is not done."""
    place = make_place(session)
    answer(session, place.village, ALL_YES)
    add_user(session, "grid_0401", Role.GRID_WORKER, place.village)
    made = add_household(session, village=place.village, number="0401", members=family())
    opening.open_case(
        session,
        scope=Scope(actor="v", region_code=place.village, role="village_cadre"),
        alert_id=add_alert(session, made).id,
        grid_worker="grid_0401",
        pack=PACK,
        today=date(2024, 6, 3),
    )
    results = model_village.evaluate(session, pack=PACK, period=2024, under=place.village)
    assert results[0].items["monitoring_zeroed"] is False
    assert results[0].origins["monitoring_zeroed"] == "系统计算（0.0%）"
    assert not results[0].met


def test_residents_committees_are_not_counted_as_villages():
    assert model_village.is_administrative_village("500101108201")
    assert not model_village.is_administrative_village("500101108001")
