"""The platform's applications, and the parts of them the web app, CLI, store and demo read.

Adding an application is creating its package, with an ``application`` descriptor
(:class:`yunong.core.application.Application`) in its ``__init__``, and adding its
dotted path to :data:`APPLICATIONS`. Nothing here imports an application's routers,
commands or tables until one of the functions below is called.
"""

from collections.abc import Iterator
from importlib import import_module
from typing import TYPE_CHECKING

from yunong.core.application import Application, DemoStep, NavEntry, resolve
from yunong.core.todo import Provider, Todo

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from yunong.core.scope import Scope

APPLICATIONS: list[str] = [
    "yunong.land",
    "yunong.monitor",
    "yunong.assess",
    "yunong.trace",
    "yunong.notices",
    "yunong.habitat",
    "yunong.industry",
    "yunong.farmland",
    "yunong.exchange",
    "yunong.collective",
    "yunong.fishery",
    "yunong.services",
    "yunong.governance",
]
"""Application packages, in menu order."""


def installed() -> list[Application]:
    """The descriptor of every listed application."""
    return [import_module(path).application for path in APPLICATIONS]


def get(key: str) -> Application | None:
    return next((app for app in installed() if app.key == key), None)


def routers() -> Iterator["APIRouter"]:
    """Every application's routers, API and pages, in list order."""
    for app in installed():
        yield from (resolve(path) for path in app.routers)


def commands() -> Iterator[tuple[str, "typer.Typer"]]:
    """(name, Typer app) of every application's sub-commands."""
    for app in installed():
        for name, path in app.commands:
            yield name, resolve(path)


def load_models() -> None:
    """Import every application's tables, so the shared metadata knows them."""
    for app in installed():
        if app.models:
            resolve(app.models)


def load_indicators() -> None:
    """Import every application's indicator module, which registers its computed indicators."""
    for app in installed():
        if app.indicators:
            resolve(app.indicators)


def navigation(role: str | None) -> list[NavEntry]:
    """The menu entries a user of ``role`` may open."""
    return [entry for app in installed() for entry in app.nav if entry.allows(role)]


def demo_steps() -> list[DemoStep]:
    """Every application's demo steps, by stage; ties keep the list's order."""
    steps = [step for app in installed() for step in app.demo]
    return sorted(steps, key=lambda step: step.stage)


def todo(session: "Session", scope: "Scope") -> list[Todo]:
    """Every application's work waiting on the caller, kinds with work only."""
    found: list[Todo] = []
    for app in installed():
        if app.todo:
            provider: Provider = resolve(app.todo)
            found += [kind for kind in provider(session, scope) if kind.total]
    return found


def menu_counts(role: str | None, todo: list[Todo]) -> dict[str, int]:
    """How many 待办 items each application has for the user, by the path of its first menu
    entry the role sees (the application's own entry: 防返贫监测 rather than 登记走访)."""
    totals: dict[str, int] = {}
    for kind in todo:
        totals[kind.application] = totals.get(kind.application, 0) + kind.total
    counts = {}
    for app in installed():
        entries = [entry for entry in app.nav if entry.allows(role)]
        if entries and totals.get(app.key):
            counts[entries[0].path] = totals[app.key]
    return counts
