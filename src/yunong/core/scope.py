"""Region scope: the one gate every read of region-scoped rows goes through.

A scope is the caller's region prefix (2 digits for the city, 6 for a
district, 9 for a town, 12 for a village) and what their role allows. Rows
outside it are reported as not found, so their existence is not revealed.

The gate has one method per kind of read, all testing the same prefix:

* :meth:`Scope.filter` (or :meth:`Scope.condition`) for SQLAlchemy queries;
* :meth:`Scope.sql` for DuckDB SQL text: a condition with the prefix as a bound
  parameter, never formatted into the SQL;
* :meth:`Scope.narrowed_to` for a region the caller asked for (a map filter, a
  report's district): checked against the scope, then read through the two above.

``tests/core/test_scope_gate.py`` checks the source tree for reads that bypass it.
"""

from dataclasses import dataclass, replace

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
class SqlCondition:
    """A condition for DuckDB SQL text and the parameters it binds, by name."""

    text: str
    parameters: dict[str, str]


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
    household_code: str | None = None
    """For a 农户 account, the 全农码 of the household it acts for."""

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
        return query.where(self.condition(column))

    def condition(self, column: Column) -> ColumnElement[bool]:
        """``column`` (a 12-digit region code) is in scope: for joins, counts and filters
        that :meth:`filter` cannot place.

        For 12-digit codes the prefix test is the range from the prefix padded with zeros to
        the prefix padded with nines, which both databases read from the column's index; a
        ``LIKE`` on a bound prefix neither does (SQLite's LIKE ignores case, PostgreSQL's
        follows the locale), so each district's list would read every row of the city.
        """
        return column.between(self.prefix.ljust(12, "0"), self.prefix.ljust(12, "9"))

    def sql(self, column: str, name: str = "scope_prefix") -> "SqlCondition":
        """The scope as a DuckDB condition on ``column``, the prefix bound as ``$name``.

        >>> condition = Scope(actor="a", region_code="500101108000").sql("h.village_code")
        >>> condition.text, condition.parameters
        ('h.village_code like $scope_prefix', {'scope_prefix': '500101108%'})

        ``like`` with a bound prefix reaches PostgreSQL as a range on the column's index.
        """
        prefix = self.prefix
        if not prefix.isdigit():
            raise ValueError(f"区划前缀“{prefix}”应为数字")
        return SqlCondition(f"{column} like ${name}", {name: prefix + "%"})

    def narrowed_to(self, region_code: str) -> "Scope":
        """The same caller looking only at ``region_code`` (any of its 6-, 9- or 12-digit
        forms), which must be inside the scope."""
        code = codes.normalise(region_code)
        self.check_read(code, f"区划“{str(region_code).strip()}”")
        return replace(self, region_code=code)

    def check_read(self, region_code: str | None, what: str) -> None:
        """Raise NotFound for a row outside the scope, naming only what was asked for."""
        if not self.covers(region_code):
            raise OutOfScope("{what}不存在或不在您的管辖范围内", what=what)

    def check_write(self, region_code: str | None, what: str) -> None:
        self.check_read(region_code, what)
        if not self.can_write:
            raise ReadOnly("您的角色只能查看，不能修改")
