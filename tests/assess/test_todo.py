"""待办 of the assessment: figures sent up wait on the level above; the city sees the districts
that have not reported."""

from tests.assess.factories import FULING, PACK, WANZHOU, city, complete_values, officer
from yunong.assess import datasets
from yunong.assess.todo import todo
from yunong.core.regions.importers import load_districts


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
