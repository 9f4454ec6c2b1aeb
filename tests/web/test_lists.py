"""No list is cut off without paging: every list page the applications register (and the
users page and 操作日志), holding more rows than one page shows, says how many rows there
are and links to a second page that shows the rest."""

import io
import re
from datetime import date
from html import unescape

import openpyxl
import pytest

from tests.collective.factories import add_list_rows as add_collective_rows
from tests.exchange.factories import add_list_rows as add_exchange_rows
from tests.factories import PASSWORD, add_user, make_world
from tests.farmland.factories import add_list_rows as add_farmland_rows
from tests.fishery.factories import add_list_rows as add_fishery_rows
from tests.governance.factories import add_list_rows as add_governance_rows
from tests.habitat.factories import add_list_rows as add_habitat_rows
from tests.industry.factories import ratio_rows, write_csv
from tests.monitor.factories import Member, add_alert, add_household, headers
from tests.services.factories import add_list_rows as add_services_rows
from tests.trace.factories import add_batch, add_producer, add_product
from yunong import apps
from yunong.core import listing
from yunong.core.auth import passwords
from yunong.core.auth import service as user_service
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.industry import importers as industry
from yunong.monitor import opening, reports
from yunong.notices import service as notices
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction

PAGE = listing.DEFAULT_SIZE
ROWS = PAGE + 3
"""Rows of each kind: more than one page holds."""
CORE_LISTS = ["/users", "/audit"]
"""The platform's own list pages: users and 操作日志."""
LIST_PAGES = [path for app in apps.installed() for path in app.lists] + CORE_LISTS
COUNT = re.compile(r"第 (\d+)–(\d+) 条，共 (\d+) 条")
NEXT = re.compile(r'<a href="([^"]+)" rel="next">')


@pytest.fixture(scope="module")
def world(module_db_url, tmp_path_factory):
    """石坪村 with more than a page of each: households with open alerts, households whose
    case has waited for its visit since June 2024 (each an overdue problem), self-reports,
    users, product batches and notices."""
    engine = make_engine(module_db_url)
    pack = loader.get()
    with transaction(make_sessionmaker(engine)) as session:
        world = make_world(session)
        village = world.place.village
        cadre = Scope(actor="cadre", region_code=village, role=Role.VILLAGE_CADRE.value)
        grid = world.accounts[Role.GRID_WORKER].name
        for number in range(ROWS):
            waiting = add_household(
                session, village=village, number=f"A{number:03d}", members=[member(number)]
            )
            add_alert(session, waiting)
            visited = add_household(
                session, village=village, number=f"C{number:03d}", members=[member(number)]
            )
            opening.open_case(
                session,
                scope=cadre,
                alert_id=add_alert(session, visited).id,
                grid_worker=grid,
                pack=pack,
                today=date(2024, 6, 3),
            )
            reports.submit(
                session,
                report_in=reports.ReportIn(
                    name=f"申报人{number}",
                    id_number=waiting.persons[0].id_number,
                    village=village,
                    what_happened="家中老人住院，医疗费用较高",
                    risk_type="因病",
                ),
                today=date(2024, 6, 1),
            )
        add_grid_workers(session, village)
        product = add_product(session, add_producer(session, village))
        for number in range(ROWS):
            add_batch(session, product, lot=f"SP2024-{number:03d}")
        town = Scope(actor="town", region_code=world.place.town, role=Role.TOWN_OFFICER.value)
        for number in range(ROWS):
            notice_in = notices.NoticeIn(f"走访安排第{number:03d}号", "请按时入户走访。")
            notices.publish(session, scope=town, notice_in=notice_in, today=date(2024, 6, 1))
        add_habitat_rows(session, village, ROWS)
        add_collective_rows(session, village, ROWS)
        add_farmland_rows(session, ROWS)
        add_fishery_rows(session, village, ROWS)
        add_governance_rows(session, village, ROWS)
        add_exchange_rows(session, village, ROWS)
        add_services_rows(session, village, ROWS)
        # A pig-grain ratio of 5.5 week after week: one 产业预警 a week.
        series = write_csv(
            tmp_path_factory.mktemp("industry") / "ratio.csv", ratio_rows([5.5] * ROWS)
        )
        industry.import_file(session, scope=Scope.system("lists"), path=series, pack=pack)
    engine.dispose()
    return world


def add_grid_workers(session, village: str) -> None:
    """More users than a page, created through the user service. Checking and hashing a
    password takes about a second, and the list never reads it: one hash serves them all."""
    password_hash = passwords.hash_password(PASSWORD)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(user_service, "hash_password", lambda *_, **__: password_hash)
        for number in range(ROWS):
            add_user(session, f"grid_list_{number:03d}", Role.GRID_WORKER, village)


def member(number: int) -> Member:
    return Member(f"户主{number:03d}", date(1970, 1, 1 + number % 28))


@pytest.fixture
def client(app, world):
    from fastapi.testclient import TestClient

    with TestClient(app, headers=headers(world, Role.CITY_ADMIN)) as client:
        yield client


def count_line(text: str) -> tuple[int, int, int]:
    found = COUNT.search(text)
    assert found, "the page does not say which rows it shows of how many"
    first, last, total = (int(value) for value in found.groups())
    return first, last, total


def test_every_registered_list_page_is_walked():
    assert {"/apps/monitor", "/monitor/households", "/apps/trace", "/users", "/audit"} <= set(
        LIST_PAGES
    )


@pytest.mark.parametrize("path", LIST_PAGES)
def test_a_list_longer_than_a_page_says_how_many_rows_and_shows_the_rest_on_the_next(client, path):
    first_page = client.get(path)
    assert first_page.status_code == 200, first_page.text[:300]
    first, last, total = count_line(first_page.text)
    assert (first, last) == (1, PAGE) and total > PAGE

    link = NEXT.search(first_page.text)
    assert link, "no link to the next page"
    second_page = client.get(unescape(link.group(1)))
    assert second_page.status_code == 200
    assert count_line(second_page.text) == (PAGE + 1, min(2 * PAGE, total), total)


def test_an_unusable_page_size_is_refused_in_chinese_rather_than_failing(client):
    response = client.get("/monitor/households", params={"size": "100000"})
    assert response.status_code == 422
    assert "每页条数“100000”应为 1 到 200 之间的整数" in response.text


def test_the_export_link_carries_the_search_and_the_file_holds_what_it_finds(client):
    page = client.get("/monitor/households", params={"q": "户主007"})
    assert count_line(page.text) == (1, 2, 2)  # the household with the alert, the one with a case
    link = re.search(r'<a class="export" href="([^"]+)"', page.text)
    assert link and "q=" in link.group(1)
    exported = client.get(unescape(link.group(1)))
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["户主007"] * 2


def test_a_column_sorted_once_is_sorted_the_other_way_by_a_second_click(client):
    page = client.get("/apps/trace")
    ascending = re.search(r'<a href="([^"]+)" class="sort">批次全农码', page.text)
    assert ascending and "sort=code" in ascending.group(1)
    sorted_page = client.get(unescape(ascending.group(1)))
    descending = re.search(r'<a href="([^"]+)" class="sort">批次全农码', sorted_page.text)
    assert descending and "sort=-code" in descending.group(1)


def test_the_region_filter_offers_the_regions_one_level_below_the_one_shown(client, world):
    town = client.get("/monitor/households", params={"region": world.place.town}).text
    offered = re.findall(
        r'<option value="(\d{12})"', town.split('name="region"')[1].split("</select>")[0]
    )
    assert offered[-2:] == [world.place.village, world.place.neighbour_village]
    assert world.place.town in offered and world.place.other_town not in offered


def test_the_batch_export_holds_the_batches_the_search_finds_with_their_place(client):
    page = client.get("/apps/trace", params={"q": "SP2024-007"})
    assert count_line(page.text) == (1, 1, 1)
    link = re.search(r'<a class="export" href="([^"]+)"', page.text)
    assert link
    exported = client.get(unescape(link.group(1)))
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    [row] = list(sheet.iter_rows(min_row=2, values_only=True))
    assert (row[3], row[5], row[6], row[7]) == ("SP2024-007", "万州区", "龙沙镇", "石坪村")
