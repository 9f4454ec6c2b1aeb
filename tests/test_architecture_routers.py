"""Routers and pages stay thin: they parse, call a service and answer.

A JSON router (``api.py``, ``ogc.py``), a page module (``views.py``) or any other module that
makes an ``APIRouter`` (the login pages) builds no SQL, touches the session only by handing it
to a service, reads no other domain's tables, and a page never calls a JSON handler. The
checker reads the source (AST), so a planted violation can be fed to it as a string.
"""

import ast
from pathlib import Path

import pytest

import yunong

SOURCE = Path(yunong.__file__).parent
ROUTER_FILES = ("api.py", "views.py", "ogc.py")
SQL_BUILDERS = {"select", "insert", "update", "delete"}
SESSION_METHODS = {
    "execute",
    "scalars",
    "scalar",
    "get",
    "get_one",
    "add",
    "add_all",
    "delete",
    "merge",
    "query",
}
SESSION_TYPES = {"Session", "SessionDep"}
ALLOWED: dict[str, set[str]] = {}
"""Router module → violations that must stay, each with its reason. Empty: none has to."""


def router_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
        and (path.name in ROUTER_FILES or "APIRouter(" in path.read_text(encoding="utf-8"))
    }


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(SOURCE.parent).with_suffix("").parts)


def owner(module: str) -> str:
    """The domain a module belongs to; ``web`` is the router layer of ``core``."""
    part = module.split(".")[1]
    return "core" if part == "web" else part


def violations(source: str, module: str) -> list[str]:
    """What makes router or page ``module`` (its ``source``) more than a thin shell."""
    tree = ast.parse(source)
    found: list[str] = []
    sqlalchemy_names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = {alias.name for alias in node.names}
            modules = [node.module] + [f"{node.module}.{name}" for name in names]
            if node.module.split(".")[0] == "sqlalchemy":
                builders = sorted(names & SQL_BUILDERS)
                found += [f"imports {name} from sqlalchemy" for name in builders]
            found += [problem for name in modules if (problem := import_problem(name, module))]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sqlalchemy":
                    sqlalchemy_names.add(alias.asname or alias.name.split(".")[0])
                if problem := import_problem(alias.name, module):
                    found.append(problem)
    sessions = session_names(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not isinstance(node.value, ast.Name):
            continue
        if node.value.id in sqlalchemy_names and node.attr in SQL_BUILDERS:
            found.append(f"line {node.lineno}: builds SQL with {node.value.id}.{node.attr}")
        if node.value.id in sessions and node.attr in SESSION_METHODS:
            found.append(f"line {node.lineno}: runs {node.value.id}.{node.attr}")
    return found


def import_problem(imported: str, module: str) -> str | None:
    parts = imported.split(".")
    if parts[0] != "yunong" or len(parts) < 3:
        return None
    if parts[-1] == "models" and owner(imported) != owner(module):
        return f"reads another domain's tables: imports {imported}"
    if parts[-1] == "api" and module.endswith(".views"):
        return f"a page calls a JSON handler: imports {imported}"
    return None


def session_names(tree: ast.AST) -> set[str]:
    """Names that hold a database session: ``session`` and parameters typed as one."""
    names = {"session"}
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.annotation is not None:
            annotation = ast.unparse(node.annotation)
            if any(kind in annotation.replace("[", " ").split() for kind in SESSION_TYPES):
                names.add(node.arg)
    return names


def test_the_routers_and_pages_of_every_domain_are_checked():
    found = router_modules()
    expected = {
        "yunong.monitor.api",
        "yunong.monitor.views",
        "yunong.land.ogc",
        "yunong.web.api",
        "yunong.web.login",
    }
    assert expected <= set(found)


def test_no_router_or_page_runs_sql_or_reads_another_domains_tables():
    offenders = {
        name: problems
        for name, path in router_modules().items()
        if (
            problems := [
                problem
                for problem in violations(path.read_text(encoding="utf-8"), name)
                if problem not in ALLOWED.get(name, set())
            ]
        )
    }
    assert offenders == {}


THIN = """
from fastapi import APIRouter
from yunong.monitor import workflow
from yunong.monitor.models import Case
from yunong.web.deps import SessionDep

router = APIRouter()


@router.get("/cases/{code}")
def get_case(code: str, session: SessionDep) -> str:
    case: Case = workflow.get(session, code=code)
    return case.code
"""


@pytest.mark.parametrize(
    ("planted", "module", "problem"),
    [
        (
            "from sqlalchemy import func, select\n",
            "yunong.monitor.views",
            "imports select from sqlalchemy",
        ),
        (
            "import sqlalchemy as sa\nquery = sa.update(Case)\n",
            "yunong.monitor.api",
            "builds SQL with sa.update",
        ),
        (
            "def page(db: SessionDep):\n    return db.scalars(query)\n",
            "yunong.land.views",
            "runs db.scalars",
        ),
        (
            "def count(session):\n    return session.execute(text('select 1'))\n",
            "yunong.web.api",
            "runs session.execute",
        ),
        (
            "def add(session: Session, row):\n    session.add(row)\n",
            "yunong.trace.api",
            "runs session.add",
        ),
        (
            "def one(session, key):\n    return session.get(Alert, key)\n",
            "yunong.monitor.views",
            "runs session.get",
        ),
        (
            "from yunong.core.auth.models import User\n",
            "yunong.monitor.views",
            "reads another domain's tables: imports yunong.core.auth.models",
        ),
        (
            "from yunong.land import models\n",
            "yunong.assess.views",
            "reads another domain's tables: imports yunong.land.models",
        ),
        (
            "import yunong.monitor.models\n",
            "yunong.web.views",
            "reads another domain's tables: imports yunong.monitor.models",
        ),
        (
            "from yunong.monitor import api\n",
            "yunong.monitor.views",
            "a page calls a JSON handler: imports yunong.monitor.api",
        ),
    ],
)
def test_a_planted_violation_is_named(planted, module, problem):
    assert any(found.endswith(problem) for found in violations(THIN + planted, module))


def test_a_router_that_parses_and_calls_a_service_passes():
    assert violations(THIN, "yunong.monitor.api") == []


def test_the_router_layer_of_core_reads_core_models_and_a_domain_its_own():
    source = "from yunong.core.auth.models import User\nfrom yunong.trace.models import Batch\n"
    assert violations(source, "yunong.web.api") == [
        "reads another domain's tables: imports yunong.trace.models"
    ]
