"""待办: the work waiting on one user, as every application offers it.

Each application's descriptor names a provider (``todo``): a function of the session and
the caller's scope that returns :class:`Todo` lists, one per kind of work, each
with its items already ordered most urgent first. The work shell puts them together on
the user's home page, counts them in the menu and serves them at ``/api/me/todo``.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from yunong.core.scope import Scope

ITEMS_SHOWN = 20
"""Items listed per kind of work; the total says how many wait in all."""


@dataclass(frozen=True)
class Item:
    """One piece of work: what to do, for whom (by name), since when and by when."""

    subject: str
    """Whom or what it is about, by name: a household head and village, a batch, a data set."""
    link: str
    """The page where the work is done."""
    since: date | None = None
    due_on: date | None = None
    level: str = ""
    """``red`` past its limit, ``yellow`` close to it, ``green`` in time, empty without one."""


@dataclass(frozen=True)
class Todo:
    """One kind of work waiting on the user, e.g. 乡镇审核 of identification cases."""

    application: str
    kind: str
    action: str
    """What to do, in Chinese: 入户核实, 审批报送的考核数据 …"""
    total: int
    items: list[Item] = field(default_factory=list)

    @property
    def level(self) -> str:
        """The most urgent warning among the items listed."""
        levels = {item.level for item in self.items}
        return next((level for level in ("red", "yellow", "green") if level in levels), "")

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"level": self.level}


Provider = Callable[[Session, Scope], list[Todo]]
