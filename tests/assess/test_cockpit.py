"""What the cockpit reads for a year: every year of the pack can be chosen, the districts that
did not report are named apart from the ranking, and any district has a ranking card."""

import pytest

from tests.assess.factories import FULING, PACK, WANZHOU, approved, city, officer
from tests.factories import make_place
from yunong.assess import cockpit, scoring
from yunong.core.errors import NotFound
from yunong.core.scope import OutOfScope, Scope

pytestmark = pytest.mark.db
OPERATOR = Scope.system("test")
FIRST_TOWN_OF_FULING = "500102101000"


def scored_2024(session):
    make_place(session)
    approved(session, WANZHOU, 2024)
    approved(session, FULING, 2024)
    scoring.compute(session, scope=OPERATOR, pack=PACK, period=2024)


def test_the_year_list_has_every_year_of_the_pack_before_any_score(session):
    make_place(session)
    assert cockpit.listed_periods(session, PACK) == [2027, 2026, 2025, 2024]


def test_the_year_list_adds_a_scored_year_the_pack_has_no_target_for(session):
    make_place(session)
    income = PACK.indicators["rural_income_growth"]
    targets = income.targets | {2023: income.targets[2024]}
    earlier = PACK.model_copy(
        update={
            "indicators": {"rural_income_growth": income.model_copy(update={"targets": targets})}
        }
    )
    approved(session, WANZHOU, 2023, earlier)
    scoring.compute(session, scope=OPERATOR, pack=earlier, period=2023)
    assert cockpit.listed_periods(session, PACK) == [2027, 2026, 2025, 2024, 2023]


def test_the_cockpit_opens_on_the_newest_scored_year_else_the_packs_first(session):
    make_place(session)
    assert cockpit.opening_period(session, PACK) == 2024
    approved(session, WANZHOU, 2025)
    scoring.compute(session, scope=OPERATOR, pack=PACK, period=2025)
    assert cockpit.opening_period(session, PACK) == 2025


def test_districts_that_did_not_report_are_listed_apart_from_the_ranking(session):
    scored_2024(session)
    ranking = cockpit.scores(session, scope=city, period=2024)
    unranked = cockpit.unranked(session, ranking)
    assert {row.code for row in ranking} == {WANZHOU, FULING}
    assert len(unranked) == 36
    assert ("500103000000", "渝中区") in unranked


def test_a_year_not_scored_lists_nobody_as_unreported(session):
    scored_2024(session)
    assert cockpit.unranked(session, cockpit.scores(session, scope=city, period=2025)) == []


def test_a_district_officer_reads_the_ranking_card_of_another_district(session):
    scored_2024(session)
    region = cockpit.get_district(session, scope=officer(WANZHOU), code="500102")
    assert (region.code, region.name) == (FULING, "涪陵区")


def test_a_town_of_another_district_has_no_ranking_card_and_is_not_revealed(session):
    scored_2024(session)
    with pytest.raises(OutOfScope):
        cockpit.get_district(session, scope=officer(WANZHOU), code=FIRST_TOWN_OF_FULING)


def test_a_town_inside_the_scope_is_refused_as_not_a_district(session):
    scored_2024(session)
    with pytest.raises(NotFound, match="不是区县"):
        cockpit.get_district(session, scope=officer(WANZHOU), code="500101108000")
