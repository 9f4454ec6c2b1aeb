"""The cockpit's pages for an indicator of a list: the 600 亩 quota page shows each of the 14
former national poverty counties with its own value and target, no county off the list, and
says the indicator is monitored only."""

import re

import pytest

from tests.assess.factories import FULING, PACK, approved
from tests.web.test_scope_matrix import client_for
from yunong.assess import scoring
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.db
QUOTA = "former_poverty_county_land_quota"
COUNTIES = sorted(f"{code}000000" for code in PACK.members_of("former_national_poverty_counties"))
ONLY_QUOTA = PACK.model_copy(update={"indicators": {QUOTA: PACK.indicators[QUOTA]}})
ARRANGED = {code: 560 + 10 * index for index, code in enumerate(COUNTIES)}
ROW = re.compile(
    r'<a href="/assess/2024/districts/(\d{12})"><span translate="no">[^<]+</span></a></td>\s*'
    r'<td class="num">([\d.—]+)</td>\s*<td class="num">([\d.—]+)</td>'
)


@pytest.fixture(scope="module")
def scored(module_db_url, world):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        for code, mu in ARRANGED.items():
            approved(session, code, 2024, ONLY_QUOTA, **{QUOTA: mu})
        approved(session, FULING, 2024, ONLY_QUOTA)
        scoring.compute(session, scope=Scope.system("test"), pack=ONLY_QUOTA, period=2024)
    engine.dispose()


def quota_page(app, world) -> str:
    response = client_for(app, world, Role.CITY_ADMIN).get(f"/assess/2024/indicators/{QUOTA}")
    assert response.status_code == 200
    return response.text


def test_the_quota_page_lists_each_county_with_its_own_value_and_target(app, world, scored):
    rows = {code: (value, target) for code, value, target in ROW.findall(quota_page(app, world))}
    assert rows == {code: (f"{mu:.1f}", "600.0") for code, mu in ARRANGED.items()}
    assert FULING not in rows


def test_the_quota_page_says_it_is_monitored_only_and_for_which_list(app, world, scored):
    page = quota_page(app, world)
    assert "仅监测，不计分" in page
    assert "原国家扶贫开发工作重点区县（14 个区县）" in page
    assert '目标来源：<span translate="no">（三十五）</span>' in page
