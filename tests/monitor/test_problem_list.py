"""The zeroing board's problems paged in the database: every open problem counted, the
longest overdue first, one kind at a time if chosen, and the age bands counted per region
with the band edges a working-day calendar gives."""

from datetime import date, timedelta

import pytest

from tests.factories import add_user, make_place
from tests.monitor.factories import add_alert, add_household, family
from yunong.core import listing
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.monitor import calendar, opening, problem_list
from yunong.policy import loader

PACK = loader.get()
TODAY = date(2024, 7, 15)


def town(place) -> Scope:
    return Scope(actor="town_officer", region_code=place.town, role=Role.TOWN_OFFICER.value)


@pytest.fixture
def place(session):
    """Three cases of 石坪村 and one of 复兴村 waiting for their visit since June 2024, each
    opened a week after the one before."""
    place = make_place(session)
    add_user(session, "grid_shiping", Role.GRID_WORKER, place.village)
    add_user(session, "grid_fuxing", Role.GRID_WORKER, place.neighbour_village)
    villages = [place.village] * 3 + [place.neighbour_village]
    for number, village in enumerate(villages):
        made = add_household(session, village=village, number=f"05{number:02d}", members=family())
        opening.open_case(
            session,
            scope=Scope(actor="cadre", region_code=village, role=Role.VILLAGE_CADRE.value),
            alert_id=add_alert(session, made).id,
            grid_worker="grid_shiping" if village == place.village else "grid_fuxing",
            pack=PACK,
            today=date(2024, 6, 3) + timedelta(days=7 * number),
        )
    return place


def test_every_open_problem_is_counted_and_paged_the_longest_overdue_first(session, place):
    page = listing.parse({"size": "3"}, problem_list.PROBLEMS)
    found = problem_list.get_page(session, scope=town(place), page=page, today=TODAY)
    assert (found.total, found.first, found.last) == (4, 1, 3)
    ages = [problem.age for problem in found.rows]
    assert ages == sorted(ages, reverse=True) and found.rows[0].due_on < found.rows[-1].due_on
    second = listing.parse({"size": "3", "page": "2"}, problem_list.PROBLEMS)
    [last] = problem_list.get_page(session, scope=town(place), page=second, today=TODAY).rows
    assert last.region == "万州区 龙沙镇 复兴村" and last.owner == "网格员"


def test_a_kind_with_no_problems_lists_none(session, place):
    page = listing.parse({"category": "measure_overdue"}, problem_list.PROBLEMS)
    found = problem_list.get_page(session, scope=town(place), page=page, today=TODAY)
    assert (found.total, found.rows) == (0, [])


def test_the_bands_per_village_add_up_to_the_problems_listed(session, place):
    table = problem_list.by_region_and_band(session, scope=town(place), today=TODAY, width=12)
    page = listing.parse({}, problem_list.PROBLEMS)
    listed = problem_list.get_page(session, scope=town(place), page=page, today=TODAY).rows
    expected: dict[str, dict[str, int]] = {}
    for problem in listed:
        bands = expected.setdefault(problem.village_code, {})
        bands[problem.age_band] = bands.get(problem.age_band, 0) + 1
    assert {key: dict(counts) for key, counts in table.items()} == expected


@pytest.mark.parametrize("days", [5, 10])
def test_a_band_begins_at_the_earliest_due_date_still_within_its_working_days(days):
    for offset in range(0, 366, 3):
        today = date(2024, 1, 2) + timedelta(days=offset)
        earliest = problem_list.earliest_due(today, days)
        assert calendar.working_days_between(earliest, today) <= days
        assert calendar.working_days_between(earliest - timedelta(days=1), today) > days
