"""待办 of the assessment: a unit's figures wait on whoever fills them in while answers are
missing, then on its officers to send them up; figures sent up wait on the level above; the
city sees the districts that have not reported."""

from tests.assess.factories import FULING, PACK, WANZHOU, city, complete_values, officer
from tests.factories import make_place
from yunong.assess import datasets
from yunong.assess.catalogue import items
from yunong.assess.datasets import Entry
from yunong.assess.todo import todo
from yunong.core.auth.roles import Role
from yunong.core.regions.codes import Level
from yunong.core.regions.importers import load_districts
from yunong.core.scope import Scope


def kinds(session, scope) -> dict[str, list[str]]:
    return {kind.kind: [item.subject for item in kind.items] for kind in todo(session, scope)}


def submitted(session, region_code: str, period: int = 2024) -> None:
    unit = officer(region_code)
    entries = complete_values(PACK, region_code, period)
    datasets.save(
        session, scope=unit, pack=PACK, period=period, region_code=region_code, entries=entries
    )
    datasets.submit(session, scope=unit, pack=PACK, period=period, region_code=region_code)


def test_figures_sent_up_wait_on_the_city_and_leave_the_list_once_approved(session):
    load_districts(session)
    submitted(session, WANZHOU)
    assert kinds(session, city)["approve"] == ["万州区 2024 年考核数据（已报送待审核）"]
    datasets.approve(session, scope=city, period=2024, region_code=WANZHOU)
    assert kinds(session, city)["approve"] == []


def test_the_city_is_reminded_of_every_district_that_has_not_reported(session):
    load_districts(session)
    submitted(session, WANZHOU)
    reminders = next(kind for kind in todo(session, city) if kind.kind == "remind")
    assert reminders.total == 37
    assert "涪陵区 2024 年考核数据（未报送）" in [item.subject for item in reminders.items]


def test_a_district_does_not_approve_its_own_figures(session):
    load_districts(session)
    submitted(session, FULING)
    assert kinds(session, officer(FULING))["approve"] == []


def accountant(region_code: str) -> Scope:
    return Scope(
        actor="accountant_01", region_code=region_code, role=Role.COLLECTIVE_ACCOUNTANT.value
    )


def half_answered(session, village: str) -> list[datasets.Entry]:
    """The village's checklist saved but for its last three required answers, which it returns."""
    entries = complete_values(PACK, village, 2024)
    required = {item.key for item in items(PACK, Level.VILLAGE, 2024, village) if item.required}
    left = [entry for entry in entries if entry.item in required][-3:]
    saved = [entry for entry in entries if entry not in left]
    datasets.save(
        session, scope=officer(village), pack=PACK, period=2024, region_code=village, entries=saved
    )
    return left


def test_a_checklist_with_answers_missing_waits_on_the_accountant_and_the_cadre_to_fill(session):
    place = make_place(session)
    half_answered(session, place.village)
    expected = ["石坪村 2024 年考核数据（填报中）"]
    assert kinds(session, accountant(place.village))["fill"] == expected
    assert kinds(session, officer(place.village))["fill"] == expected
    assert kinds(session, officer(place.village))["send"] == []


def test_once_the_accountant_completes_the_checklist_the_cadre_has_it_to_send(session):
    place = make_place(session)
    left = half_answered(session, place.village)
    datasets.save(
        session,
        scope=accountant(place.village),
        pack=PACK,
        period=2024,
        region_code=place.village,
        entries=left,
    )
    assert kinds(session, accountant(place.village)) == {"fill": [], "send": [], "approve": []}
    assert kinds(session, officer(place.village))["send"] == ["石坪村 2024 年考核数据（填报中）"]
    assert kinds(session, officer(place.village))["fill"] == []


def test_once_the_cadre_sends_the_checklist_up_the_town_has_it_to_approve(session):
    place = make_place(session)
    village = officer(place.village)
    entries = complete_values(PACK, place.village, 2024)
    datasets.save(
        session, scope=village, pack=PACK, period=2024, region_code=place.village, entries=entries
    )
    assert kinds(session, officer(place.town))["approve"] == []
    datasets.submit(session, scope=village, pack=PACK, period=2024, region_code=place.village)
    assert kinds(session, village)["send"] == []
    assert kinds(session, officer(place.town))["approve"] == [
        "石坪村 2024 年考核数据（已报送待审核）"
    ]


def returned(session, village: str) -> None:
    submitted(session, village)
    datasets.send_back(
        session, scope=officer(village[:9] + "000"), period=2024, region_code=village,
        comment="卫生厕所普及情况与台账不符",
    )  # fmt: skip


def test_figures_sent_back_wait_to_be_corrected_by_whoever_fills_them(session):
    place = make_place(session)
    returned(session, place.village)
    expected = ["石坪村 2024 年考核数据（已退回）"]
    assert kinds(session, accountant(place.village))["fill"] == expected
    assert kinds(session, officer(place.village))["fill"] == expected
    assert kinds(session, officer(place.village))["send"] == []


def test_figures_corrected_after_being_sent_back_wait_on_the_cadre_to_send_again(session):
    place = make_place(session)
    returned(session, place.village)
    datasets.save(
        session, scope=accountant(place.village), pack=PACK, period=2024,
        region_code=place.village, entries=[Entry("model_village.sanitary_toilets", "否")],
    )  # fmt: skip
    assert kinds(session, accountant(place.village))["fill"] == []
    assert kinds(session, officer(place.village))["send"] == ["石坪村 2024 年考核数据（已退回）"]
