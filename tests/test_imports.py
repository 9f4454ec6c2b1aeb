"""Which module may import which: the demo stays out of production, migrations stay frozen,
and no modules import each other round in a circle."""

import ast
import subprocess
import sys
from pathlib import Path

from yunong import apps

SOURCE = Path(apps.__file__).parent
MIGRATIONS = SOURCE / "store" / "migrations" / "versions"


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def production_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in SOURCE.rglob("*.py")
        if "migrations" not in path.parts and path.parent.name != "demo"
    }


def imported_names(tree: ast.AST, package: str) -> list[tuple[str, ast.stmt]]:
    """(module or module.name, statement) for every import in ``tree``, relative ones resolved."""
    found: list[tuple[str, ast.stmt]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            found += [(f"{base}.{alias.name}", node) for alias in node.names]
    return found


def top_level_imports(tree: ast.Module, package: str) -> list[str]:
    """Imports run when the module is loaded: not those inside functions or TYPE_CHECKING."""
    found = []
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        found += [name for name, _ in imported_names(node, package)]
    return found


def demo_imports_outside_the_demo_command(path: Path) -> list[str]:
    """Imports of ``yunong.demo`` in ``path``; the ``yunong demo`` command is the one module
    function that starts the demo, and may import it when it runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed: set[int] = set()
    if path == SOURCE / "cli.py":
        command = next(
            node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "demo"
        )
        allowed = {id(node) for node in ast.walk(command)}
    return [
        name
        for name, node in imported_names(tree, module_name(path))
        if name.startswith("yunong.demo") and id(node) not in allowed
    ]


def test_no_production_module_imports_the_demo():
    offenders = {
        name: found
        for name, path in production_modules().items()
        if (found := demo_imports_outside_the_demo_command(path))
    }
    assert offenders == {}


FROZEN_IMPORT = """
import importlib.abc, importlib.util, sys
from pathlib import Path

class Blocked(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "yunong" or name.startswith("yunong."):
            raise ImportError(f"a migration imported {name}")
        return None

sys.meta_path.insert(0, Blocked())
for path in sorted(Path(sys.argv[1]).glob("[0-9]*.py")):
    spec = importlib.util.spec_from_file_location(f"migration_{path.stem}", path)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    print(path.stem)
"""


def test_every_migration_loads_without_any_of_the_platform_code():
    finished = subprocess.run(
        [sys.executable, "-c", FROZEN_IMPORT, str(MIGRATIONS)], capture_output=True, text=True
    )
    assert finished.returncode == 0, finished.stderr
    assert len(finished.stdout.split()) == len(list(MIGRATIONS.glob("[0-9]*.py")))


def import_graph() -> dict[str, set[str]]:
    """Module → the platform modules it imports when loaded."""
    modules = {module_name(path): path for path in SOURCE.rglob("*.py")}
    modules = {name: path for name, path in modules.items() if ".migrations" not in name}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0] + ".x"
        targets = set()
        for imported in top_level_imports(ast.parse(path.read_text(encoding="utf-8")), package):
            # ``from package import module`` names a module; ``from module import name`` not.
            target = imported if imported in modules else imported.rpartition(".")[0]
            if target in modules and target != name:
                targets.add(target)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_modules_import_each_other_in_a_circle():
    assert cycles(import_graph()) == []


def test_the_cycle_check_finds_a_planted_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
