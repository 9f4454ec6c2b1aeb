"""Every demo role at work, in headless Chromium at desktop and phone size: it signs in,
finds an item on its 待办, follows the item's link, does the work with the page's own
buttons, and sees the item leave its list while the next actor's list gains one.

One tiny demo is built and served for the whole module. Where the demo holds one piece of
some work (an alert to send out, a case at each step, a batch to harvest, a checklist), the
fixture adds another the way the users would, so that each test finds its own item at each
size whatever ran before it.
"""

import json
import re
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from tests.browser import DESKTOP, PHONE, browser_page, log_in, served
from tests.conftest import copy_database
from tests.monitor.factories import add_alert, add_household, family
from tests.trace.factories import add_batch, grow_and_harvest, record
from yunong.assess import datasets
from yunong.assess.catalogue import items
from yunong.assess.models import DataSet
from yunong.core.auth import service as users
from yunong.core.auth.models import User
from yunong.core.auth.roles import Role
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.demo.users import DEMO_PASSWORD, demo_regions
from yunong.monitor import calendar, opening, visits, workflow
from yunong.notices import service as notices
from yunong.policy import loader
from yunong.store.base import utcnow
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.trace import scans
from yunong.trace.models import ProducerAccount, Product

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("todo_walk")]
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
ACCOUNTS = (
    "demo_city",
    "demo_district",
    "demo_town",
    "demo_village",
    "demo_grid",
    "demo_accountant",
    "demo_bank",
    "demo_producer",
)


@dataclass(frozen=True)
class Demo:
    url: str
    tokens: dict[str, str]
    """A bearer token of each demo account, to read its 待办 as it would."""
    reporters: dict[str, str]
    """A token of an officer of each district whose figures wait on the city, by its code."""


@pytest.fixture(scope="module")
def demo(tmp_path_factory, sqlite_tiny_demo) -> Demo:
    # SQLite only: which items a role finds and which buttons complete them does not depend
    # on the database; every step's writes run on both databases in the service and API
    # tests (tests/web/test_todo.py, tests/monitor, tests/assess, tests/trace).
    url = copy_database(sqlite_tiny_demo[0], "yunong", tmp_path_factory.mktemp("walk"))
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as session:
        add_second_alert(session)
        add_cases(session)
        add_batches(session)
        add_earlier_checklist(session)
        add_bank_notice(session)
        tokens = {name: token_of(session, name) for name in ACCOUNTS}
        reporters = {code: add_district_officer(session, code) for code in submitted(session)}
    engine.dispose()
    return Demo(url, tokens, reporters)


def add_second_alert(session) -> None:
    """The demo village has one alert to send out; one more lets both sizes send one."""
    village = demo_regions(session)["village"]
    made = add_household(session, village=village, number="0901", members=family("何明华"))
    add_alert(session, made)


STEPS = ("verify", "village_review", "town_review", "district_approval", "measures")
WAITING = {"罗桂英": "verify", "蒋国平": "village_review", "袁小梅": "town_review"}
WAITING |= {"唐德明": "district_approval", "钟丽华": "measures", "谢永福": "measures"}
"""A household head of the demo village, and the step their case waits for (``measures``:
included by the district, its measures still to put in place)."""


def add_cases(session) -> None:
    """The demo has one case waiting at each step of identification and none for its
    measures; more, taken there by the demo accounts through the services, let both sizes
    take one."""
    village = demo_regions(session)["village"]
    pack = loader.get()
    for number, (head, waiting_at) in enumerate(WAITING.items(), start=902):
        made = add_household(session, village=village, number=f"0{number}", members=family(head))
        case = opening.open_case(
            session,
            scope=scope_of_account(session, "demo_village"),
            alert_id=add_alert(session, made).id,
            grid_worker="demo_grid",
            pack=pack,
        )
        for step in STEPS[: STEPS.index(waiting_at)]:
            take(session, case, made.household.code, step, pack)


def take(session, case, household: str, step: str, pack) -> None:
    if step == "verify":
        visit = visits.VisitIn(f"walk-{household}", household, calendar.today(), verifies=True)
        visits.record_visit(
            session, scope=scope_of_account(session, "demo_grid"), visit_in=visit, pack=pack
        )
        return
    if step == "district_approval":
        district = scope_of_account(session, "demo_district")
        category = pack.monitoring.workflow.categories[0]
        workflow.include(
            session, scope=district, case=case, pack=pack, category=category, risk_types=["因病"]
        )
        return
    actor = {"village_review": "demo_village", "town_review": "demo_town"}[step]
    workflow.take_step(
        session, scope=scope_of_account(session, actor), case=case, step_name=step, pack=pack
    )


def scope_of_account(session, name: str) -> Scope:
    return users.scope_of(session.scalars(select(User).where(User.name == name)).one())


def add_batches(session) -> None:
    """More batches of the demo producer's product, so that both sizes find work: one
    planted and not harvested yet (the demo has another), two harvested and not certified,
    and a harvested one scanned far beyond its size."""
    product = session.scalars(
        select(Product)
        .join(ProducerAccount, ProducerAccount.producer_id == Product.producer_id)
        .join(User, User.id == ProducerAccount.user_id)
        .where(User.name == "demo_producer")
    ).first()
    growing = add_batch(session, product, lot="2024-05", produced_on=date(2024, 5, 20))
    record(session, growing, "planting", "2024-03-01 08:00")
    for lot in ("2024-06", "2024-07"):
        grow_and_harvest(session, add_batch(session, product, lot=lot))
    # A second possible counterfeit for the officials to decide on, beside the demo's one.
    overscanned = add_batch(session, product, lot="2023-12", produced_on=date(2023, 12, 1))
    grow_and_harvest(session, overscanned)
    scans.flag(session, overscanned, "overscan", "扫码 9,800 次，本批只有 1,000 件", None, utcnow())


LEFT_OPEN = ("通硬化路、供水水质达标", "村卫生室与互助养老设施", "村规民约与移风易俗")
"""The checklist answers the demo village has not given yet (its last three required)."""


def add_earlier_checklist(session) -> None:
    """The demo village's 2023 checklist, in draft with the same three answers open as its
    2024 one, so that the accountant finds one to complete at each size."""
    village = demo_regions(session)["village"]
    pack = loader.get()
    required = [item for item in items(pack, Level.VILLAGE, 2023, village) if item.required]
    assert [item.name for item in required[-3:]] == list(LEFT_OPEN)
    entries = [datasets.Entry(item.key, "是") for item in required[:-3]]
    datasets.save(
        session, scope=Scope.system(), pack=pack, period=2023, region_code=village, entries=entries
    )


def add_bank_notice(session) -> None:
    """The district's notice to the banks alone, beside the demo's one to every role."""
    notice_in = notices.NoticeIn(
        "关于配合做好小额信贷风险排查的通知",
        "请各金融机构配合做好脱贫人口小额信贷风险排查，逐户核对还款情况。",
        roles=(Role.BANK_VIEWER.value,),
        due_on=(notices.today() + timedelta(days=5)).isoformat(),
    )
    scope = scope_of_account(session, "demo_district")
    notices.publish(session, scope=scope, notice_in=notice_in, today=notices.today())


def token_of(session, name: str) -> str:
    user = session.scalars(select(User).where(User.name == name)).one()
    return users.create_token(session, scope=Scope.system(), user_id=user.id)


def submitted(session) -> list[str]:
    """The districts whose figures the city has to approve or return."""
    found = select(DataSet.region_code).where(DataSet.state == "submitted")
    return list(session.scalars(found))


def add_district_officer(session, district: str) -> str:
    user = users.create(
        session,
        scope=Scope.system(),
        user_in=users.UserIn(
            name=f"officer_{district[:6]}",
            role=Role.DISTRICT_OFFICER.value,
            region_code=district,
            password="Walk-Officer@2024",
            full_name="区县考核联络员",
        ),
    )
    return users.create_token(session, scope=Scope.system(), user_id=user.id)


@pytest.fixture(scope="module")
def server(demo, tmp_path_factory) -> Iterator[str]:
    with served(demo.url, tmp_path_factory.mktemp("var")) as address:
        yield address


@contextmanager
def signed_in(server: str, account: str, viewport: dict[str, int]) -> Iterator[Page]:
    with browser_page(server, viewport) as page:
        log_in(page, account, DEMO_PASSWORD)
        expect(page.locator(".todo")).to_be_visible()
        yield page


def waiting(server: str, token: str) -> Counter[str]:
    """How many items of each kind wait on the token's user, as /api/me/todo says (a kind
    with nothing waiting is left out there, and counts 0 here)."""
    request = urllib.request.Request(
        f"{server}/api/me/todo", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return Counter({kind["action"]: kind["total"] for kind in json.load(response)})


def kind_on_home(page: Page, action: str) -> Locator:
    """The home page's list of the work ``action`` (e.g. 乡镇审核), reached as a user would:
    by the name at the top of every page, which is there at both sizes."""
    if not page.url.endswith("/"):
        page.get_by_role("link", name="渝农大脑").click()
        expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".todo")).to_be_visible()
    return page.locator(".todo details", has=page.locator("summary", has_text=action))


def follow_first(page: Page, action: str) -> str:
    """From the home page, the first item of ``action`` opened as a user would (on a phone
    a kind other than the first is folded: tap it open); its subject."""
    kind = kind_on_home(page, action)
    expect(kind).to_have_count(1)
    if kind.get_attribute("open") is None:
        kind.locator("summary").click()
    link = kind.get_by_role("link").first
    subject = link.inner_text()
    link.click()
    page.wait_for_load_state()
    # The page where the work is done fits the screen: nothing to scroll sideways to.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    return subject


def expect_gone_from_home(page: Page, action: str, subject: str) -> None:
    listed = kind_on_home(page, action).get_by_role("link", name=subject, exact=True)
    expect(listed).to_have_count(0)


class Walk:
    """Counts of one actor's and the next actor's 待办 before and after a step."""

    def __init__(self, server: str, actor: str, follower: str, action: str, next_action: str):
        self.server, self.actor, self.follower = server, actor, follower
        self.action, self.next_action = action, next_action
        self.before = waiting(server, actor)
        self.follower_before = waiting(server, follower)

    def check(self) -> None:
        mine = waiting(self.server, self.actor)
        theirs = waiting(self.server, self.follower)
        assert mine[self.action] == self.before[self.action] - 1
        assert theirs[self.next_action] == self.follower_before[self.next_action] + 1


# The monitoring chain: 派发 → 入户核实 → 村级评议 → 乡镇审核 → 区县审批


@VIEWPORTS
def test_the_village_cadre_sends_its_grid_worker_to_verify_an_alert(server, demo, viewport):
    walk = Walk(
        server, demo.tokens["demo_village"], demo.tokens["demo_grid"], "派发核实任务", "入户核实"
    )
    with signed_in(server, "demo_village", viewport) as page:
        subject = follow_first(page, "派发核实任务")
        row = page.locator("table.alerts tbody tr", has_text=subject.split("户（")[0])
        row.get_by_label("网格员").select_option("demo_grid")
        row.get_by_role("button", name="派发").click()
        expect(page.locator("#case-state")).to_have_text("待入户核实")
        expect(page.get_by_role("status")).to_contain_text("下一步：入户核实，由网格员办理")
        expect_gone_from_home(page, walk.action, subject)
    walk.check()


@VIEWPORTS
def test_the_grid_worker_verifies_a_household_on_the_visit_form(server, demo, viewport):
    walk = Walk(
        server,
        demo.tokens["demo_grid"],
        demo.tokens["demo_village"],
        "入户核实",
        "村级民主评议并公示",
    )
    with signed_in(server, "demo_grid", viewport) as page:
        subject = follow_first(page, "入户核实")
        expect(page.locator("h1")).to_have_text("走访登记")
        expect(page.get_by_label("这是派发给我的入户核实")).to_be_checked()
        page.get_by_label("人均纯收入估算（元/年）").fill("5600")
        page.get_by_label("情况记录").fill("家中主要劳动力患病，医疗支出大，情况属实")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_have_text(
            f"已发送：{subject}的走访，待村级评议公示", timeout=30_000
        )
        expect_gone_from_home(page, walk.action, subject)
    walk.check()


REVIEWS = [
    ("demo_village", "村级民主评议并公示", "demo_town", "乡镇审核", "待乡镇审核", "乡镇干部"),
    ("demo_town", "乡镇审核", "demo_district", "区县审批", "待区县审批", "区县干部"),
]


@VIEWPORTS
@pytest.mark.parametrize(
    ("actor", "action", "follower", "next_action", "state", "next_role"),
    REVIEWS,
    ids=["village_review", "town_review"],
)
def test_a_review_sends_the_case_on_to_the_next_level(
    server, demo, viewport, actor, action, follower, next_action, state, next_role
):
    walk = Walk(server, demo.tokens[actor], demo.tokens[follower], action, next_action)
    with signed_in(server, actor, viewport) as page:
        subject = follow_first(page, action)
        expect(page.locator(".step-form h3")).to_have_text(f"办理：{action}")
        page.get_by_label("意见").fill("经评议和公示无异议，同意纳入监测")
        page.get_by_role("button", name="提交").click()
        expect(page.locator("#case-state")).to_have_text(state)
        expect(page.get_by_role("status")).to_contain_text(
            f"下一步：{next_action}，由{next_role}办理"
        )
        expect_gone_from_home(page, walk.action, subject)
    walk.check()


@VIEWPORTS
def test_the_district_officer_includes_a_household_and_the_village_puts_measures_in_place(
    server, demo, viewport
):
    walk = Walk(
        server,
        demo.tokens["demo_district"],
        demo.tokens["demo_village"],
        "区县审批",
        "落实帮扶措施",
    )
    with signed_in(server, "demo_district", viewport) as page:
        subject = follow_first(page, "区县审批")
        page.get_by_label("意见").fill("符合条件，纳入监测对象")
        page.get_by_role("button", name="提交").click()
        expect(page.locator("#case-state")).to_have_text("监测帮扶中")
        status = page.get_by_role("status")
        expect(status).to_contain_text("已办理：区县审批。")
        expect(status).to_contain_text("案件现为“监测帮扶中”。")
        expect_gone_from_home(page, walk.action, subject)
    walk.check()


@VIEWPORTS
def test_the_village_cadre_adds_the_measure_an_included_household_lacks(server, demo, viewport):
    token = demo.tokens["demo_village"]
    before = waiting(server, token)
    with signed_in(server, "demo_village", viewport) as page:
        subject = follow_first(page, "落实帮扶措施")
        gap = page.locator("p.gap")
        expect(gap).to_contain_text("清单中应有")
        form = page.locator(".measure-form")
        if "有劳动能力" in gap.inner_text():
            form.get_by_label("类别").select_option(label="就业帮扶")
            form.get_by_label("措施", exact=True).fill("推荐到区内柑橘加工企业务工")
        else:
            form.get_by_label("类别").select_option(label="社会救助兜底")
            form.get_by_label("措施", exact=True).fill("申请纳入农村低保")
        form.get_by_label("责任单位或责任人").fill("村民委员会")
        due = (calendar.today() + timedelta(days=30)).isoformat()
        form.get_by_label("时限").fill(due)
        form.get_by_role("button", name="新增").click()
        expect(page.get_by_role("status")).to_contain_text("已办理：新增帮扶措施。")
        expect(page.locator("p.gap")).to_have_count(0)
        expect_gone_from_home(page, "落实帮扶措施", subject)
    assert waiting(server, token)["落实帮扶措施"] == before["落实帮扶措施"] - 1


# 农品一码通: the city decides on a possible counterfeit


@VIEWPORTS
def test_the_city_confirms_a_possible_counterfeit_and_the_scan_page_turns_red(
    server, demo, viewport
):
    before = waiting(server, demo.tokens["demo_city"])
    with signed_in(server, "demo_city", viewport) as page:
        subject = follow_first(page, "核实疑似假冒预警")
        product, rest = subject.split(" 批次 ")
        flag = page.locator("#flags li", has_text=f"{product} {rest.split('（')[0]}")
        expect(flag.locator(".badge")).to_have_text("待核实")
        flag.get_by_placeholder("核实情况（排除时必填）").fill("市场监管部门在外省超市查获仿冒包装")
        flag.get_by_role("button", name="确认").click()
        expect(page.locator("#feedback")).to_have_text(
            "已确认疑似假冒：该批次的扫码页转为红码，提醒消费者。"
        )
        expect(flag.locator(".badge")).to_have_text("已确认")
        expect_gone_from_home(page, "核实疑似假冒预警", subject)
    after = waiting(server, demo.tokens["demo_city"])
    assert after["核实疑似假冒预警"] == before["核实疑似假冒预警"] - 1


# Assessment: the city returns a district's figures


@VIEWPORTS
def test_the_city_returns_a_districts_figures_and_the_district_is_asked_to_fill_them_again(
    server, demo, viewport
):
    before = waiting(server, demo.tokens["demo_city"])
    with signed_in(server, "demo_city", viewport) as page:
        subject = follow_first(page, "审核报送的考核数据")
        district = page.url.rstrip("/").rsplit("/", 1)[-1]
        reporter = demo.reporters[district]
        assert waiting(server, reporter)["填报考核数据"] == 0
        page.get_by_label("退回原因").fill("农村居民人均可支配收入与统计部门口径不一致，请核实")
        page.get_by_role("button", name="退回").click()
        expect(page.locator("#feedback")).to_contain_text("已退回")
        expect(page.locator("#data-set-state")).to_have_text("已退回")
        expect_gone_from_home(page, "审核报送的考核数据", subject)
    assert waiting(server, demo.tokens["demo_city"])["审核报送的考核数据"] == (
        before["审核报送的考核数据"] - 1
    )
    assert waiting(server, reporter)["填报考核数据"] == 1


@VIEWPORTS
def test_the_accountant_completes_the_village_checklist_and_the_cadre_sends_it_to_the_town(
    server, demo, viewport
):
    walk = Walk(
        server,
        demo.tokens["demo_accountant"],
        demo.tokens["demo_village"],
        "填报考核数据",
        "报送考核数据",
    )
    with signed_in(server, "demo_accountant", viewport) as page:
        subject = follow_first(page, "填报考核数据")
        for answer in LEFT_OPEN:
            page.get_by_label(answer, exact=True).fill("是")
        page.get_by_role("button", name="保存").click()
        expect(page.locator("#feedback")).to_contain_text("已保存：新增 3 项")
        expect_gone_from_home(page, walk.action, subject)
    walk.check()

    sending = Walk(
        server,
        demo.tokens["demo_village"],
        demo.tokens["demo_town"],
        "报送考核数据",
        "审核报送的考核数据",
    )
    with signed_in(server, "demo_village", viewport) as page:
        follow_first(page, "报送考核数据")
        page.get_by_role("button", name="报送").click()
        expect(page.locator("#feedback")).to_contain_text("已报送，待")
        expect(page.locator("#data-set-state")).to_have_text("已报送待审核")
    sending.check()


# 通知公告: the bank signs for the district's notice by opening it


def first_link(server: str, token: str, action: str) -> str:
    request = urllib.request.Request(
        f"{server}/api/me/todo", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        kinds = {kind["action"]: kind for kind in json.load(response)}
    return str(kinds[action]["items"][0]["link"])


def receipts_read(server: str, notice: str) -> int:
    """How many have read ``notice``, as its publisher (the demo district) sees it."""
    with signed_in(server, "demo_district", DESKTOP) as page:
        page.goto(notice)
        count = page.locator("#receipt-count")
        expect(count).to_contain_text("已读")
        return int(re.findall(r"\d+", count.inner_text())[0])


@VIEWPORTS
def test_the_bank_signs_for_a_notice_and_its_publisher_counts_one_more_read(server, demo, viewport):
    token = demo.tokens["demo_bank"]
    before = waiting(server, token)
    notice = first_link(server, token, "签收通知")
    read_before = receipts_read(server, notice)
    with signed_in(server, "demo_bank", viewport) as page:
        subject = follow_first(page, "签收通知")
        assert page.url.endswith(notice)
        expect(page.locator("#feedback")).to_have_text("已签收：本通知已从您的待办中移除。")
        expect_gone_from_home(page, "签收通知", subject)
    assert waiting(server, token)["签收通知"] == before["签收通知"] - 1
    assert receipts_read(server, notice) == read_before + 1


# 农品一码通: the producer records a harvest, then certifies the batch


@VIEWPORTS
def test_the_producer_records_a_harvest_and_the_batch_waits_for_its_certificate(
    server, demo, viewport
):
    token = demo.tokens["demo_producer"]
    before = waiting(server, token)
    with signed_in(server, "demo_producer", viewport) as page:
        subject = follow_first(page, "记录采收/出栏")
        page.get_by_label("环节").select_option(label="采收/出栏")
        page.get_by_label("数量").fill("1200")
        page.get_by_role("button", name="记录").click()
        expect(page.locator("#feedback")).to_have_text(
            "已记录采收/出栏。下一步：开具承诺达标合格证。"
        )
        expect_gone_from_home(page, "记录采收/出栏", subject)
        certify = kind_on_home(page, "开具承诺达标合格证")
        expect(certify.get_by_role("link", name=subject, exact=True)).to_have_count(1)
    after = waiting(server, token)
    assert after["记录采收/出栏"] == before["记录采收/出栏"] - 1
    assert after["开具承诺达标合格证"] == before["开具承诺达标合格证"] + 1


@VIEWPORTS
def test_the_producer_issues_a_certificate_and_the_batch_leaves_its_todo(server, demo, viewport):
    token = demo.tokens["demo_producer"]
    before = waiting(server, token)
    with signed_in(server, "demo_producer", viewport) as page:
        subject = follow_first(page, "开具承诺达标合格证")
        page.get_by_role("button", name="开具合格证").click()
        expect(page.locator("#feedback")).to_contain_text("合格证")
        expect_gone_from_home(page, "开具承诺达标合格证", subject)
    assert waiting(server, token)["开具承诺达标合格证"] == before["开具承诺达标合格证"] - 1
