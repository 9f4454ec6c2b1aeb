"""A report that takes a while to make: its link turns into a busy button that says 正在生成…,
ignores a second click, and saves the file when it arrives."""

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, browser_page, log_in, served
from tests.conftest import copy_database
from yunong.demo.users import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory, sqlite_tiny_demo):
    # SQLite only: how the page waits for a file does not depend on the database.
    var = tmp_path_factory.mktemp("long-job")
    url = copy_database(sqlite_tiny_demo[0], "yunong", var)
    with served(url, var) as address:
        yield address, var


def test_the_report_link_shows_it_is_busy_and_then_saves_the_pdf(server, tmp_path):
    address, var = server
    with browser_page(address, DESKTOP) as page:
        log_in(page, "demo_city", DEMO_PASSWORD)
        page.goto("/apps/assess")
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        link = page.locator("a[data-long-job][href$='report.pdf']")
        with page.expect_download(timeout=120_000) as download:
            link.click()
            expect(link).to_have_text("正在生成…")
            expect(link).to_have_attribute("aria-disabled", "true")
            link.dispatch_event("click")  # a second click while it is made starts nothing
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        expect(link).to_have_text("下载 PDF 报告")
    assert saved.name.endswith("乡村振兴考核报告.pdf") and saved.read_bytes().startswith(b"%PDF")
    assert [url for url in asked if url.endswith("report.pdf")] == [
        f"{address}/assess/2024/report.pdf"
    ]
    assert len(list((var / "cache" / "reports").glob("*.pdf"))) == 1
