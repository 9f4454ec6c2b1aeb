"""The cockpit's figures computed from the books: operating income per village, the villages
reaching the income band, the debt ratio and the villages at its warning band; and from the
帮扶项目: the share of 衔接资金 going to industry and the share of accepted projects whose
assets were handed to the collective, against figures worked out by hand."""

from datetime import date

import pytest

from tests.collective.factories import RULES, SYSTEM, make_org, make_project, write_book
from tests.factories import make_place
from yunong.assess import figures
from yunong.collective import importer
from yunong.collective import indicators as collective_indicators  # registers the figures
from yunong.core import indicators
from yunong.core.regions.codes import Level
from yunong.policy import loader

PACK = loader.get()

pytestmark = pytest.mark.db


@pytest.fixture
def books(session, tmp_path):
    place = make_place(session)
    org = make_org(session, place.village)
    importer.import_vouchers(
        session, scope=SYSTEM, org=org, path=write_book(tmp_path / "凭证.xlsx"), rules=RULES
    )
    return place


def compute(session, name, level, under="500000000000"):
    assert collective_indicators.INCOME_ACCOUNTS == ("501", "502")
    function = indicators.get(name)
    assert function is not None, f"{name} 未登记"
    return function(session, period=2024, level=level, under=under)


def test_operating_income_is_the_years_business_and_investment_income(session, books):
    found = compute(session, "collective.operating_income", Level.VILLAGE)
    # 经营收入 18,000 + 投资收益 3,210.15 (the 补助收入 is not operating income)
    assert round(found[books.village].value, 6) == 2.121015
    town = compute(session, "collective.operating_income", Level.TOWN)
    assert town[books.town].denominator == 1
    # 2.12 万元 is below the pack's band of 10 万元
    above = compute(session, "collective.villages_above_band", Level.TOWN)
    assert above[books.town].value == 0.0


def test_the_debt_ratio_is_liabilities_over_assets_at_the_years_end(session, books):
    found = compute(session, "collective.debt_ratio", Level.VILLAGE)
    assert round(found[books.village].value, 4) == round(100 * 39000 / 1102345, 4)
    warnings = compute(session, "collective.debt_warnings", Level.DISTRICT)
    assert warnings[books.district].value == 0.0


CITY = "500000000000"


def cockpit(session, key, level, under=CITY):
    """The figure as the cockpit computes it for a pack indicator."""
    return figures.values(session, pack=PACK, key=key, period=2024, level=level, under=under)


@pytest.fixture
def project_book(session):
    """Projects of two villages of one town: 2024's 衔接资金, 万元 by hand below."""
    place = make_place(session)
    steps = {"built": date(2024, 6, 1), "accepted": date(2024, 7, 1)}
    handed = steps | {"confirmed": date(2024, 8, 1), "handed_over": date(2024, 9, 1)}
    # 石坪村: industry 100 (central) + 50 鲁渝协作 (not 衔接资金), handed over in 2024
    make_project(
        session, place.village, "P1", funds={"central": "100万", "lu_yu": "50万"}, steps=handed
    )
    # infrastructure 40 (district), accepted, not handed over
    make_project(
        session, place.village, "P2", kind="infrastructure", funds={"district": "40万"}, steps=steps
    )
    # industry 60 (municipal), accepted in 2024, handed over only in 2025
    late = steps | {"confirmed": date(2025, 1, 5), "handed_over": date(2025, 2, 1)}
    make_project(session, place.village, "P3", funds={"municipal": "60万"}, steps=late)
    # 2023's project counts in neither year's share of 2024 funds
    make_project(
        session, place.village, "P4", funds={"central": "999万"}, approved_on=date(2023, 5, 1)
    )
    # 复兴村: public service 30 (central), built only
    make_project(
        session,
        place.neighbour_village,
        "P5",
        kind="public_service",
        funds={"central": "30万"},
        steps={"built": date(2024, 10, 1)},
    )
    return place


def test_the_linkage_fund_industry_share_is_computed_not_reported():
    indicator = PACK.indicators["linked_fund_industry_share"]
    assert indicator.method == "computed:collective.linkage_industry_share"
    assert figures.origin(indicator, Level.CITY) == "系统计算（collective.linkage_industry_share）"
    handed = PACK.indicators["collective_project_assets_handed_over"]
    assert handed.method == "computed:collective.project_assets_handed_over"


def test_the_cockpit_linkage_share_equals_the_hand_computation(session, project_book):
    # industry 衔接资金 100 + 60 over all 衔接资金 100 + 40 + 60 + 30 (鲁渝协作 and 2023 left out)
    city = cockpit(session, "linked_fund_industry_share", Level.CITY)[CITY]
    assert city.value == pytest.approx(100 * 160 / 230)
    assert (city.numerator, city.denominator) == (160 * 10000 * 100, 230 * 10000 * 100)
    district = cockpit(session, "linked_fund_industry_share", Level.DISTRICT)
    assert district[project_book.district].value == pytest.approx(100 * 160 / 230)
    village = compute(session, "collective.linkage_industry_share", Level.VILLAGE)
    assert village[project_book.village].value == pytest.approx(80.0)
    assert village[project_book.neighbour_village].value == 0.0


def test_the_cockpit_handed_over_share_counts_projects_accepted_by_the_years_end(
    session, project_book
):
    # accepted by 2024-12-31: P1, P2, P3; handed over by then: P1 only
    found = cockpit(session, "collective_project_assets_handed_over", Level.TOWN)
    assert found[project_book.town].value == pytest.approx(100 / 3)
    assert (found[project_book.town].numerator, found[project_book.town].denominator) == (1, 3)
    # 复兴村 has no accepted project: no figure rather than 0 %
    village = cockpit(session, "collective_project_assets_handed_over", Level.VILLAGE)
    assert project_book.neighbour_village not in village
