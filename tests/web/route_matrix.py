"""The routes of an app as the scope matrix sees them, and what their answers show.

A route is one method on one path template, read from ``create_app()``'s routes, so a
route of any application registered later is found without being listed. Each path
parameter is named by the literal text nearest before it (``cases/{code}`` →
``("cases", "code")``, ``report.{kind}`` → ``("report.", "kind")``), which is how the
matrix knows what to fill it with.
"""

import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from tests.web.scope_world import ScopeWorld, Site
from yunong import apps
from yunong.core.auth.roles import Role
from yunong.settings import Settings
from yunong.store.db import make_engine
from yunong.store.migrate import upgrade
from yunong.web.app import create_app

PARAMETER = re.compile(r"\{([^}:]+)(:[^}]*)?\}")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    slots: tuple[tuple[str, str], ...]
    """(nearest literal, parameter) of each path parameter."""
    query: tuple[str, ...]
    required_query: tuple[str, ...]
    body: tuple[str, ...]
    """Names of the body fields or form fields the route declares."""
    module: str

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    def __str__(self) -> str:
        return self.key


def app_for_listing(directory: Path) -> FastAPI:
    """An app over an empty migrated SQLite file: enough to read its routes."""
    url = f"sqlite:///{directory / 'routes.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return create_app(Settings(db_url=url, var_dir=directory))


def listed_routes() -> list[Route]:
    with tempfile.TemporaryDirectory() as directory:
        return routes_of(app_for_listing(Path(directory)))


def routes_of(app: FastAPI) -> list[Route]:
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            found += [
                Route(method, str(context.path), (), (), (), (), "starlette")
                for method in sorted(context.methods or {"GET"})
            ]
            continue
        fields = dependency_fields(route.dependant)
        for method in sorted(context.methods or ()):
            found.append(
                Route(
                    method,
                    str(context.path),
                    slots(str(context.path)),
                    tuple(sorted(fields["query"])),
                    tuple(sorted(fields["required_query"])),
                    tuple(sorted(fields["body"])),
                    route.endpoint.__module__,
                )
            )
    return found


def dependency_fields(dependant: Any) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"query": set(), "required_query": set(), "body": set()}
    stack = [dependant]
    while stack:
        current = stack.pop()
        for field in current.query_params:
            found["query"].add(field.alias)
            if field.field_info.is_required():
                found["required_query"].add(field.alias)
        found["body"] |= {field.alias for field in current.body_params}
        stack += current.dependencies
    return found


def slots(path: str) -> tuple[tuple[str, str], ...]:
    found = []
    segments = path.strip("/").split("/")
    for index, segment in enumerate(segments):
        for match in PARAMETER.finditer(segment):
            literal = PARAMETER.sub("", segment[: match.start()])
            if not literal:
                before = [s for s in segments[:index] if not PARAMETER.search(s)]
                literal = before[-1] if before else ""
            found.append((literal, match.group(1)))
    return tuple(found)


def fill_path(path: str, values: dict[str, Any]) -> str:
    return PARAMETER.sub(lambda match: str(values[match.group(1)]), path)


def application_roles(route: Route) -> frozenset[Role]:
    """The roles that may open the route's application, by its menu entries (every role
    for the platform's own routes and applications without a restricted entry)."""
    for package, app in zip(apps.APPLICATIONS, apps.installed(), strict=True):
        if route.module.startswith(package + ".") and app.nav:
            allowed: set[Role] = set()
            for entry in app.nav:
                allowed |= set(Role) if entry.roles is None else set(entry.roles)
            return frozenset(allowed)
    return frozenset(Role)


@dataclass(frozen=True)
class Where:
    """The rows one request is about: those of a village inside or outside the role's scope."""

    role: Role
    side: str
    site: Site
    region: str
    """A region code: the role's own region inside, the outside village outside."""
    district: str | None

    @classmethod
    def inside(cls, world: ScopeWorld, role: Role) -> "Where":
        region = world.world.accounts[role].region
        return cls(role, "inside", world.inside(role), region, world.district_inside(role))

    @classmethod
    def outside(cls, world: ScopeWorld, role: Role) -> "Where | None":
        site = world.outside(role)
        if site is None:
            return None
        return cls(role, "outside", site, site.village, world.district_outside(role))


def text_of(response: Any) -> str:
    """What a person would read in the answer: the text, or the cells of a workbook."""
    kind = response.headers.get("content-type", "")
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if kind.startswith(("image/", "application/pdf")):
        return ""  # pictures and PDFs: the status code alone says whether it was refused
    return response.content.decode("utf-8", errors="replace")
