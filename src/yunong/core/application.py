"""What an application of the platform declares about itself.

Each application package (``yunong.land``, ``yunong.monitor`` …) exposes one
:class:`Application` named ``application`` in its ``__init__``, and ``yunong.apps`` lists
the packages. Every part is named by a dotted path (``module`` or ``module:attribute``)
and resolved only when the web app, the CLI, the migrations, the demo or the cockpit
asks for it, so registering an application imports none of its routers, commands or
tables.
"""

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from yunong.core.auth.roles import Role


@dataclass(frozen=True)
class NavEntry:
    """A menu entry and the roles that may open it (``None``: every signed-in role)."""

    title: str
    path: str
    roles: frozenset[Role] | None = None
    shortcut: bool = False
    """Also offered as a large button on the home page: work done from a phone (走访)."""

    def allows(self, role: str | None) -> bool:
        """Whether a user of ``role`` sees the entry; the command line (no role) sees all."""
        return self.roles is None or role is None or role in self.roles


@dataclass(frozen=True)
class DemoStep:
    """One step of the demo build: ``function(context)``, run in the order of ``stage``.

    Steps of every application are sorted by stage, then by the order of the
    application list, so an application can place a step between two of another's
    (the cases follow the product batches, whose code serials they continue).
    """

    function: str
    stage: int


@dataclass(frozen=True)
class Application:
    """One application: its name and the dotted paths of the parts it has."""

    key: str
    title: str
    clause: str
    """The seed's clauses the application carries out, e.g. ``（五）（二十六）``."""
    routers: tuple[str, ...] = ()
    """``module:router`` of its JSON API and its pages."""
    commands: tuple[tuple[str, str], ...] = ()
    """(command name, ``module:typer_app``) of its ``yunong`` sub-commands."""
    models: str | None = None
    """Module of its tables, imported before migrations compare the schema."""
    nav: tuple[NavEntry, ...] = ()
    demo: tuple[DemoStep, ...] = ()
    indicators: str | None = None
    """Module whose import registers its computed indicators in ``core.indicators``."""
    todo: str | None = None
    """``module:function`` listing the 待办 items it offers a user (see the work shell)."""
    pack_section: str | None = None
    """The policy pack's section whose targets and rules it computes or enforces."""
    lists: tuple[str, ...] = ()
    """Paths of its list pages, each paged with ``core/listing.py`` (a test walks them all)."""

    def parts(self) -> list[str]:
        """Every dotted path the application declares."""
        paths = [*self.routers, *(path for _, path in self.commands)]
        paths += [step.function for step in self.demo]
        paths += [path for path in (self.models, self.indicators, self.todo) if path]
        return paths


def resolve(path: str) -> Any:
    """The object at ``module:attribute``, or the module at ``module``."""
    module_name, _, attribute = path.partition(":")
    module = import_module(module_name)
    return getattr(module, attribute) if attribute else module
