"""The district farmland office enters a project through the pages, before approval: the
project, its parties (refused with the USCC check named), its GB/T 30600-2022 content and
its investment; after acceptance its 管护 duties. Refusals keep what was typed; only roles
that write see the forms; every change is in the audit trail."""

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from tests.factories import make_world
from tests.farmland.factories import SYSTEM, ready_project, uscc
from tests.monitor.factories import headers
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.roles import Role
from yunong.farmland import steps
from yunong.farmland.codes import STEPS
from yunong.policy import loader
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db
TODAY = date.today()


@pytest.fixture(scope="module")
def sessions(module_db_url):
    engine = make_engine(module_db_url)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def world(sessions):
    with transaction(sessions) as session:
        built = make_world(session)
        # One project built; its acceptance (which needs a boundary, tested in test_import)
        # is written directly, for the duties form.
        project = ready_project(session, "WZ-ACC-1")
        for step in STEPS[: STEPS.index(steps.Step.ACCEPT)]:
            steps.take(
                session,
                scope=SYSTEM,
                pack=loader.get(),
                number="WZ-ACC-1",
                step_in=steps.StepIn(step.value, TODAY),
            )
        project.step = steps.Step.ACCEPT.value
    return built


@pytest.fixture(scope="module")
def client(module_db_url, world, tmp_path_factory):
    app = create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        yield client


def post(client, world, who, path, **form):
    return client.post(path, data=form, headers=headers(world, who), follow_redirects=False)


def get(client, world, role, path):
    return client.get(path, headers=headers(world, role), follow_redirects=False)


def actions(sessions, number_prefix: str) -> list[str]:
    with transaction(sessions) as session:
        rows = session.query(AuditRecord).filter(AuditRecord.action.like("farmland.%")).all()
        return [row.action for row in rows if (row.detail or "").startswith(number_prefix)]


def step_a_project_is_entered_through_the_pages_until_it_is_ready_for_approval(
    client, world, sessions
):
    district = world.place.district
    form = get(client, world, Role.DISTRICT_OFFICER, "/farmland/new")
    assert form.status_code == 200
    assert 'action="/farmland/new"' in form.text

    refused = post(
        client,
        world,
        Role.DISTRICT_OFFICER,
        "/farmland/new",
        number="WZ-E-1",
        name="龙沙镇高标准农田建设项目",
        kind="new",
        year="2025",
        scale_mu="六千",
        district=district,
    )
    assert refused.status_code == 422
    assert "建设规模（亩）“六千”应为数字" in refused.text
    assert 'value="龙沙镇高标准农田建设项目"' in refused.text  # the input is kept

    created = post(
        client,
        world,
        Role.DISTRICT_OFFICER,
        "/farmland/new",
        number="WZ-E-1",
        name="龙沙镇高标准农田建设项目",
        kind="new",
        year="2025",
        scale_mu="5200",
        district=district,
    )
    assert created.status_code == 303
    assert created.headers["location"] == "/farmland/projects/WZ-E-1/entry?done=created"
    page = get(client, world, Role.DISTRICT_OFFICER, "/farmland/projects/WZ-E-1/entry?done=created")
    assert "项目已录入项目库。下一步" in page.text
    assert re.search(r"下一环节：规划编制（[^）]+办理）", page.text)
    assert "申报审批前尚需填写" in page.text

    again = post(
        client,
        world,
        Role.DISTRICT_OFFICER,
        "/farmland/new",
        number="WZ-E-1",
        name="重复",
        kind="new",
        year="2025",
        scale_mu="5200",
        district=district,
    )
    assert again.status_code == 422
    assert "项目编号“WZ-E-1”已在项目库中" in again.text

    base = "/farmland/projects/WZ-E-1"
    edited = post(
        client,
        world,
        Role.DISTRICT_OFFICER,
        f"{base}/entry",
        name="龙沙镇高标准农田改造项目",
        kind="改造提升",
        year="2025",
        scale_mu="6000",
    )
    assert edited.status_code == 303

    bad = uscc(7)[:-1] + ("0" if uscc(7)[-1] != "0" else "1")
    party = post(
        client,
        world,
        Role.DISTRICT_OFFICER,
        f"{base}/parties",
        role="legal_entity",
        name="万州区农业综合开发中心",
        credit_code=bad,
    )
    assert party.status_code == 422
    assert "校验位错误" in party.text
    assert f'value="{bad}"' in party.text
    assert "万州区农业综合开发中心" in party.text
    for role, name, serial in (
        ("legal_entity", "万州区农业综合开发中心", 7),
        ("supervisor", "重庆某监理公司", 8),
    ):
        assert (
            post(
                client,
                world,
                Role.DISTRICT_OFFICER,
                f"{base}/parties",
                role=role,
                name=name,
                credit_code=uscc(serial),
            ).status_code
            == 303
        )

    wrong = post(
        client, world, Role.DISTRICT_OFFICER, f"{base}/content", category="绿化", quantity="3"
    )
    assert wrong.status_code == 422
    assert "不是 GB/T 30600-2022 的类别" in wrong.text
    for category, quantity in (("田块整治", "6000"), ("灌溉与排水", "12.5")):
        assert (
            post(
                client,
                world,
                Role.DISTRICT_OFFICER,
                f"{base}/content",
                category=category,
                quantity=quantity,
            ).status_code
            == 303
        )
    for source, amount in (("central", "12000000"), ("city", "6000000")):
        assert (
            post(
                client,
                world,
                Role.DISTRICT_OFFICER,
                f"{base}/funding",
                source=source,
                amount=amount,
            ).status_code
            == 303
        )

    page = get(client, world, Role.DISTRICT_OFFICER, f"{base}/entry").text
    assert "龙沙镇高标准农田改造项目" in page
    assert uscc(7) in page and uscc(8) in page
    assert "3000.00" in page  # 亩均投资: 18,000,000 元 / 6,000 亩
    assert "申报审批前尚需填写" not in page
    assert actions(sessions, "WZ-E-1") == [
        "farmland.project_update",
        "farmland.party",
        "farmland.party",
        "farmland.content",
        "farmland.content",
        "farmland.funding",
        "farmland.funding",
    ]
    with transaction(sessions) as session:
        updates = session.query(AuditRecord).filter_by(action="farmland.project_update").all()
        assert [row.detail for row in updates] == [
            "WZ-E-1 龙沙镇高标准农田改造项目 upgrade 2025 6000 亩"
        ]
        assert updates[0].actor == world.accounts[Role.DISTRICT_OFFICER].name

    # Approved, the project, content and investment are what was approved.
    for step in ("plan", "prepare", "approve"):
        taken = post(client, world, Role.DISTRICT_OFFICER, f"{base}/steps", step=step, done_on="")
        assert taken.status_code == 303, taken.text
    page = get(client, world, Role.DISTRICT_OFFICER, f"{base}/entry").text
    assert f'action="{base}/funding"' not in page
    assert f'action="{base}/parties"' in page  # contractors are chosen after approval
    late = post(client, world, Role.DISTRICT_OFFICER, f"{base}/funding", source="city", amount="1")
    assert late.status_code == 422
    assert "已于“申报审批”批准" in late.text


def step_only_roles_that_enter_projects_see_the_forms(client, world):
    for role in (Role.BANK_VIEWER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.GRID_WORKER):
        assert get(client, world, role, "/farmland/new").status_code == 403
        assert get(client, world, role, "/farmland/projects/WZ-ACC-1/entry").status_code in (
            403,
            404,
        )
        refused = post(
            client,
            world,
            role,
            "/farmland/new",
            number=f"X-{role.value}",
            name="x",
            kind="new",
            year="2025",
            scale_mu="6000",
            district=world.place.district,
        )
        assert refused.status_code in (403, 404)
    for role in (Role.BANK_VIEWER, Role.VILLAGE_CADRE):
        page = get(client, world, role, "/farmland/projects/WZ-ACC-1")
        assert "/entry" not in page.text
    page = get(client, world, Role.DISTRICT_OFFICER, "/farmland/projects/WZ-ACC-1").text
    assert 'href="/farmland/projects/WZ-ACC-1/entry"' in page
    home = get(client, world, Role.BANK_VIEWER, "/farmland").text
    assert "/farmland/new" not in home
    assert "/farmland/new" in get(client, world, Role.DISTRICT_OFFICER, "/").text


def step_duties_are_entered_after_acceptance_and_reach_the_village(client, world, sessions):
    base = "/farmland/projects/WZ-ACC-1"
    page = get(client, world, Role.DISTRICT_OFFICER, f"{base}/entry").text
    assert f'action="{base}/duties"' in page
    missing = post(
        client,
        world,
        Role.DISTRICT_OFFICER,
        f"{base}/duties",
        region_code=world.place.village,
        party_kind="collective",
        party_name="石坪村股份经济合作社",
        facilities="灌溉渠道、机耕路",
        until="",
    )
    assert missing.status_code == 422
    assert "请填写管护期限" in missing.text
    assert 'value="石坪村股份经济合作社"' in missing.text
    done = post(
        client,
        world,
        Role.DISTRICT_OFFICER,
        f"{base}/duties",
        region_code=world.place.village,
        party_kind="collective",
        party_name="石坪村股份经济合作社",
        facilities="灌溉渠道、机耕路",
        until="2030年12月31日",
    )
    assert done.status_code == 303
    shown = get(client, world, Role.DISTRICT_OFFICER, f"{base}/entry?done=duty").text
    assert "管护责任已落实" in shown and "2030-12-31" in shown
    assert actions(sessions, "WZ-ACC-1")[-1] == "farmland.duty"
    # The village now keeps the project up and reports on it from a phone.
    form = get(client, world, Role.GRID_WORKER, "/farmland/reports/new").text
    assert "WZ-ACC-1" in form


def step_a_project_not_yet_accepted_has_no_duties_form(client, world):
    page = get(client, world, Role.DISTRICT_OFFICER, "/farmland/projects/WZ-E-1/entry").text
    assert "竣工验收后落实管护责任" in page
    assert re.search(r'action="[^"]*/duties"', page) is None


def step_entry_pages_are_in_english(client, world):
    client.get("/lang/en")
    try:
        page = get(client, world, Role.DISTRICT_OFFICER, "/farmland/projects/WZ-ACC-1/entry")
        wrong = post(
            client,
            world,
            Role.DISTRICT_OFFICER,
            "/farmland/projects/WZ-E-1/funding",
            source="city",
            amount="1",
        )
    finally:
        client.get("/lang/zh")
    assert "Project entry" in page.text
    assert wrong.status_code == 422
    assert "Project “WZ-E-1” was approved at “Approval”" in wrong.text


# The JSON API: the same services and rules as the pages.


def api(client, world, who, method, path, **kwargs):
    return client.request(method, path, headers=headers(world, who), **kwargs)


def step_the_api_lists_projects_a_page_at_a_time_within_scope(client, world, sessions):
    with transaction(sessions) as session:
        for serial in range(3):
            ready_project(session, f"WZ-API-{serial}")
        ready_project(session, "FL-API-OUT", district="500102000000")
    first = api(
        client, world, Role.DISTRICT_OFFICER, "GET", "/api/farmland/projects?per_page=2&page=1"
    )
    assert first.status_code == 200
    total = int(first.headers["X-Total-Count"])
    assert total >= 5  # WZ-E-1, WZ-ACC-1 and three WZ-API
    assert len(first.json()) == 2
    assert 'rel="next"' in first.headers["Link"]
    numbers = []
    for page in range(1, total // 2 + 2):
        body = api(
            client,
            world,
            Role.DISTRICT_OFFICER,
            "GET",
            f"/api/farmland/projects?per_page=2&page={page}",
        ).json()
        numbers += [row["number"] for row in body]
    assert len(numbers) == total == len(set(numbers))
    assert "FL-API-OUT" not in numbers
    assert {"WZ-API-0", "WZ-API-1", "WZ-API-2"} <= set(numbers)
    found = api(
        client, world, Role.DISTRICT_OFFICER, "GET", "/api/farmland/projects?q=API&step=library"
    )
    assert {row["number"] for row in found.json()} == {"WZ-API-0", "WZ-API-1", "WZ-API-2"}
    wrong = api(client, world, Role.DISTRICT_OFFICER, "GET", "/api/farmland/projects?step=done")
    assert wrong.status_code == 422
    city = api(client, world, Role.CITY_ADMIN, "GET", "/api/farmland/projects?per_page=1000")
    assert "FL-API-OUT" in {row["number"] for row in city.json()}
    row = next(row for row in city.json() if row["number"] == "WZ-API-0")
    assert row["district_code"] == world.place.district
    assert row["kind_name"] == "新建" and row["step_name"] == "项目库"


def step_the_api_shows_a_project_to_its_district_and_its_keepers_only(client, world):
    district = api(client, world, Role.DISTRICT_OFFICER, "GET", "/api/farmland/projects/WZ-API-0")
    assert district.status_code == 200
    body = district.json()
    assert body["next_step"] == "plan"
    assert [party["credit_code"] for party in body["parties"]] == [uscc(1)]
    assert {item["category"] for item in body["content"]} == {"田块整治", "灌溉与排水"}
    assert float(body["investment_per_mu"]) == 3000
    # The village keeps WZ-ACC-1 up (its duty was entered above): steps and duties, no parties.
    kept = api(client, world, Role.GRID_WORKER, "GET", "/api/farmland/projects/WZ-ACC-1")
    assert kept.status_code == 200
    assert kept.json()["parties"] is None
    assert [duty["party_name"] for duty in kept.json()["duties"]] == ["石坪村股份经济合作社"]
    for who, number in ((Role.GRID_WORKER, "WZ-API-0"), (Role.DISTRICT_OFFICER, "FL-API-OUT")):
        hidden = api(client, world, who, "GET", f"/api/farmland/projects/{number}")
        assert hidden.status_code == 404
        assert "万州区农业综合开发中心" not in hidden.text


def step_the_api_takes_the_next_step_with_the_pages_rules(client, world, sessions):
    path = "/api/farmland/projects/WZ-API-1/steps"
    for who in (Role.BANK_VIEWER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE):
        assert api(client, world, who, "POST", path, json={}).status_code in (403, 404)
    city = api(client, world, Role.CITY_ADMIN, "POST", path, json={"step": "plan"})
    assert city.status_code == 403
    assert "“规划编制”由" in city.text
    taken = api(
        client,
        world,
        Role.DISTRICT_OFFICER,
        "POST",
        path,
        json={"document": "万州农发〔2025〕1号"},
    )
    assert taken.status_code == 201, taken.text
    assert taken.json()["step"] == "plan"
    assert taken.json()["steps"][0]["document"] == "万州农发〔2025〕1号"
    assert taken.json()["next_step"] == "prepare"
    skipped = api(client, world, Role.DISTRICT_OFFICER, "POST", path, json={"step": "approve"})
    assert skipped.status_code == 409
    assert "下一环节是“前期准备”" in skipped.text
    # An approval that breaks a pack rule is refused with the rule named.
    with transaction(sessions) as session:
        ready_project(session, "WZ-API-SMALL", scale="1200")
    small = "/api/farmland/projects/WZ-API-SMALL/steps"
    for step in ("plan", "prepare"):
        taken = api(client, world, Role.DISTRICT_OFFICER, "POST", small, json={"step": step})
        assert taken.status_code == 201
    refused = api(client, world, Role.DISTRICT_OFFICER, "POST", small, json={})
    assert refused.status_code == 422
    assert "单个项目建设规模不低于 5000 亩" in refused.text


def test_a_project_is_entered_on_the_pages_kept_up_and_read_through_the_api(
    client, world, sessions
):
    """The steps below, in this order: each reads what the ones before it entered."""
    step_a_project_is_entered_through_the_pages_until_it_is_ready_for_approval(
        client, world, sessions
    )
    step_only_roles_that_enter_projects_see_the_forms(client, world)
    step_duties_are_entered_after_acceptance_and_reach_the_village(client, world, sessions)
    step_a_project_not_yet_accepted_has_no_duties_form(client, world)
    step_entry_pages_are_in_english(client, world)
    step_the_api_lists_projects_a_page_at_a_time_within_scope(client, world, sessions)
    step_the_api_shows_a_project_to_its_district_and_its_keepers_only(client, world)
    step_the_api_takes_the_next_step_with_the_pages_rules(client, world, sessions)
