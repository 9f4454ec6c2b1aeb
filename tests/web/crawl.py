"""Walk the pages a client can reach: every same-origin link from a start page, a few URLs
per route of the app, with every form found on the way.

    from tests.web.crawl import crawl

    site = crawl(client, "/")            # client: a signed-in TestClient
    for page in site.pages:              # Page(url, status, html, route)
        ...
    site.forms                           # Form(page, method, action, fields)
    site.downloads                       # links to files (xlsx, pdf, png…), recorded, not fetched
    site.links                           # (from page, to url) for every same-origin link seen

Links are matched to the app's route paths (``/monitor/cases/{code}``) so that one household
page stands for all of them: at most ``per_route`` URLs of a route are visited. The walk
never follows ``/logout`` or the language switch, and never submits a form.
"""

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import compile_path

DOWNLOAD_SUFFIXES = (".xlsx", ".xls", ".csv", ".pdf", ".png", ".svg", ".jpg", ".zip", ".gpkg")
NEVER_FOLLOWED = ("/logout", "/lang/", "/static/", "/api/docs", "/api/redoc", "/api/openapi")
ORIGIN = "http://testserver"


@dataclass(frozen=True)
class Page:
    url: str
    status: int
    html: str
    """The body of an HTML answer; empty for anything else."""
    route: str
    """The app's route path the URL matched, e.g. ``/trace/batches/{code}``."""


@dataclass(frozen=True)
class Form:
    page: str
    """URL of the page the form is on."""
    method: str
    action: str
    fields: dict[str, str]
    """Name → value of every input, select (its first or selected option) and textarea."""


@dataclass
class Site:
    pages: list[Page] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    downloads: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)

    def statuses(self) -> dict[str, int]:
        return {page.url: page.status for page in self.pages}


class _LinksAndForms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self._form: tuple[str, str, dict[str, str]] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "a" and "href" in attributes:
            self.hrefs.append(attributes["href"])
        elif tag == "form":
            method = attributes.get("method", "get").lower()
            self._form = (method, attributes.get("action", ""), {})
            self.forms.append(self._form)
        elif self._form is not None and "name" in attributes:
            fields = self._form[2]
            name = attributes["name"]
            if tag == "input" and attributes.get("type") in ("checkbox", "radio"):
                if "checked" in attributes or name not in fields:
                    fields[name] = attributes.get("value", "on")
            elif tag == "input":
                fields[name] = attributes.get("value", "")
            elif tag == "select":
                self._select = name
                fields.setdefault(name, "")
            elif tag == "textarea":
                self._textarea = name
                fields[name] = ""
        if self._form is not None and tag == "option" and self._select is not None:
            fields = self._form[2]
            if not fields[self._select] or "selected" in attributes:
                fields[self._select] = attributes.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form[2][self._textarea] += data


def page_routes(app: FastAPI) -> list[tuple[str, re.Pattern[str]]]:
    """Path template and its pattern of every route that answers GET."""
    found = []
    for context in iter_route_contexts(app.routes):
        if "GET" in (context.methods or {"GET"}):
            path = str(context.path)
            found.append((path, compile_path(path)[0]))
    return found


def route_of(routes: list[tuple[str, re.Pattern[str]]], path: str) -> str | None:
    """The route path template that ``path`` matches, or None."""
    return next((template for template, pattern in routes if pattern.match(path)), None)


def same_origin(base: str, href: str) -> str | None:
    """``href`` made absolute against ``base`` as a path with its query, if it stays on the site."""
    if href.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    absolute, _ = urldefrag(urljoin(ORIGIN + base, href))
    parts = urlsplit(absolute)
    if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def is_download(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(DOWNLOAD_SUFFIXES)


def crawl(client: TestClient, start: str = "/", *, per_route: int = 2, limit: int = 400) -> Site:
    """Every page reachable from ``start`` through links, ``per_route`` URLs a route at most."""
    routes = page_routes(client.app)  # type: ignore[arg-type]
    site = Site()
    seen: set[str] = {start}
    visits: Counter[str] = Counter()
    queue = deque([start])
    while queue and len(site.pages) < limit:
        url = queue.popleft()
        route = route_of(routes, urlsplit(url).path) or "?"
        if visits[route] >= per_route:
            continue
        visits[route] += 1
        response = client.get(url, follow_redirects=True)
        html = response.text if "text/html" in response.headers.get("content-type", "") else ""
        site.pages.append(Page(url, response.status_code, html, route))
        if not html:
            continue
        parsed = _LinksAndForms()
        parsed.feed(html)
        site.forms += [Form(url, method, action, fields) for method, action, fields in parsed.forms]
        for href in parsed.hrefs:
            target = same_origin(url, href)
            if target is None:
                continue
            site.links.append((url, target))
            if is_download(target):
                site.downloads.add(target)
            elif target not in seen and not target.startswith(NEVER_FOLLOWED):
                seen.add(target)
                queue.append(target)
    return site
