"""Source rules that keep every read of region-scoped rows behind ``yunong.core.scope``.

Read from the syntax tree, as a linter would, so they hold for code not yet run by any test:

* ``unscoped-read`` — a service function that takes a database session and reads a scoped
  model takes a ``Scope`` and uses it, or takes a row it reads below (the caller had to
  pass the scope to get it);
* ``prefix-outside-gate`` — region codes are compared as prefixes in SQL only in
  ``core/scope.py``: no ``Model.column.startswith(…)`` or ``.like(…)`` elsewhere;
* ``region-in-sql`` — SQL text is never built by formatting a region value into it
  (f-string, ``str.format``, ``%`` or ``+``); DuckDB gets the prefix from ``Scope.sql``.

A *scoped model* is a table carrying a region code (``region_code`` or ``village_code``),
except the published reference tables in :data:`REFERENCE_MODELS`. A *service module* is
any module of ``src/yunong`` outside the web layer, the store and the policy loader that
defines no router and no Typer app. The demo generator is not checked: it writes the whole
synthetic city as the system, from its own constants, with no caller's input or scope.
"""

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "yunong"
REGION_COLUMNS = frozenset({"region_code", "village_code"})
GATE = "core/scope.py"

NOT_SERVICES = ("web/", "store/", "policy/")
"""Folders whose functions are not service functions: routers and page plumbing, the
database itself and the policy loader."""
NOT_CHECKED = ("demo/",)

REFERENCE_MODELS = frozenset({"RegionGeography", "IdentitySerial"})
"""Tables with a region code that hold no one's data: published region geography, and the
counters that 全农码 serials are drawn from."""

READS = frozenset({"select", "exists", "get", "query", "select_from", "join", "outerjoin"})
"""Calls that read the model named in their arguments: ``select(Model)``,
``session.get(Model, id)``, ``….join(Model, …)`` and the like."""

PREFIX_OPERATORS = frozenset({"startswith", "like", "ilike"})

REGION_WORDS = frozenset(
    {"prefix", "region", "village", "villages", "town", "district", "code", "codes", "under"}
)
"""Words of a variable's name that mark it as holding a region code or prefix."""

SQL_WORDS = re.compile(
    r"\b(select|where|like|join|insert\s+into|delete\s+from|union|create\s+(temp|table))\b", re.I
)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    function: str
    rule: str
    message: str

    @property
    def name(self) -> str:
        """``module.function`` of the finding, as the allow-list names it."""
        module = self.path.removesuffix(".py").replace("/", ".")
        return f"yunong.{module}.{self.function}"

    def __str__(self) -> str:
        return f"src/yunong/{self.path}:{self.line} {self.function}: [{self.rule}] {self.message}"


def scoped_models() -> frozenset[str]:
    """Class names of the tables that carry a region code."""
    import yunong.store.all_models  # noqa: F401  (registers every table)
    from yunong.store.base import Base

    return frozenset(
        mapper.class_.__name__
        for mapper in Base.registry.mappers
        if REGION_COLUMNS & set(mapper.columns.keys())
        and mapper.class_.__name__ not in REFERENCE_MODELS
    )


def all_models() -> frozenset[str]:
    import yunong.store.all_models  # noqa: F401
    from yunong.store.base import Base

    return frozenset(mapper.class_.__name__ for mapper in Base.registry.mappers)


def check_tree(root: Path = SOURCE) -> list[Finding]:
    scoped, models = scoped_models(), all_models()
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(NOT_CHECKED):
            continue
        found += check_source(path.read_text(encoding="utf-8"), relative, scoped, models)
    return found


def check_source(
    source: str, path: str, scoped: frozenset[str], models: frozenset[str]
) -> list[Finding]:
    """Every rule over one module's source; ``path`` is relative to ``src/yunong``."""
    tree = ast.parse(source)
    found = list(region_in_sql(tree, path))
    if path != GATE:
        found += prefix_outside_gate(tree, path, models)
    if is_service_module(tree, path):
        found += unscoped_reads(tree, path, scoped, models)
    return sorted(found, key=lambda finding: (finding.line, finding.rule))


def is_service_module(tree: ast.Module, path: str) -> bool:
    if path.startswith(NOT_SERVICES) or "/" not in path:
        return False
    return not any(
        isinstance(node, ast.Call) and called_name(node) in ("APIRouter", "Typer")
        for node in ast.walk(tree)
    )


def called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def functions(tree: ast.Module) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Module functions and methods, by name; a nested function belongs to its parent."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield f"{node.name}.{item.name}", item


def enclosing(tree: ast.Module) -> dict[ast.AST, str]:
    """The function (or ``<module>``) each node sits in."""
    owner: dict[ast.AST, str] = {}
    for node in ast.walk(tree):
        owner.setdefault(node, "<module>")
    for name, function in functions(tree):
        for node in ast.walk(function):
            owner[node] = name
    return owner


def names_in(node: ast.AST) -> Iterator[str]:
    """Every identifier a node mentions: names and attribute names."""
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            yield child.id
        elif isinstance(child, ast.Attribute):
            yield child.attr


# unscoped-read


def unscoped_reads(
    tree: ast.Module, path: str, scoped: frozenset[str], models: frozenset[str]
) -> Iterator[Finding]:
    for name, function in functions(tree):
        parameters = [
            *function.args.posonlyargs,
            *function.args.args,
            *function.args.kwonlyargs,
        ]
        if not any(takes_session(p) for p in parameters):
            continue  # builds a query for its callers to filter and run
        read = scoped_read(function, scoped)
        if read is None:
            continue
        scope = next((p for p in parameters if takes_scope(p)), None)
        if scope is not None:
            if not uses(function, scope.arg):
                yield Finding(
                    path, function.lineno, name, "unscoped-read",
                    f"reads {read} and takes a Scope ({scope.arg}) but never uses it",
                )  # fmt: skip
            continue
        if uses_attribute(function, "scope"):
            continue  # a method of an object that holds the caller's scope
        if any(row_parameter(p, models) for p in parameters):
            continue
        yield Finding(
            path, function.lineno, name, "unscoped-read",
            f"reads {read} without taking the caller's Scope",
        )  # fmt: skip


def scoped_read(function: ast.AST, scoped: frozenset[str]) -> str | None:
    """The first scoped model the function reads, if any."""
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and called_name(node) in READS:
            for argument in node.args:
                for name in names_in(argument):
                    if name in scoped:
                        return name
    return None


def takes_session(parameter: ast.arg) -> bool:
    annotation = parameter.annotation
    return parameter.arg == "session" or (
        annotation is not None and "Session" in set(names_in(annotation))
    )


def takes_scope(parameter: ast.arg) -> bool:
    annotation = parameter.annotation
    return parameter.arg == "scope" or (
        annotation is not None and "Scope" in set(names_in(annotation))
    )


def row_parameter(parameter: ast.arg, models: frozenset[str]) -> bool:
    """A parameter annotated with a table's class: a row the caller already holds."""
    annotation = parameter.annotation
    return annotation is not None and bool(models & set(names_in(annotation)))


def uses(function: ast.AST, name: str) -> bool:
    return any(
        isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
        for node in ast.walk(function)
    )


def uses_attribute(function: ast.AST, attribute: str) -> bool:
    return any(
        isinstance(node, ast.Attribute)
        and node.attr == attribute
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        for node in ast.walk(function)
    )


# prefix-outside-gate


NOT_REGION_COLUMNS = frozenset({"action"})
"""Columns compared by prefix that hold no region code: an audit action (``user.create``)
is matched by its kind (``user.``)."""


def receiver_name(node: ast.expr) -> str | None:
    """The column or variable a method is called on: ``action`` for ``AuditRecord.action``."""
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else None


def prefix_outside_gate(tree: ast.Module, path: str, models: frozenset[str]) -> Iterator[Finding]:
    owner = enclosing(tree)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in PREFIX_OPERATORS:
            continue
        column = node.func.value
        if receiver_name(column) in NOT_REGION_COLUMNS:
            continue
        on_model = (
            isinstance(column, ast.Attribute)
            and isinstance(column.value, ast.Name)
            and column.value.id in models
        )
        if on_model or any(keyword.arg == "autoescape" for keyword in node.keywords):
            yield Finding(
                path, node.lineno, owner[node], "prefix-outside-gate",
                f"{ast.unparse(node.func)}(…) compares region codes outside core/scope.py; "
                "use Scope.filter, Scope.condition or Scope.narrowed_to",
            )  # fmt: skip


# region-in-sql


def region_in_sql(tree: ast.Module, path: str) -> Iterator[Finding]:
    owner = enclosing(tree)
    constants = module_strings(tree)
    for node in ast.walk(tree):
        value = formatted_region(node, constants)
        if value is not None:
            yield Finding(
                path, node.lineno, owner[node], "region-in-sql",
                f"SQL text formatted with the region value {value}; bind it as a parameter "
                "(Scope.sql for DuckDB)",
            )  # fmt: skip


def module_strings(tree: ast.Module) -> dict[str, str]:
    """Module-level string constants by name: the SQL templates a module formats."""
    found = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value.value
    return found


def formatted_region(node: ast.AST, constants: dict[str, str]) -> str | None:
    """The region value formatted into SQL text at ``node``, if it is such a place."""
    if isinstance(node, ast.JoinedStr):
        return in_f_string(node)
    if isinstance(node, ast.Call) and called_name(node) == "format":
        assert isinstance(node.func, ast.Attribute)
        template = template_text(node.func.value, constants)
        if template is None or not SQL_WORDS.search(template):
            return None
        values = [*node.args, *(keyword.value for keyword in node.keywords)]
        return next((ast.unparse(v) for v in values if holds_region(v)), None)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        template = template_text(node.left, constants)
        if template is not None and SQL_WORDS.search(template) and holds_region(node.right):
            return ast.unparse(node.right)
    return None


def in_f_string(node: ast.JoinedStr) -> str | None:
    pieces = node.values
    text = "".join(p.value for p in pieces if isinstance(p, ast.Constant))
    for index, piece in enumerate(pieces):
        if not (isinstance(piece, ast.FormattedValue) and holds_region(piece.value)):
            continue
        before = pieces[index - 1] if index else None
        quoted = (
            isinstance(before, ast.Constant)
            and isinstance(before.value, str)
            and before.value.endswith(("'", "'%", "%"))
        )
        if quoted or SQL_WORDS.search(text):
            return ast.unparse(piece.value)
    return None


def template_text(node: ast.AST, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def holds_region(node: ast.AST) -> bool:
    """Whether an expression mentions a variable whose name says it holds a region code.

    Upper-case names are module constants and names with ``sql`` in them SQL fragments
    (``code_sql(…)``, ``village_summary_sql``), not values."""
    for name in names_in(node):
        words = set(name.lower().split("_"))
        if name.isupper() or "sql" in words:
            continue
        if REGION_WORDS & words:
            return True
    return False
