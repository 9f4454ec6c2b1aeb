"""The cockpit's figures computed from the books: operating income per village, the villages
reaching the income band, the debt ratio and the villages at its warning band."""

import pytest

from tests.collective.factories import RULES, SYSTEM, make_org, write_book
from tests.factories import make_place
from yunong.collective import importer
from yunong.collective import indicators as collective_indicators  # registers the figures
from yunong.core import indicators
from yunong.core.regions.codes import Level

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
