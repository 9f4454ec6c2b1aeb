"""考核驾驶舱 in headless Chromium: the city cockpit draws its charts without a JavaScript
error, reads on a phone, and drills into a district; a district officer opens another
district's ranking card; one round of the approval cycle, from sending up to approval,
with what each step did and who acts next said on the page; and a village's checklist
completed by its accountant on a phone, sent up by its cadre, waiting on its town."""

import pytest
from playwright.sync_api import expect

from tests.assess.factories import CITY, FULING, PACK, WANZHOU, approved, complete_values, officer
from tests.browser import DESKTOP, PHONE, browser_page, log_in, served
from tests.factories import PASSWORD
from yunong.assess import datasets, scoring
from yunong.assess.catalogue import items
from yunong.core.auth.roles import Role
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scored(module_db_url, world):
    """2024 values of the city, 万州 and 涪陵, approved and scored."""
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        approved(session, CITY, 2024)
        approved(session, WANZHOU, 2024, rural_income_growth=7.5)
        approved(session, FULING, 2024, rural_income_growth=3.0)
    with transaction(make_sessionmaker(engine)) as session:
        scoring.compute(session, scope=Scope.system("test"), pack=PACK, period=2024)
    with transaction(make_sessionmaker(engine)) as session:
        datasets.save(
            session,
            scope=officer(WANZHOU),
            pack=PACK,
            period=2025,
            region_code=WANZHOU,
            entries=complete_values(PACK, WANZHOU, 2025),
        )
    engine.dispose()


@pytest.fixture(scope="module")
def server(module_db_url, scored, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def cockpit_page(server, request):
    with browser_page(server, request.param) as page:
        problems: list[str] = []
        page.on(
            "console", lambda message: message.type == "error" and problems.append(message.text)
        )
        page.on("pageerror", lambda error: problems.append(str(error)))
        yield page, problems


def test_the_city_cockpit_draws_its_charts_and_drills_into_a_district(cockpit_page, world):
    page, problems = cockpit_page
    log_in(page, world.accounts[Role.CITY_ADMIN].name, PASSWORD)
    page.goto("/apps/assess")
    expect(page.locator("h1")).to_have_text("考核驾驶舱 · 2024")
    expect(page.locator("#ranking-chart[data-drawn=true] svg")).to_have_count(1)
    expect(page.locator("#score-map[data-drawn=true] svg path").first).to_be_attached()
    # 36 districts have not reported: drawn in neutral grey, not in the colour of a low score.
    expect(page.locator('#score-map svg path[fill="#d9d9d9"]')).not_to_have_count(0)
    expect(page.locator(".gauge[data-drawn=true] svg")).not_to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.locator("table.ranking").get_by_role("link", name="万州区").click()
    expect(page.locator("#district-name")).to_have_text("万州区 · 2024")
    expect(page.locator("#progress-chart[data-drawn=true] svg")).to_have_count(1)
    expect(page.get_by_role("link", name="农村常住居民人均可支配收入增速")).to_be_visible()
    assert problems == []


def test_a_district_officer_opens_another_districts_ranking_card(cockpit_page, world):
    page, problems = cockpit_page
    log_in(page, world.accounts[Role.DISTRICT_OFFICER].name, PASSWORD)
    page.goto("/apps/assess?period=2024")
    page.locator("table.ranking").get_by_role("link", name="涪陵区").click()
    expect(page.locator("#district-name")).to_have_text("涪陵区 · 2024")
    expect(page.locator("#district-rank")).to_have_text("2")
    page.go_back()
    page.locator("table.ranking").get_by_role("link", name="黔江区").click()
    expect(page.locator("#district-score")).to_have_text("未报送")
    assert problems == []


def as_user(page, world, role: Role) -> None:
    if page.get_by_role("button", name="退出").count():
        page.get_by_role("button", name="退出").click()
    log_in(page, world.accounts[role].name, PASSWORD)


def test_a_round_of_approval_says_what_happened_and_who_acts_next(server, world):
    reason = "粮食产量与统计快报不一致，请核实"
    with browser_page(server, DESKTOP) as page:
        feedback = page.locator("#feedback")
        as_user(page, world, Role.DISTRICT_OFFICER)
        page.goto(f"/assess/2025/data/{WANZHOU}")
        page.get_by_role("button", name="报送").click()
        expect(feedback).to_have_text("已报送，待重庆市审核。")
        expect(page.locator("#data-set-state")).to_have_text("已报送待审核")

        as_user(page, world, Role.CITY_ADMIN)
        page.goto("/apps/assess?period=2025")
        page.get_by_role("link", name="待审核的报送").click()
        page.get_by_label("退回原因 万州区").fill(reason)
        page.get_by_role("button", name="退回 万州区").click()
        expect(feedback).to_have_text(f"已退回万州区，待其修改后重新报送。退回原因：{reason}")
        expect(page.locator("#nothing-waiting")).to_be_visible()

        as_user(page, world, Role.DISTRICT_OFFICER)
        page.goto(f"/assess/2025/data/{WANZHOU}")
        expect(page.get_by_text(f"退回原因：{reason}")).to_be_visible()
        page.get_by_role("button", name="报送").click()
        expect(feedback).to_have_text("已报送，待重庆市审核。")

        as_user(page, world, Role.CITY_ADMIN)
        page.goto("/assess/2025/approvals")
        page.get_by_role("button", name="审核通过 万州区").click()
        expect(feedback).to_have_text(
            "已审核通过：万州区 2025 年考核数据已锁定，重新计分后计入考核。"
        )
        page.goto(f"/assess/2025/data/{WANZHOU}")
        expect(page.locator("#data-set-state")).to_have_text("已审核锁定")


@pytest.fixture(scope="module")
def half_filled(module_db_url, world) -> list[str]:
    """石坪村's 2024 checklist saved by its cadre but for its last three required answers,
    whose names it returns."""
    village = world.place.village
    required = [item for item in items(PACK, Level.VILLAGE, 2024, village) if item.required]
    left = {item.key for item in required[-3:]}
    entries = [entry for entry in complete_values(PACK, village, 2024) if entry.item not in left]
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        datasets.save(
            session, scope=officer(village), pack=PACK, period=2024, region_code=village,
            entries=entries,
        )  # fmt: skip
    engine.dispose()
    return [item.name for item in required[-3:]]


def open_from_home(page, action: str, subject: str) -> None:
    page.goto("/")
    kind = page.locator("details.todo-kind", has=page.locator("summary", has_text=action))
    kind.evaluate("details => { details.open = true; }")  # only the first kind opens by itself
    kind.get_by_role("link", name=subject).click()


def test_the_accountant_completes_the_checklist_on_a_phone_and_the_cadre_sends_it_up(
    server, world, half_filled
):
    drafted = "石坪村 2024 年考核数据（填报中）"
    with browser_page(server, PHONE) as page:
        log_in(page, world.accounts[Role.COLLECTIVE_ACCOUNTANT].name, PASSWORD)
        open_from_home(page, "填报考核数据", drafted)
        expect(page.locator("#data-set-state")).to_have_text("填报中")
        expect(page.get_by_role("button", name="报送")).to_have_count(0)
        for name in half_filled:
            page.get_by_label(name).fill("是")
        page.get_by_role("button", name="保存").click()
        expect(page.locator("#feedback")).to_contain_text("已保存：新增 3 项，修改 0 项。")
        expect(page.locator("#feedback")).to_contain_text(
            "下一步：由石坪村的干部报送，龙沙镇审核。"
        )
        page.goto("/")
        expect(page.get_by_role("link", name=drafted)).to_have_count(0)

    with browser_page(server, PHONE) as page:
        log_in(page, world.accounts[Role.VILLAGE_CADRE].name, PASSWORD)
        open_from_home(page, "报送考核数据", drafted)
        page.get_by_role("button", name="报送").click()
        expect(page.locator("#feedback")).to_have_text("已报送，待龙沙镇审核。")

    with browser_page(server, DESKTOP) as page:
        log_in(page, world.accounts[Role.TOWN_OFFICER].name, PASSWORD)
        open_from_home(page, "审核报送的考核数据", "石坪村 2024 年考核数据（已报送待审核）")
        expect(page.locator("#data-set-state")).to_have_text("已报送待审核")
