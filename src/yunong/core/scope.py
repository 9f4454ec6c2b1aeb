"""Region scope: the one mechanism every service function uses to filter reads and check writes.

A scope is the caller's region prefix (2 digits for the city, 6 for a
district, 9 for a town, 12 for a village) and what their role allows. Rows
outside it are reported as not found, so their existence is not revealed.
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select
from sqlalchemy.orm import InstrumentedAttribute

from yunong.core.errors import Forbidden, NotFound
from yunong.core.regions import codes


class OutOfScope(NotFound):
    """A row outside the caller's region: reported as not found, and recorded."""


class ReadOnly(Forbidden):
    """A write by a read-only role: refused, and recorded."""


Column = InstrumentedAttribute[str] | InstrumentedAttribute[str | None] | ColumnElement[str]


@dataclass(frozen=True)
class Scope:
    """Who is asking and where they may look."""

    actor: str
    """User name as recorded in the audit trail (``system`` for CLI maintenance)."""
    region_code: str
    role: str | None = None
    user_id: int | None = None
    can_write: bool = True
    can_view_personal_data: bool = False
    can_manage_users: bool = False

    @classmethod
    def system(cls, actor: str = "system") -> "Scope":
        """Operator work from the command line: the whole city, everything allowed."""
        return cls(
            actor=actor,
            region_code=codes.CITY_CODE,
            can_view_personal_data=True,
            can_manage_users=True,
        )

    @property
    def prefix(self) -> str:
        return codes.prefix_of(self.region_code)

    def covers(self, region_code: str | None) -> bool:
        return region_code is not None and region_code.startswith(self.prefix)

    def filter(self, query: Select, column: Column) -> Select:
        """Restrict ``query`` to rows whose ``column`` (a 12-digit region code) is in scope."""
        return query.where(column.startswith(self.prefix, autoescape=True))

    def check_read(self, region_code: str | None, what: str) -> None:
        """Raise NotFound for a row outside the scope, naming only what was asked for."""
        if not self.covers(region_code):
            raise OutOfScope(f"{what}不存在或不在您的管辖范围内")

    def check_write(self, region_code: str | None, what: str) -> None:
        self.check_read(region_code, what)
        if not self.can_write:
            raise ReadOnly("您的角色只能查看，不能修改")
