"""Indicators for the districts of a list: each of the 14 former national poverty counties
reports the year's 600 亩 land quota and has its own target; a county not on the list has
neither. The 结对 figures likewise belong to the paired districts only."""

import pytest
from sqlalchemy import select

from tests.assess.factories import CITY, FULING, PACK, WANZHOU, approved, officer
from tests.factories import make_place
from yunong.assess import datasets, scoring
from yunong.assess.catalogue import items
from yunong.assess.datasets import Entry, Refused
from yunong.assess.models import Figure
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope

pytestmark = pytest.mark.db
QUOTA = "former_poverty_county_land_quota"
COUNTIES = sorted(f"{code}000000" for code in PACK.members_of("former_national_poverty_counties"))
ONLY_QUOTA = PACK.model_copy(update={"indicators": {QUOTA: PACK.indicators[QUOTA]}})
YUZHONG = "500103000000"


def quota_figures(session, period=2024):
    rows = session.scalars(select(Figure).where(Figure.period == period, Figure.indicator == QUOTA))
    return {row.region_code: row for row in rows}


def test_each_listed_county_has_its_own_value_and_the_600_mu_target(session):
    make_place(session)
    arranged = {code: 560 + 10 * index for index, code in enumerate(COUNTIES)}
    for code, mu in arranged.items():
        approved(session, code, 2024, ONLY_QUOTA, **{QUOTA: mu})
    approved(session, FULING, 2024, ONLY_QUOTA)
    scoring.compute(session, scope=Scope.system("test"), pack=ONLY_QUOTA, period=2024)
    found = quota_figures(session)
    assert len(COUNTIES) == 14
    assert {code: (found[code].value, found[code].target) for code in COUNTIES} == {
        code: (mu, 600) for code, mu in arranged.items()
    }
    assert found[WANZHOU].colour == "yellow"  # 560 of 600
    assert (found[CITY].value, found[CITY].target) == (sum(arranged.values()), 14 * 600)


def test_a_county_not_on_the_list_has_no_quota_figure_and_no_target(session):
    make_place(session)
    approved(session, WANZHOU, 2024, ONLY_QUOTA, **{QUOTA: 600})
    approved(session, FULING, 2024, ONLY_QUOTA)
    scoring.compute(session, scope=Scope.system("test"), pack=ONLY_QUOTA, period=2024)
    found = quota_figures(session)
    assert FULING not in found
    assert set(found) == {CITY, *COUNTIES}
    assert found["500238000000"].target == 600 and found["500238000000"].value is None


def test_the_quota_is_monitored_not_scored(session):
    make_place(session)
    approved(session, WANZHOU, 2024, ONLY_QUOTA, **{QUOTA: 600})
    scoring.compute(session, scope=Scope.system("test"), pack=ONLY_QUOTA, period=2024)
    assert quota_figures(session)[WANZHOU].points is None


def test_only_listed_counties_are_asked_for_the_quota():
    assert QUOTA in {item.key for item in items(PACK, Level.DISTRICT, 2024, WANZHOU)}
    assert QUOTA not in {item.key for item in items(PACK, Level.DISTRICT, 2024, FULING)}


def test_a_quota_value_from_a_county_not_on_the_list_is_refused(session):
    make_place(session)
    with pytest.raises(Refused) as refused:
        datasets.save(
            session, scope=officer(FULING), pack=PACK, period=2024, region_code=FULING,
            entries=[Entry(QUOTA, "600", line=2)],
        )  # fmt: skip
    assert [str(error) for error in refused.value.errors] == [
        f"第 2 行【指标标识】：“{QUOTA}”不是本表的指标"
    ]


def test_paired_district_figures_belong_to_the_paired_districts_only(session):
    make_place(session)
    key = "paired_investment"
    paired = PACK.model_copy(update={"indicators": {key: PACK.indicators[key]}})
    approved(session, YUZHONG, 2025, paired, **{key: 6000})
    scoring.compute(session, scope=Scope.system("test"), pack=paired, period=2025)
    rows = session.scalars(select(Figure).where(Figure.indicator == key))
    found = {row.region_code: row for row in rows}
    assert set(found) == {f"{code}000000" for code in PACK.members_of("paired_districts")}
    assert (found[YUZHONG].value, found[YUZHONG].target, found[YUZHONG].colour) == (
        6000, 5000, "green"
    )  # fmt: skip
    assert key not in {item.key for item in items(PACK, Level.DISTRICT, 2025, FULING)}
