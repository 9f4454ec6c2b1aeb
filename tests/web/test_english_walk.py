"""English mode is complete: every page each demo role can reach, and the public pages, show
no Chinese once English is chosen, except data values (names of people, places, products,
producers, text users typed), which the pages mark with HTML's ``translate="no"``."""

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.conftest import copy_database
from tests.web.crawl import Site, crawl
from tests.web.test_sessions import csrf_of, log_in
from yunong.demo.users import DEMO_PASSWORD
from yunong.settings import Settings
from yunong.store.db import make_engine
from yunong.trace.models import Batch
from yunong.web.app import create_app

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
SHOWN_ATTRIBUTES = ("title", "placeholder", "alt")
"""Attributes whose values a reader sees; other attribute values are not text. An aria-label
often names its row's data (“Approve 万州区”) and cannot mark it; its words come from the
catalogue like every template text (test_i18n)."""
UNMARKABLE = ("script", "style", "title")
"""Elements whose text is not shown on the page or cannot hold a translate="no" mark (a
page's title names its product or household; its words come from the catalogue)."""
ACCOUNTS = (
    "demo_city",
    "demo_district",
    "demo_town",
    "demo_village",
    "demo_grid",
    "demo_accountant",
    "demo_finance",
    "demo_bank",
    "demo_producer",
    "demo_farmer",
)


class ShownText(HTMLParser):
    """The texts a reader of the page sees, leaving out elements marked translate="no"
    (data values) with everything inside them, and scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._data: list[str] = []
        """The open element marked translate="no" (one entry per open element of its tag)."""
        self._code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if self._data:
            if tag == self._data[0]:
                self._data.append(tag)
            return
        if attributes.get("translate") == "no":
            if tag not in VOID:
                self._data.append(tag)
            return
        if tag in UNMARKABLE:
            self._code += 1
        self.texts += [attributes[name] for name in SHOWN_ATTRIBUTES if attributes.get(name)]
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.texts.append(attributes.get("value", ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._data:
            if tag == self._data[0]:
                self._data.pop()
            return
        if tag in UNMARKABLE:
            self._code -= 1

    def handle_data(self, data: str) -> None:
        if not self._data and not self._code:
            self.texts.append(data)


def chinese_left(html: str) -> list[str]:
    shown = ShownText()
    shown.feed(html)
    return [" ".join(text.split()) for text in shown.texts if CJK.search(text)]


def untranslated(site: Site) -> list[str]:
    """``route  url: text`` for every Chinese text left, once per route and text."""
    found: dict[tuple[str, str], str] = {}
    for page in site.pages:
        for text in chinese_left(page.html):
            found.setdefault((page.route, text), f"{page.url}: {text}")
    return sorted(found.values())


@pytest.fixture(scope="module")
def app(tmp_path_factory, sqlite_tiny_demo):
    # SQLite only: the words on a page do not depend on the database behind it.
    var = tmp_path_factory.mktemp("english")
    url = copy_database(sqlite_tiny_demo[0], "yunong", var)
    return create_app(Settings(db_url=url, var_dir=var))


@pytest.fixture(scope="module")
def batch_codes(app) -> list[str]:
    """The demo's product batches, which anyone scanning a label sees."""
    engine = make_engine(app.state.settings.db_url)
    with engine.connect() as connection:
        codes = list(connection.scalars(select(Batch.code).order_by(Batch.id)))
    engine.dispose()
    return codes


PARCELS_IN_VIEW = "/land/parcels?bbox=105,28,111,33"
"""The one map's parcel table, which its script loads and no link leads to."""


def walk_in_english(app, account: str | None) -> Site:
    with TestClient(app) as client:
        if account is not None:
            assert log_in(client, account, DEMO_PASSWORD).status_code == 303
        client.get("/lang/en")
        site = crawl(client, "/")
        site.pages += crawl(client, PARCELS_IN_VIEW).pages
        return site


def test_the_shown_text_leaves_out_data_values_scripts_and_attributes_nobody_reads():
    page = (
        '<p title="说明">Household <span translate="no">张三<b>户</b></span> of'
        ' <td translate="no">石坪村</td><img alt="地图" src="/x.png" data-x="内部">'
        "<script>var label = '图例';</script><option value=\"因病\">Illness</option></p>"
    )
    assert chinese_left(page) == ["说明", "地图"]
    assert chinese_left("<title>石坪村 · Household file</title><p>农户</p>") == ["农户"]


@pytest.mark.parametrize("account", ACCOUNTS)
def test_every_page_a_role_reaches_is_english_but_for_its_data(app, account):
    site = walk_in_english(app, account)
    assert len(site.pages) > 3
    assert [page.url for page in site.pages if page.status >= 500] == []
    left = untranslated(site)
    assert not left, "\n".join(left)


def test_the_public_pages_are_english_but_for_their_data(app, batch_codes):
    with TestClient(app) as client:
        client.get("/lang/en")
        sites = [crawl(client, start) for start in ("/", "/login", "/report", "/c/NOSUCHCODE")]
        sites += [crawl(client, f"/c/{code}", per_route=len(batch_codes)) for code in batch_codes]
    left = [text for site in sites for text in untranslated(site)]
    assert not left, "\n".join(left)


def test_a_form_refused_says_why_in_english_naming_its_values(app):
    with TestClient(app) as client:
        assert log_in(client, "demo_town", DEMO_PASSWORD).status_code == 303
        client.get("/lang/en")
        form = client.get("/users/new").text
        village = re.findall(r'<option value="(\d{12})"', form)[-1]
        typed = {"name": "demo_grid", "role": "grid_worker", "region_code": village}
        refused = client.post(
            "/users/new",
            data={"csrf_token": csrf_of(form), "password": "Shiping@Grid-2024x"} | typed,
        )
    assert refused.status_code == 409
    assert 'id="form-error">The user name “demo_grid” is taken</p>' in refused.text
