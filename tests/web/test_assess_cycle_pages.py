"""The assessment cycle in the pages: every year of the pack in the year list, the approval
list of the city, feedback after each action, a year with partial reporting, and any
district's public ranking card.

2024: 万州 and 涪陵 approved and scored, the other 36 districts not reported. 2025: 黔江 and
北碚 have sent their figures up, for the city to return and approve. 2026 and 2027: 万州's
officer fills in and sends up through the pages."""

import json
import re

import pytest

from tests.assess.factories import FULING, PACK, WANZHOU, approved, complete_values, officer
from tests.web.test_scope_matrix import client_for
from yunong.assess import datasets, scoring
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.db
QIANJIANG = "500114000000"
BEIBEI = "500109000000"
# Values that appear nowhere else on the pages, to find out whether they are shown.
WANZHOU_INCOME, FULING_INCOME = 7.37, 3.21


def send_up(session, region_code: str, period: int) -> None:
    unit = officer(region_code)
    datasets.save(
        session,
        scope=unit,
        pack=PACK,
        period=period,
        region_code=region_code,
        entries=complete_values(PACK, region_code, period),
    )
    datasets.submit(session, scope=unit, pack=PACK, period=period, region_code=region_code)


@pytest.fixture(scope="module")
def cycle(module_db_url, world):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        approved(session, WANZHOU, 2024, rural_income_growth=WANZHOU_INCOME)
        approved(session, FULING, 2024, rural_income_growth=FULING_INCOME)
        scoring.compute(session, scope=Scope.system("test"), pack=PACK, period=2024)
        for code in (QIANJIANG, BEIBEI):
            send_up(session, code, 2025)
    engine.dispose()


def page(app, world, role: Role, path: str, status: int = 200) -> str:
    response = client_for(app, world, role).get(path)
    assert response.status_code == status, response.text[:500]
    return response.text


def test_the_year_list_offers_every_year_of_the_pack(app, world, cycle):
    text = page(app, world, Role.CITY_ADMIN, "/apps/assess")
    offered = re.findall(r'<option value="(\d{4})"', text)
    assert offered == ["2027", "2026", "2025", "2024"]


def test_a_year_without_scores_opens_and_says_so(app, world, cycle):
    text = page(app, world, Role.CITY_ADMIN, "/apps/assess?period=2026")
    assert "考核驾驶舱 · 2026" in text and "本年度还没有计分。" in text


def test_partial_reporting_ranks_only_the_reported_and_names_the_rest(app, world, cycle):
    text = page(app, world, Role.CITY_ADMIN, "/apps/assess?period=2024")
    data = '<span translate="no">'
    ranks = re.findall(
        rf'<tr><td class="num">(\d+)</td>\s*<td><a href="[^"]+">{data}([^<]+)</span></a>', text
    )
    assert sorted(name for _, name in ranks) == ["万州区", "涪陵区"]
    assert sorted(rank for rank, _ in ranks) == ["1", "2"]
    unreported = re.findall(
        r'<tr class="unreported"><td class="num">—</td>\s*'
        rf'<td><a href="[^"]+">{data}([^<]+)</span></a></td>\s*'
        r'<td class="num">未报送</td>',
        text,
    )
    assert len(unreported) == 36 and "黔江区" in unreported
    assert "2 个区县已报送并参加排名；36 个区县未报送" in text


def chart_data(text: str) -> dict:
    found = re.search(r'<script type="application/json" id="assess-data">(.*?)</script>', text)
    assert found
    return json.loads(found.group(1))


def test_the_map_data_names_the_unreported_districts_apart_from_the_scores(app, world, cycle):
    data = chart_data(page(app, world, Role.CITY_ADMIN, "/apps/assess?period=2024"))
    assert {row["code"] for row in data["ranking"]} == {WANZHOU, FULING}
    assert {"code": QIANJIANG, "name": "黔江区"} in data["unreported"]
    assert len(data["unreported"]) == 36


def test_the_city_opens_its_approval_list_from_the_cockpit(app, world, cycle):
    cockpit = page(app, world, Role.CITY_ADMIN, "/apps/assess?period=2025")
    assert 'href="/assess/2025/approvals"' in cockpit
    text = page(app, world, Role.CITY_ADMIN, "/assess/2025/approvals")
    assert re.findall(r'<tr id="waiting-(\d{12})">', text) == [QIANJIANG, BEIBEI]
    assert "黔江区" in text and "北碚区" in text


def test_roles_that_approve_nothing_see_no_link_and_are_refused_the_list(app, world, cycle):
    cockpit = page(app, world, Role.VILLAGE_CADRE, "/apps/assess?period=2025")
    assert "/approvals" not in cockpit
    page(app, world, Role.VILLAGE_CADRE, "/assess/2025/approvals", status=403)
    page(app, world, Role.BANK_VIEWER, "/assess/2025/approvals", status=403)


def test_a_district_officer_sees_no_other_districts_submissions(app, world, cycle):
    text = page(app, world, Role.DISTRICT_OFFICER, "/assess/2025/approvals")
    assert "黔江区" not in text and "本年度没有等待您审核的报送。" in text


def test_returning_without_a_reason_keeps_the_list_and_says_why(app, world, cycle):
    client = client_for(app, world, Role.CITY_ADMIN)
    response = client.post(
        f"/assess/2025/data/{BEIBEI}/return", data={"comment": "  ", "back": "approvals"}
    )
    assert response.status_code == 422
    assert "退回时请写明原因" in response.text
    assert f'<tr id="waiting-{BEIBEI}">' in response.text


def test_returning_from_the_list_says_to_whom_and_why_and_the_unit_sees_the_reason(
    app, world, cycle
):
    client = client_for(app, world, Role.CITY_ADMIN)
    response = client.post(
        f"/assess/2025/data/{QIANJIANG}/return",
        data={"comment": "粮食产量与统计快报不一致", "back": "approvals"},
    )
    assert response.status_code == 200  # followed to the list
    assert "已退回黔江区，待其修改后重新报送。退回原因：粮食产量与统计快报不一致" in response.text
    assert f'<tr id="waiting-{QIANJIANG}">' not in response.text
    form = page(app, world, Role.CITY_ADMIN, f"/assess/2025/data/{QIANJIANG}")
    assert '退回原因：<span translate="no">粮食产量与统计快报不一致</span>' in form


def test_approving_from_the_list_says_the_figures_are_locked(app, world, cycle):
    client = client_for(app, world, Role.CITY_ADMIN)
    response = client.post(f"/assess/2025/data/{BEIBEI}/approve", data={"back": "approvals"})
    assert "已审核通过：北碚区 2025 年考核数据已锁定" in response.text
    assert f'<tr id="waiting-{BEIBEI}">' not in response.text


def test_a_stale_feedback_link_says_nothing(app, world, cycle):
    text = page(app, world, Role.CITY_ADMIN, f"/assess/2024/data/{WANZHOU}?done=submit")
    assert 'id="feedback"' not in text


def test_sending_up_says_who_approves_next(app, world, cycle):
    client = client_for(app, world, Role.DISTRICT_OFFICER)
    entries = {f"value:{entry.item}": entry.value for entry in complete_values(PACK, WANZHOU, 2026)}
    saved = client.post(f"/assess/2026/data/{WANZHOU}", data=entries)
    assert "已保存：新增" in saved.text
    assert "下一步：填齐后点“报送”，由重庆市审核。" in saved.text
    response = client.post(f"/assess/2026/data/{WANZHOU}/submit")
    assert response.status_code == 200
    assert str(response.url).endswith(f"/assess/2026/data/{WANZHOU}?done=submit")
    assert "已报送，待重庆市审核。" in response.text


def test_a_refused_save_shows_the_form_again_with_what_was_typed(app, world, cycle):
    client = client_for(app, world, Role.DISTRICT_OFFICER)
    response = client.post(
        f"/assess/2027/data/{WANZHOU}",
        data={"value:rural_income_growth": "七点五", "value:grain_output": "118.5"},
    )
    assert response.status_code == 422
    assert "“七点五”不是数字" in response.text
    assert 'value="七点五"' in response.text and 'value="118.5"' in response.text


def test_submitting_with_items_missing_keeps_the_page_and_says_which(app, world, cycle):
    client = client_for(app, world, Role.DISTRICT_OFFICER)
    client.post(f"/assess/2027/data/{WANZHOU}", data={"value:grain_output": "118.5"})
    response = client.post(f"/assess/2027/data/{WANZHOU}/submit")
    assert response.status_code == 422
    assert "项未填" in response.text and f"/assess/2027/data/{WANZHOU}/submit" in response.text


def test_a_district_officer_opens_another_districts_public_ranking_card(app, world, cycle):
    text = page(app, world, Role.DISTRICT_OFFICER, f"/assess/2024/districts/{FULING}")
    assert '<h1 id="district-name"><span translate="no">涪陵区</span> · 2024</h1>' in text
    assert re.search(r'id="district-rank">\d</strong> / 2', text)
    assert "<table" not in text and f">{FULING_INCOME}<" not in text
    assert f"/assess/2024/data/{FULING}" not in text


def test_the_public_card_of_a_district_that_did_not_report_says_so(app, world, cycle):
    text = page(app, world, Role.DISTRICT_OFFICER, f"/assess/2024/districts/{QIANJIANG}")
    assert '<strong id="district-score">未报送</strong>' in text


def test_every_role_opens_every_districts_card_from_the_ranking(app, world, cycle):
    text = page(app, world, Role.TOWN_OFFICER, "/apps/assess?period=2024")
    links = set(re.findall(r'href="(/assess/2024/districts/\d{12})"', text))
    assert len(links) == 38
    client = client_for(app, world, Role.TOWN_OFFICER)
    assert {client.get(link).status_code for link in links} == {200}


def test_a_district_officer_sees_its_own_figures_in_full(app, world, cycle):
    text = page(app, world, Role.DISTRICT_OFFICER, f"/assess/2024/districts/{WANZHOU}")
    assert f'<td class="num">{WANZHOU_INCOME}</td>' in text


def test_a_district_that_did_not_report_shows_no_zero_score_to_the_city(app, world, cycle):
    text = page(app, world, Role.CITY_ADMIN, f"/assess/2024/districts/{QIANJIANG}")
    assert '<strong id="district-score">未报送</strong>' in text
    assert '<td class="num colour-">未报送</td>' in text
    assert '<td class="num colour-red">0.0%</td>' not in text


def test_the_cockpit_offers_data_entry_to_fillers_and_the_figures_to_other_roles(app, world, cycle):
    assert "本级数据填报" in page(app, world, Role.DISTRICT_OFFICER, "/apps/assess?period=2024")
    text = page(app, world, Role.BANK_VIEWER, "/apps/assess?period=2024")
    assert "本级考核数据" in text and "本级数据填报" not in text
