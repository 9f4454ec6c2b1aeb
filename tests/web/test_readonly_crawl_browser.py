"""A role sees only the links and forms it may use: every page the bank viewer (read-only) can
reach from its home page offers no form that writes, and no link on them answers 403 or 404;
the producer, who writes only its own batches and bids on listed rights, is offered forms for
those alone.

The pages are found by crawling with a client (every link, a few URLs a route), then each is
opened in Chromium, where the forms and links are read from the page as the browser built
it (scripts included), and every link the crawl had not followed is asked for too."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.browser import DESKTOP, browser_page, log_in, served
from tests.conftest import copy_database
from tests.web.crawl import NEVER_FOLLOWED, Site, crawl, page_routes, route_of, same_origin
from tests.web.test_sessions import log_in as sign_in
from yunong.core.auth.models import User
from yunong.demo.users import DEMO_PASSWORD
from yunong.settings import Settings
from yunong.store.db import make_engine
from yunong.trace.models import Batch, ProducerAccount, Product
from yunong.web.app import create_app

pytestmark = pytest.mark.browser

BROWSING = {"/logout", "/region"}
"""Posts that write no data: leaving, and choosing the region to look at (kept in the login
session, like the language)."""
BROKEN = {403, 404}


@dataclass(frozen=True)
class Demo:
    url: str
    var: Path


@pytest.fixture(scope="module")
def demo(tmp_path_factory, sqlite_tiny_demo) -> Demo:
    # SQLite only: which links and forms a role is offered does not depend on the database.
    var = tmp_path_factory.mktemp("crawl")
    url = copy_database(sqlite_tiny_demo[0], "yunong", var)
    return Demo(url, var)


@pytest.fixture(scope="module")
def app(demo):
    return create_app(Settings(db_url=demo.url, var_dir=demo.var))


@pytest.fixture(scope="module")
def server(demo):
    with served(demo.url, demo.var) as address:
        yield address


@pytest.fixture(scope="module")
def own_batches(demo) -> set[str]:
    """Codes of the demo producer's batches."""
    engine = make_engine(demo.url)
    with engine.connect() as connection:
        codes = set(
            connection.scalars(
                select(Batch.code)
                .join(Product, Product.id == Batch.product_id)
                .join(ProducerAccount, ProducerAccount.producer_id == Product.producer_id)
                .join(User, User.id == ProducerAccount.user_id)
                .where(User.name == "demo_producer")
            )
        )
    engine.dispose()
    return codes


@pytest.fixture(scope="module")
def walks(app):
    """The walk of each account, made once for the module's tests."""
    done: dict[str, tuple[Site, dict[str, int]]] = {}

    def walk_of(account: str) -> tuple[Site, dict[str, int]]:
        if account not in done:
            done[account] = walk(app, account)
        return done[account]

    return walk_of


def walk(app, account: str) -> tuple[Site, dict[str, int]]:
    """The pages the account reaches, and the answer to each file its pages link to."""
    with TestClient(app) as client:
        assert sign_in(client, account, DEMO_PASSWORD).status_code == 303
        site = crawl(client, "/", per_route=2)
        files = {url: client.get(url).status_code for url in sorted(site.downloads)}
    return site, files


def broken(site: Site, files: dict[str, int]) -> list[str]:
    """``status url ← page`` of every link that answered 403 or 404."""
    found = [f"{status} {url}" for url, status in files.items() if status in BROKEN]
    for page in site.pages:
        if page.status in BROKEN:
            sources = [source for source, target in site.links if target == page.url]
            found.append(f"{page.status} {page.url} ← {sources[:2]}")
    return found


def write_forms(site: Site) -> list[str]:
    return sorted(
        {
            f"{form.action} on {form.page}"
            for form in site.forms
            if form.method == "post" and urlsplit(form.action).path not in BROWSING
        }
    )


def producer_form(action: str, own: set[str]) -> bool:
    """A new batch of one's own products, an event of one's own batch, or registering and
    bidding on a listed right (产权交易), which operators and companies buy."""
    parts = urlsplit(action).path.strip("/").split("/")
    if parts == ["trace", "batches"]:
        return True
    if parts[:2] == ["exchange", "listings"] and len(parts) == 4:
        return parts[3] in ("register", "bid")
    return parts[:2] == ["trace", "batches"] and len(parts) > 2 and parts[2] in own


def test_the_bank_viewer_is_offered_no_write_form_and_no_broken_link(walks):
    site, files = walks("demo_bank")
    assert len(site.pages) > 5
    assert broken(site, files) == []
    assert write_forms(site) == []


def test_the_producer_is_offered_forms_for_its_own_batches_and_bids_alone(walks, own_batches):
    site, files = walks("demo_producer")
    assert own_batches and broken(site, files) == []
    forms = write_forms(site)
    assert any(form.startswith("/trace/batches") for form in forms)
    assert [form for form in forms if not producer_form(form.split(" on ")[0], own_batches)] == []


def forms_and_links(page) -> tuple[list[list[str]], list[str]]:
    """The page's forms as (method, action) and its links, as Chromium built them."""
    forms = page.eval_on_selector_all(
        "form", "forms => forms.map(f => [f.method, f.getAttribute('action') || ''])"
    )
    links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    return forms, links


@pytest.mark.parametrize("account", ["demo_bank", "demo_producer"])
def test_in_chromium_every_page_offers_only_the_forms_the_role_may_use(
    app, walks, server, account, own_batches
):
    site, _ = walks(account)
    routes = page_routes(app)
    crawled = {page.route for page in site.pages}
    offenders: list[str] = []
    opened = 0
    with browser_page(server, DESKTOP) as page:
        log_in(page, account, DEMO_PASSWORD)
        for visited in site.pages:
            if not visited.html:
                continue
            opened += 1
            answer = page.goto(visited.url)
            assert answer is not None and answer.status < 400, visited.url
            forms, links = forms_and_links(page)
            for method, action in forms:
                path = urlsplit(action).path or urlsplit(visited.url).path
                allowed = path in BROWSING or (
                    account == "demo_producer" and producer_form(path, own_batches)
                )
                if method == "post" and not allowed:
                    offenders.append(f"form {action} on {visited.url}")
            for href in links:
                target = same_origin(visited.url, href)
                if target is None or target.startswith(NEVER_FOLLOWED):
                    continue
                if target in site.downloads or route_of(routes, urlsplit(target).path) in crawled:
                    continue
                status = page.request.get(target).status
                if status in BROKEN:
                    offenders.append(f"link {status} {target} on {visited.url}")
    assert opened > 5 and offenders == []
